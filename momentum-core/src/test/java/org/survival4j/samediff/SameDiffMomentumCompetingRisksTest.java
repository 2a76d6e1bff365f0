package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.MomentumTrace;

/**
 * {@link SameDiffMomentum} with the competing-risks losses (cause-specific Cox, Fine-Gray, DeepHit):
 * the bank keeps each row's cause, and every momentum step is the step of plain training
 * ({@link KernelGradientLoss}) on the pooled rows [bank rows ; batch rows], the bank rows fixed
 * outputs with the labels of the rows that entered the bank, in double, while the bank fills and
 * after it wraps. Resuming from a checkpoint is in {@link SameDiffMomentumCheckpointTest}.
 */
class SameDiffMomentumCompetingRisksTest {
    private static final String[] WEIGHTS = {"W0", "b0", "W1", "b1"};
    private static final int BATCH = 16;
    /** 8 batches of 16: a bank of 4 batches fills after 4 steps and wraps twice. */
    private static final int STEPS = 8;
    private static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(BATCH).steps(4).rate(0.99).build();
    private static final double LEARNING_RATE = 0.05;
    /**
     * The bound for exactness against the pooled rows, relative to each step's whole
     * gradient (and absolute on weights of order 1): both sides run the same kernel on the same
     * rows in double, momentum asking for the batch rows' gradient only (measured: no difference,
     * gradients, losses and weights equal bit for bit).
     */
    private static final double REL = 1e-9;

    static Stream<Arguments> losses() {
        return Stream.of(Arguments.of(SurvivalLoss.causeSpecificCox(2, Ties.EFRON, Reduction.MEAN), false),
                Arguments.of(SurvivalLoss.causeSpecificCox(2, Ties.BRESLOW, Reduction.SUM), false),
                Arguments.of(SurvivalLoss.causeSpecificCox(2, Ties.EFRON, Reduction.MEAN), true), // (start, stop, cause)
                Arguments.of(SurvivalLoss.fineGray(1, Ties.EFRON, Reduction.MEAN), false),
                Arguments.of(SurvivalLoss.fineGray(2, Ties.BRESLOW, Reduction.SUM), false),
                Arguments.of(SurvivalLoss.deepHit(2, 4, 0.2, 0.1, Reduction.MEAN), false));
    }

    @ParameterizedTest(name = "{0} entry times {1}")
    @MethodSource("losses")
    void eachStepIsPlainTrainingOnThePooledRows(SurvivalLoss loss, boolean entryTimes) {
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        DataSet data = TwoLayerGraph.forLoss(rows(new DataSet(trace.x(), trace.labels()), 0, STEPS * BATCH), loss);
        if (entryTimes) {
            data = TwoLayerGraph.withEntryTimes(data, 0);
        }
        data = new DataSet(data.getFeatures().castTo(DataType.DOUBLE), data.getLabels().castTo(DataType.DOUBLE));
        int labelColumns = entryTimes ? 3 : 2;
        int columns = loss.columns();
        SameDiff online = TwoLayerGraph.of(trace, loss, DataType.DOUBLE, labelColumns);
        SameDiffMomentum momentum = SameDiffMomentum.builder(online).features("in").output("out").labels("label")
                .loss(loss).config(CONFIG).updater(new Sgd(LEARNING_RATE)).build();
        for (int step = 0; step < STEPS; step++) {
            String what = loss + " step " + step;
            double[][] bank = momentum.bankSize() == 0 ? new double[0][] : momentum.bankRows().toDoubleMatrix();
            int keep = Math.min(bank.length, CONFIG.bankCapacity() - BATCH); // the newest rows are pooled
            double[][] pooledBank = Arrays.copyOfRange(bank, bank.length - keep, bank.length);
            // the rows that entered those bank rows, in order: the bank kept their times and causes
            DataSet entered = keep == 0 ? null : rows(data, step * BATCH - keep, step * BATCH);
            DataSet batch = rows(data, step * BATCH, (step + 1) * BATCH);
            for (int r = 0; r < keep; r++) {
                double[] label = entered.getLabels().getRow(r).toDoubleVector();
                assertArrayEquals(Arrays.copyOfRange(label, labelColumns - 2, labelColumns),
                        Arrays.copyOfRange(pooledBank[r], columns, columns + 2), what + ": bank row " + r);
            }

            SameDiff reference = TwoLayerGraph.pooled(online, pooledBank, BATCH, labelColumns);
            KernelGradientLoss plain = KernelGradientLoss.builder(reference).output("out").labels("label").loss(loss)
                    .build();
            reference.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(LEARNING_RATE))
                    .dataSetFeatureMapping("in").dataSetLabelMapping("label").build());
            DataSet pooled = keep == 0 ? batch : DataSet.merge(List.of(entered, batch));
            GradientRecorder expected = new GradientRecorder(WEIGHTS);
            reference.fit(new ViewIterator(pooled, keep + BATCH), 1, plain.listener(), expected);

            GradientRecorder actual = new GradientRecorder(WEIGHTS);
            online.fit(new ViewIterator(batch, BATCH), 1, momentum.listener(), actual);

            GradientRecorder.assertSameGradients(expected.gradients.get(0), actual.gradients.get(0), REL, what);
            assertEquals(plain.lastLoss(), momentum.lastLoss(), REL * Math.abs(plain.lastLoss()), what + " loss");
            for (String w : WEIGHTS) {
                assertArrayEquals(doubles(reference, w), doubles(online, w), REL, what + " " + w);
            }
        }
        assertEquals(STEPS, momentum.iterations());
        INDArray causes = momentum.bankRows().getColumn(columns + 1);
        assertTrue(causes.eq(1.0).any() && causes.eq(2.0).any(), "the bank keeps causes 1 and 2: " + causes);
    }

    /** A cause above the loss's causes stops fit before the step: weights, target and bank unchanged. */
    @Test
    void aCauseAboveTheLossesIsRefusedBeforeTheStep() {
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        SurvivalLoss loss = SurvivalLoss.causeSpecificCox(2, Ties.EFRON, Reduction.MEAN);
        SameDiff online = TwoLayerGraph.of(trace, loss, DataType.DOUBLE, 2);
        SameDiffMomentum momentum = SameDiffMomentum.builder(online).features("in").output("out").labels("label")
                .loss(loss).config(CONFIG).updater(new Sgd(LEARNING_RATE)).build();
        DataSet data = TwoLayerGraph.forLoss(rows(new DataSet(trace.x(), trace.labels()), 0, 2 * BATCH), loss);
        data = new DataSet(data.getFeatures().castTo(DataType.DOUBLE), data.getLabels().castTo(DataType.DOUBLE));
        online.fit(new ViewIterator(rows(data, 0, BATCH), BATCH), 1, momentum.listener());
        INDArray bank = momentum.bankRows();
        double[] w0 = doubles(online, "W0");
        DataSet bad = rows(data, BATCH, 2 * BATCH);
        bad.getLabels().putScalar(3, 1, 3.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> online.fit(new ViewIterator(bad, BATCH), 1, momentum.listener()));
        assertTrue(e.getMessage().contains("cause"), e.getMessage());
        assertArrayEquals(w0, doubles(online, "W0"), "no step was taken");
        assertEquals(bank, momentum.bankRows(), "the bank is unchanged");
        assertEquals(1, momentum.iterations());
    }

    /** Copies: in M2.1 a ViewIterator over row views that start past row 0 runs out of rows early. */
    private static DataSet rows(DataSet data, int from, int to) {
        return new DataSet(data.getFeatures().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
                data.getLabels().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
    }

    private static double[] doubles(SameDiff sd, String name) {
        return sd.getArrForVarName(name).castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
    }
}
