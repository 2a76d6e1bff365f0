package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;

/**
 * Momentum with counting-process labels {@code [n, 3]} (start, stop, event): the bank keeps each
 * row's entry time, so a pooled risk set holds a bank row at t only if {@code start < t <= stop}.
 * The reference is the counting-process likelihood of the momentum-core kernel (itself exact to R).
 */
class CountingProcessMomentumTest {
    private static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(8).steps(5).rate(0.9).build();

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    @Test
    void scoreIsTheCountingProcessLossOfBankRowsAndBatch() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, CONFIG);
        for (int i = 0; i < 7; i++) {
            DataSet batch = Dl4jFixtures.countingBatch(8, 100 + i);
            double[][] bank = momentum.bankRows().rows() == 0 ? new double[0][] : momentum.bankRows().toDoubleMatrix();
            double[] bankStart = momentum.bankEntryTimes();
            double[] online = net.output(batch.getFeatures()).toDoubleVector();
            net.fit(batch);
            // the pooled rows: the newest (capacity - 8) bank rows, then the batch
            int keep = Math.min(bank.length, CONFIG.bankCapacity() - 8);
            double[][] labels = batch.getLabels().toDoubleMatrix();
            int n = keep + 8;
            double[] logHz = new double[n];
            double[] start = new double[n];
            double[] stop = new double[n];
            double[] event = new double[n];
            for (int r = 0; r < keep; r++) {
                int b = bank.length - keep + r;
                logHz[r] = bank[b][0];
                start[r] = bankStart[b];
                stop[r] = bank[b][1];
                event[r] = bank[b][2];
            }
            for (int r = 0; r < 8; r++) {
                logHz[keep + r] = online[r];
                start[keep + r] = labels[r][0];
                stop[keep + r] = labels[r][1];
                event[keep + r] = labels[r][2];
            }
            double expected = CoxPartialLikelihood.efron().value(Nd4j.createFromArray(logHz),
                    Nd4j.createFromArray(start), Nd4j.createFromArray(stop), Nd4j.createFromArray(event));
            assertEquals(expected, net.score(), 1e-12 * expected, "iteration " + i);
            // the newest bank rows are this batch's, with its entry times
            double[] nowStart = momentum.bankEntryTimes();
            assertArrayEquals(batch.getLabels().getColumn(0).toDoubleVector(),
                    Arrays.copyOfRange(nowStart, nowStart.length - 8, nowStart.length), 0);
        }
    }

    /** A bank row entering late must leave the risk sets before its entry: the loss differs from ignoring entry. */
    @Test
    void entryTimesChangeThePooledLoss() {
        MultiLayerNetwork counting = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        MultiLayerNetwork ignoring = counting.clone();
        Momentum.attach(counting, CONFIG);
        Momentum.attach(ignoring, CONFIG);
        for (int i = 0; i < 3; i++) {
            DataSet batch = Dl4jFixtures.countingBatch(8, 200 + i);
            counting.fit(batch);
            ignoring.fit(new DataSet(batch.getFeatures(), batch.getLabels().getColumns(1, 2)));
        }
        assertTrue(Math.abs(counting.score() - ignoring.score()) > 1e-6,
                counting.score() + " vs " + ignoring.score());
    }

    @Test
    void allStartsZeroTrainExactlyAsLabelsWithoutEntryTimes() {
        ComputationGraph withStart = Dl4jFixtures.graph(new CoxLossFunction(Ties.BRESLOW), 1);
        ComputationGraph without = withStart.clone();
        Momentum a = Momentum.attach(withStart, CONFIG);
        Momentum b = Momentum.attach(without, CONFIG);
        for (int i = 0; i < 8; i++) {
            DataSet batch = Dl4jFixtures.survivalBatch(8, 300 + i);
            INDArray zeros = Nd4j.zeros(batch.getLabels().dataType(), 8, 1);
            withStart.fit(new DataSet(batch.getFeatures(), Nd4j.hstack(zeros, batch.getLabels())));
            without.fit(batch);
        }
        assertArrayEquals(without.params().toDoubleVector(), withStart.params().toDoubleVector(), 1e-12);
        assertArrayEquals(b.<ComputationGraph>target().params().toDoubleVector(),
                a.<ComputationGraph>target().params().toDoubleVector(), 1e-12);
        double[][] expectedBank = b.bankRows().toDoubleMatrix();
        double[][] bank = a.bankRows().toDoubleMatrix();
        for (int i = 0; i < bank.length; i++) {
            assertArrayEquals(expectedBank[i], bank[i], 1e-12, "bank row " + i);
        }
        assertArrayEquals(new double[CONFIG.bankCapacity()], a.bankEntryTimes());
        assertNull(b.bankEntryTimes());
    }

    /**
     * Also with a batch as large as the bank, which is pooled with none of the bank's rows: the
     * layout is checked before the optimizer step all the same, not when the rows enter the bank.
     */
    @Test
    void switchingTheLabelLayoutIsRefusedAndChangesNothing() {
        for (int rows : new int[] {8, CONFIG.bankCapacity()}) {
            MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
            Momentum momentum = Momentum.attach(net, CONFIG);
            net.fit(Dl4jFixtures.countingBatch(8, 400));
            INDArray params = net.params().dup();
            INDArray bank = momentum.bankRows();
            DataSet withoutEntry = Dl4jFixtures.survivalBatch(rows, 401);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(withoutEntry));
            assertTrue(e.getMessage().contains("[n, 3]"), e.getMessage());
            assertArrayEquals(params.toDoubleVector(), net.params().toDoubleVector(), rows + " rows: weights");
            assertEquals(bank, momentum.bankRows());
            assertEquals(1, momentum.iterations());
            net.fit(Dl4jFixtures.countingBatch(8, 402)); // still trains with the layout it started with
            assertEquals(2, momentum.iterations());
        }
    }

    @Test
    void aCheckpointKeepsTheEntryTimesAndResumesBitForBit(@TempDir File dir) throws Exception {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batches.add(Dl4jFixtures.countingBatch(8, 500 + i));
        }
        MomentumScenarios.Resumed run = MomentumScenarios.resumeHalfWay(
                Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Adam(0.01)), CONFIG, batches, dir);
        assertArrayEquals(run.uninterrupted().bankEntryTimes(), run.resumed().bankEntryTimes(), 0);
    }

    @Test
    void theGradientCacheWithMomentumIsTheMomentumStepOnTheConcatenatedBatch() {
        Momentum[] plainAndCached = MomentumScenarios.cacheAgainstMerged(
                () -> Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.1)), i -> Dl4jFixtures.countingBatch(4, 600 + i));
        assertArrayEquals(plainAndCached[0].bankEntryTimes(), plainAndCached[1].bankEntryTimes(), 0);
    }

    @Test
    void aMomentumStateCarriesTheEntryTimes() {
        Momentum[] mergedAndCopy = MomentumScenarios.mergedOneCopy(Dl4jFixtures.mlp(new CoxLossFunction(), 1,
                new Sgd(0.01)), CONFIG, i -> Dl4jFixtures.countingBatch(8, 700 + i));
        assertArrayEquals(mergedAndCopy[1].bankEntryTimes(), mergedAndCopy[0].bankEntryTimes(), 0);
    }
}
