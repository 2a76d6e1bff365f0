package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.momentum.BankRows;
import org.survival4j.momentum.MomentumConfig;

/**
 * What the competing-risks loss functions add to the contract: the score and DL4J's gradient check
 * on a batch with events of both causes (the contract's batches have cause 1 only), and momentum
 * training with causes: the bank keeps each row's cause, so that a step's loss is the core loss of
 * [bank rows ; batch] (risk sets per cause, censoring weights, ranking pairs over the pooled rows),
 * a checkpoint resumes bit for bit, and the gradient cache and momentum state behave as for Cox.
 */
abstract class CompetingRisksLossFunctionTest extends AbstractSurvivalLossFunctionContractTest {
    /** A bank of 3 steps of 8 rows: a batch of 8 is pooled with up to 16 bank rows. */
    static final MomentumConfig MOMENTUM = MomentumConfig.builder().batchSize(8).steps(3).rate(0.9).build();

    @Test
    void scoreAndGradientCheckWithEventsOfBothCauses() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs());
        DataSet batch = Dl4jFixtures.competingBatch(ROWS, 21);
        assertTrue(event(batch).eq(2.0).any(), "the batch has events of cause 2");
        double expected = expectedLoss(net.output(batch.getFeatures()), time(batch), event(batch));
        assertEquals(expected, net.score(batch), SCORE_TOLERANCE * Math.abs(expected));
        assertTrue(Dl4jFixtures.gradientsMatch(net, batch));
        assertTrue(Dl4jFixtures.gradientsMatch(Dl4jFixtures.graph(loss(), outputs()), batch));
    }

    /** Each step's score is the core loss of the newest bank rows (their causes kept) followed by the batch. */
    @Test
    void momentumScoreIsTheLossOfBankRowsAndBatchWithTheirCauses() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, MOMENTUM);
        for (int i = 0; i < 5; i++) {
            DataSet batch = Dl4jFixtures.competingBatch(8, 30 + i);
            double[][] bank = momentum.bankSize() == 0 ? new double[0][] : momentum.bankRows().toDoubleMatrix();
            double[][] online = net.output(batch.getFeatures()).toDoubleMatrix();
            net.fit(batch);
            int keep = Math.min(bank.length, MOMENTUM.bankCapacity() - 8);
            double[][] labels = batch.getLabels().toDoubleMatrix();
            double[][] output = new double[keep + 8][];
            double[] time = new double[keep + 8];
            double[] cause = new double[keep + 8];
            for (int r = 0; r < keep + 8; r++) {
                double[] row = r < keep ? bank[bank.length - keep + r] : null;
                output[r] = r < keep ? Arrays.copyOf(row, outputs()) : online[r - keep];
                time[r] = r < keep ? row[outputs()] : labels[r - keep][0];
                cause[r] = r < keep ? row[outputs() + 1] : labels[r - keep][1];
            }
            double expected = expectedLoss(Nd4j.createFromArray(output), Nd4j.createFromArray(time),
                    Nd4j.createFromArray(cause));
            assertEquals(expected, net.score(), SCORE_TOLERANCE * Math.abs(expected), "iteration " + i);
        }
        assertTrue(momentum.bankRows().getColumn(outputs() + 1).eq(2.0).any(), "the bank keeps cause 2");
    }

    /** The gradient through the batch rows is that of the loss of [fixed bank rows ; batch]. */
    @Test
    void gradientCheckPassesWithAFixedBankOfBothCauses() {
        DataSet banked = Dl4jFixtures.competingBatch(20, 37);
        BankRows fixed = BankRows.of(Nd4j.rand(20, outputs()).subi(0.5).toDoubleMatrix(),
                time(banked).toDoubleVector(), event(banked).toDoubleVector());
        DataSet batch = Dl4jFixtures.competingBatch(8, 38);
        SurvivalLossFunction mlpLoss = (SurvivalLossFunction) loss();
        mlpLoss.bankHook((b, output) -> SurvivalLossFunction.Pooling.of(fixed));
        assertTrue(Dl4jFixtures.gradientsMatch(Dl4jFixtures.mlp(mlpLoss, outputs()), batch));
        SurvivalLossFunction graphLoss = (SurvivalLossFunction) loss();
        graphLoss.bankHook((b, output) -> SurvivalLossFunction.Pooling.of(fixed));
        assertTrue(Dl4jFixtures.gradientsMatch(Dl4jFixtures.graph(graphLoss, outputs()), batch));
    }

    @Test
    void aMomentumCheckpointWithCausesResumesBitForBit(@TempDir File dir) throws Exception {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batches.add(Dl4jFixtures.competingBatch(8, 40 + i));
        }
        MomentumScenarios.Resumed run = MomentumScenarios.resumeHalfWay(Dl4jFixtures.mlp(loss(), outputs(),
                new Adam(0.01)), MOMENTUM, batches, dir);
        assertTrue(run.resumed().bankRows().getColumn(outputs() + 1).eq(2.0).any(), "the bank keeps cause 2");
    }

    /** The plain gradient cache: k micro-batches make the step of net.fit on their concatenation. */
    @Test
    void theGradientCacheIsTheStepOnTheConcatenatedBatch() {
        MultiLayerNetwork plain = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.1));
        MultiLayerNetwork cached = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.1));
        GradientCache cache = GradientCache.attach(cached, 3);
        for (int step = 0; step < 2; step++) {
            List<DataSet> micro = microBatches(50 + 3 * step);
            plain.fit(DataSet.merge(micro));
            cache.step(micro);
            assertArrayEquals(plain.params().toDoubleVector(), cached.params().toDoubleVector(),
                    MomentumScenarios.SUMMATION_ORDER);
            assertEquals(plain.score(), cached.score(), MomentumScenarios.SUMMATION_ORDER * Math.abs(plain.score()));
        }
    }

    @Test
    void theGradientCacheWithMomentumIsTheMomentumStepOnTheConcatenatedBatch() {
        Momentum[] plainAndCached = MomentumScenarios.cacheAgainstMerged(
                () -> Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.1)), i -> Dl4jFixtures.competingBatch(4, 60 + i));
        assertEquals(plainAndCached[0].lastLoss(), plainAndCached[1].lastLoss(),
                MomentumScenarios.SUMMATION_ORDER * Math.abs(plainAndCached[0].lastLoss()));
    }

    /** Three micro-batches of 4 rows with events of both causes between them. */
    private static List<DataSet> microBatches(long seed) {
        List<DataSet> micro = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            micro.add(Dl4jFixtures.competingBatch(4, seed + j));
        }
        return micro;
    }

    /** Momentum on a worker's copy, merged back (the spark module's round), carries the causes into the bank. */
    @Test
    void aMomentumStateCarriesTheCauses() {
        Momentum[] mergedAndCopy = MomentumScenarios.mergedOneCopy(Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.01)),
                MOMENTUM, i -> Dl4jFixtures.competingBatch(8, 70 + i));
        assertTrue(mergedAndCopy[0].bankRows().getColumn(outputs() + 1).eq(2.0).any(), "the merged bank keeps cause 2");
    }
}
