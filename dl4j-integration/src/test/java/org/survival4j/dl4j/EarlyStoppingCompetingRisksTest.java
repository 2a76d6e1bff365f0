package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.dl4j.EarlyStopping.Criterion;
import org.survival4j.loss.CauseSpecificCox;
import org.survival4j.loss.DeepHit;
import org.survival4j.loss.FineGray;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.momentum.MomentumConfig;

/**
 * Early stopping of the competing-risks losses (labels: time, cause 0..K). The state put back is
 * the one a plain run stopped at the best epoch holds, bit for bit: online weights, updater state,
 * counters and, with momentum, the target, the bank with its causes and momentum's counters. The
 * scores are the criteria as documented, recomputed here from the core kernels and metrics; bad
 * validation labels are refused before any training.
 */
class EarlyStoppingCompetingRisksTest {
    private static final DataSet TRAIN = Dl4jFixtures.competingBatch(48, 21);
    private static final DataSet VALIDATION = Dl4jFixtures.competingBatch(40, 22);
    private static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(8).steps(3).rate(0.9).build();
    /** DeepHit's grid: the fixtures' times are whole numbers 1..16 (48 rows), used as grid indices. */
    private static final int INTERVALS = 17;
    private static final double ALPHA = 0.3;
    private static final double SIGMA = 0.5;
    /**
     * The reported score against the same kernel or metric called here on the same doubles through
     * its INDArray entry point instead of the Java-array one: equal up to summation order, a few
     * ulps of values of order 1.
     */
    private static final double SAME_KERNEL = 1e-12;

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    /** A loss, its output width, and the criterion's value as documented, from the scored outputs. */
    record Case(String name, Supplier<ILossFunction> loss, int outputs, Criterion criterion, boolean momentum,
                Expected expected) {
        @Override
        public String toString() {
            return name + ", " + criterion + (momentum ? ", momentum" : ", plain");
        }
    }

    interface Expected {
        double of(INDArray output, INDArray time, INDArray cause);
    }

    static Stream<Case> cases() {
        Supplier<ILossFunction> csc = () -> new CauseSpecificCoxLossFunction(2, Ties.EFRON);
        Supplier<ILossFunction> fineGray = () -> new FineGrayLossFunction(1, Ties.EFRON);
        Supplier<ILossFunction> deepHit = () -> new DeepHitLossFunction(2, INTERVALS, ALPHA, SIGMA);
        Expected cscLoss = (out, time, cause) -> new CauseSpecificCox(Ties.EFRON, Reduction.MEAN).value(out, time, cause);
        Expected cscC = (out, time, cause) -> (ConcordanceIndex.causeSpecific(out.getColumn(0), time, cause, 1)
                + ConcordanceIndex.causeSpecific(out.getColumn(1), time, cause, 2)) / 2;
        Expected fgLoss = (out, time, cause) -> new FineGray(1, Ties.EFRON, Reduction.MEAN).value(out, time, cause);
        Expected fgC = (out, time, cause) -> ConcordanceIndex.causeSpecific(out.getColumn(0), time, cause, 1);
        Expected dhLoss = (out, time, cause) -> new DeepHit(2, ALPHA, SIGMA, Reduction.MEAN).value(out, time, cause);
        Expected dhC = (out, time, cause) -> (ConcordanceIndex.causeSpecific(lastIncidence(out, 1), time, cause, 1)
                + ConcordanceIndex.causeSpecific(lastIncidence(out, 2), time, cause, 2)) / 2;
        return Stream.of(
                new Case("cause-specific Cox", csc, 2, Criterion.VALIDATION_LOSS, false, cscLoss),
                new Case("cause-specific Cox", csc, 2, Criterion.C_INDEX, false, cscC),
                new Case("cause-specific Cox", csc, 2, Criterion.VALIDATION_LOSS, true, cscLoss),
                new Case("cause-specific Cox", csc, 2, Criterion.C_INDEX, true, cscC),
                new Case("Fine-Gray", fineGray, 1, Criterion.VALIDATION_LOSS, false, fgLoss),
                new Case("Fine-Gray", fineGray, 1, Criterion.C_INDEX, true, fgC),
                new Case("DeepHit", deepHit, 2 * INTERVALS, Criterion.C_INDEX, false, dhC),
                new Case("DeepHit", deepHit, 2 * INTERVALS, Criterion.VALIDATION_LOSS, true, dhLoss));
    }

    /** DeepHit's cumulative incidence of cause {@code k} at the end of the grid, per row. */
    private static INDArray lastIncidence(INDArray logits, int k) {
        INDArray f = new DeepHit(2, ALPHA, SIGMA, Reduction.MEAN).cumulativeIncidence(logits, k);
        return f.getColumn(f.columns() - 1).dup();
    }

    private static DataSetIterator batches() {
        return new ListDataSetIterator<>(TRAIN.asList(), 8); // a fixed order, epoch after epoch
    }

    private static MultiLayerNetwork net(Case c) {
        return Dl4jFixtures.mlp(c.loss().get(), c.outputs(), new Adam(0.2)); // a large step: it overfits quickly
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theBestEpochsWholeStateIsPutBack(Case c) {
        MultiLayerNetwork stopped = net(c);
        Momentum momentum = c.momentum() ? Momentum.attach(stopped, CONFIG) : null;
        EarlyStopping stopping = EarlyStopping.builder(VALIDATION).criterion(c.criterion()).patience(2).maxEpochs(30)
                .build();
        EarlyStopping.Result r = momentum == null ? stopping.fit(stopped, batches()) : stopping.fit(momentum, batches());
        assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() < r.epochs(), "the test needs a later, worse epoch: " + r);

        MultiLayerNetwork straight = net(c); // a plain run of bestEpoch epochs
        Momentum straightMomentum = c.momentum() ? Momentum.attach(straight, CONFIG) : null;
        for (int e = 0; e < r.bestEpoch(); e++) {
            straight.fit(batches());
        }
        assertArrayEquals(straight.params().toDoubleVector(), stopped.params().toDoubleVector(), "online weights");
        assertArrayEquals(straight.getUpdater().getStateViewArray().toDoubleVector(),
                stopped.getUpdater().getStateViewArray().toDoubleVector(), "updater state");
        assertEquals(straight.getIterationCount(), stopped.getIterationCount(), "iterations");
        assertEquals(straight.getEpochCount(), stopped.getEpochCount(), "epochs");
        MultiLayerNetwork scored = stopped;
        if (momentum != null) {
            assertArrayEquals(straightMomentum.<MultiLayerNetwork>target().params().toDoubleVector(),
                    momentum.<MultiLayerNetwork>target().params().toDoubleVector(), "target weights");
            double[][] bank = momentum.bankRows().toDoubleMatrix();
            assertArrayEquals(straightMomentum.bankRows().toDoubleMatrix(), bank, "bank: outputs, times and causes");
            assertTrue(momentum.bankRows().getColumn(c.outputs() + 1).eq(2.0).any(), "the bank keeps cause 2");
            assertArrayEquals(straightMomentum.bankEntryTimes(), momentum.bankEntryTimes(), "bank entry times");
            assertEquals(straightMomentum.iterations(), momentum.iterations(), "momentum iterations");
            assertEquals(straightMomentum.batchesWithoutEvents(), momentum.batchesWithoutEvents());
            assertEquals(straightMomentum.lastLoss(), momentum.lastLoss(), "last loss");
            scored = momentum.target();
        }
        // the best score is the criterion of the restored (target) network, as documented
        INDArray out = scored.output(VALIDATION.getFeatures());
        INDArray time = VALIDATION.getLabels().getColumn(0).dup();
        INDArray cause = VALIDATION.getLabels().getColumn(1).dup();
        double expected = c.expected().of(out, time, cause);
        assertEquals(expected, r.bestScore(), SAME_KERNEL * Math.abs(expected), r.toString());
    }

    /** Cause 2 has no event among the validation rows: the C-index is the mean over the causes that have one. */
    @Test
    void theCIndexAveragesTheCausesWithValidationEvents() {
        DataSet validation = VALIDATION.copy();
        INDArray cause = validation.getLabels().getColumn(1);
        cause.assign(cause.gt(0).castTo(cause.dataType())); // every event is now of cause 1
        INDArray time = validation.getLabels().getColumn(0).dup();
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CauseSpecificCoxLossFunction(2, Ties.EFRON), 2, new Adam(0.2));
        List<double[]> scoredAndExpected = new ArrayList<>();
        EarlyStopping.builder(validation).criterion(Criterion.C_INDEX).patience(2).maxEpochs(4)
                .listener((epoch, score, best) -> scoredAndExpected.add(new double[] {score, ConcordanceIndex
                        .causeSpecific(net.output(validation.getFeatures()).getColumn(0), time, cause.dup(), 1)}))
                .build().fit(net, batches());
        assertTrue(scoredAndExpected.size() >= 3);
        for (double[] pair : scoredAndExpected) {
            assertEquals(pair[1], pair[0], SAME_KERNEL, "cause 1's concordance alone");
        }
    }

    @Test
    void fineGrayNeedsAnEventOfItsCauseAmongTheValidationRows() {
        DataSet validation = VALIDATION.copy();
        INDArray cause = validation.getLabels().getColumn(1);
        cause.assign(cause.gt(0).castTo(cause.dataType()).muli(2)); // every event is now of cause 2
        MultiLayerNetwork net = Dl4jFixtures.mlp(new FineGrayLossFunction(1, Ties.EFRON), 1, new Adam(0.2));
        assertRefusedBeforeTraining(net, validation, "no event of cause 1");
    }

    @Test
    void aCauseBeyondTheLossesCausesIsRefusedBeforeTraining() {
        DataSet validation = VALIDATION.copy();
        validation.getLabels().putScalar(firstEvent(validation), 1, 3.0);
        assertRefusedBeforeTraining(Dl4jFixtures.mlp(new CauseSpecificCoxLossFunction(2, Ties.EFRON), 2,
                new Adam(0.2)), validation, "causes must be whole numbers from 0 (censored) to 2");
        assertRefusedBeforeTraining(Dl4jFixtures.mlp(new DeepHitLossFunction(2, INTERVALS, ALPHA, SIGMA),
                2 * INTERVALS, new Adam(0.2)), validation, "causes must be whole numbers from 0 (censored) to 2");
    }

    @Test
    void labelsOfTheWrongWidthOrGridAreRefusedBeforeTraining() {
        DataSet counting = new DataSet(VALIDATION.getFeatures(), Nd4j.hstack(Nd4j.zeros(40, 1), VALIDATION.getLabels()));
        assertRefusedBeforeTraining(Dl4jFixtures.mlp(new FineGrayLossFunction(1, Ties.EFRON), 1, new Adam(0.2)),
                counting, "counting-process labels [n, 3]");
        assertRefusedBeforeTraining(Dl4jFixtures.mlp(new DeepHitLossFunction(2, INTERVALS, ALPHA, SIGMA),
                2 * INTERVALS, new Adam(0.2)), counting, "counting-process labels [n, 3]");
        // DeepHit's time column is a grid index: a grid of 9 intervals has no interval 13
        assertRefusedBeforeTraining(Dl4jFixtures.mlp(new DeepHitLossFunction(2, 9, ALPHA, SIGMA), 18, new Adam(0.2)),
                VALIDATION, "gridIndex");
    }

    private static int firstEvent(DataSet set) {
        INDArray cause = set.getLabels().getColumn(1);
        for (int i = 0; i < cause.length(); i++) {
            if (cause.getDouble(i) > 0) {
                return i;
            }
        }
        throw new AssertionError("the fixture has events");
    }

    /** The fit throws an IllegalArgumentException mentioning {@code message}, the network untouched. */
    private static void assertRefusedBeforeTraining(MultiLayerNetwork net, DataSet validation, String message) {
        double[] before = net.params().toDoubleVector();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EarlyStopping.builder(validation).build().fit(net, batches()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("the validation set"), e.getMessage());
        assertArrayEquals(before, net.params().toDoubleVector(), "no training happened");
        assertEquals(0, net.getIterationCount());
    }

    @Test
    void theValidationLabelsAreCheckedByTheBuilderThenAgainstTheLoss() {
        // causes pass the builder (the 0/1 check of Cox waits for the loss); fractions and a missing column do not
        DataSet fraction = VALIDATION.copy();
        fraction.getLabels().putScalar(firstEvent(fraction), 1, 1.5);
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.builder(fraction).build());
        INDArray timeOnly = VALIDATION.getLabels().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> EarlyStopping.builder(new DataSet(VALIDATION.getFeatures(), timeOnly)).build());
        assertRefusedBeforeTraining(Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Adam(0.2)), VALIDATION,
                "events must be 0 (censored) or 1");
    }
}
