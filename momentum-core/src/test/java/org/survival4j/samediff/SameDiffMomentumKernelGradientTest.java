package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.MomentumTrace;

/**
 * The two forms of {@link SameDiffMomentum}'s loss side by side, in double: the kernel gradient
 * (the default) and the graph loss on [bank rows ; batch rows]. At every step, while the bank fills
 * and after it wraps, the parameter gradients SameDiff's backward pass produces and the loss each
 * step is taken on must agree, on the torchsurv traces' data and network.
 */
class SameDiffMomentumKernelGradientTest {
    private static final String[] WEIGHTS = {"W0", "b0", "W1", "b1"};
    /** 8 batches of 16: a bank of 4 batches fills after 4 steps and wraps twice. */
    private static final int STEPS = 8;
    /**
     * The bound, relative to each step's whole gradient: the two forms sum the same terms in
     * double in another order, and from step 2 on their weights differ by the rounding of the steps
     * before (measured at most 1.5e-15).
     */
    private static final double REL = 1e-10;

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("cox_b16_s4", SurvivalLoss.cox(Ties.EFRON), false),
                Arguments.of("cox_b16_s4", SurvivalLoss.cox(Ties.BRESLOW, Reduction.SUM), false),
                Arguments.of("cox_b16_s4", SurvivalLoss.cox(Ties.EFRON), true), // counting-process labels
                Arguments.of("cox_b16_s4", SurvivalLoss.cox(Ties.BRESLOW), true),
                Arguments.of("weibull_b16_s4", SurvivalLoss.weibull(), false),
                Arguments.of("weibull_b16_s4", SurvivalLoss.exponential(Reduction.MEAN), false),
                Arguments.of("cox_b16_s4", SurvivalLoss.gridHazard(new double[] {0, 0.5, 1.5}), false));
    }

    @ParameterizedTest(name = "{0} {1} entry times {2}")
    @MethodSource("cases")
    void theKernelGradientEqualsTheGraphLossAtEveryStep(String traceName, SurvivalLoss loss, boolean entryTimes) {
        MomentumTrace trace = MomentumTrace.load(traceName);
        DataSet data = new DataSet(trace.x().get(NDArrayIndex.interval(0, 16 * STEPS), NDArrayIndex.all())
                .castTo(DataType.DOUBLE), trace.labels().get(NDArrayIndex.interval(0, 16 * STEPS), NDArrayIndex.all())
                .castTo(DataType.DOUBLE));
        if (entryTimes) {
            data = TwoLayerGraph.withEntryTimes(data, 0);
        }
        List<List<Double>> losses = new ArrayList<>();
        List<GradientRecorder> recorders = new ArrayList<>();
        for (boolean graphLoss : new boolean[] {true, false}) {
            SameDiff sd = TwoLayerGraph.of(trace, loss, DataType.DOUBLE, entryTimes ? 3 : 2);
            SameDiffMomentum momentum = SameDiffMomentum.builder(sd).features("in").output("out").labels("label")
                    .loss(loss).config(MomentumConfig.builder().batchSize(16).steps(4).rate(0.99).build())
                    .updater(new Sgd(0.05)).graphLoss(graphLoss).build();
            GradientRecorder recorder = new GradientRecorder(WEIGHTS);
            List<Double> stepLosses = new ArrayList<>();
            sd.fit(new ViewIterator(data, 16), 1, momentum.listener(), recorder,
                    TwoLayerGraph.lossRecorder(momentum, stepLosses));
            recorders.add(recorder);
            losses.add(stepLosses);
        }
        for (int step = 0; step < STEPS; step++) {
            String what = traceName + " " + loss + " step " + step;
            GradientRecorder.assertSameGradients(recorders.get(0).gradients.get(step),
                    recorders.get(1).gradients.get(step), REL, what);
            double expected = losses.get(0).get(step);
            assertEquals(expected, losses.get(1).get(step), REL * Math.abs(expected), what + " loss");
            // what listeners see: the kernel-gradient form reports the likelihood, not the surrogate
            assertEquals(expected, recorders.get(1).losses.get(step)[0], REL * Math.abs(expected), what + " Loss");
        }
    }
}
