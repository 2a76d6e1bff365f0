package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.Ties;
import org.survival4j.testing.MomentumTrace;

/**
 * {@link SameDiffMomentum} against momentum runs recorded with torchsurv (see
 * {@code org/survival4j/traces/README.md}): the trace's network rebuilt as a float32 SameDiff graph,
 * plain SGD, the trace's batches in order, one epoch.
 *
 * <p>What the traces pin down beyond their README: the EMA runs after the optimizer step (the losses
 * of iterations 2-4 agree to 1e-7 only in that order), and once the bank is full the loss pools
 * {@code steps * batch} rows in all, the batch and the newest {@code (steps - 1) * batch} bank rows.
 * Pooling the whole bank plus the batch, as torchsurv's {@code Momentum} code does, departs from the
 * traces from iteration 5 on (relative loss errors up to 9 % for Cox and 28 % for Weibull).
 */
class SameDiffMomentumParityTest {
    /** Loss of each iteration, relative (float32 on both sides); measured at most 2.2e-7. */
    private static final double LOSS_REL = 1e-6;
    /**
     * Final online and target weights and the probe outputs, absolute; measured at most 6.0e-8
     * (weights) and 2.4e-7 (probe outputs).
     */
    private static final double WEIGHT_ABS = 1e-6;

    @ParameterizedTest
    @ValueSource(strings = {"cox_b16_s4", "weibull_b16_s4"})
    void matchesTorchsurvTrace(String name) {
        MomentumTrace trace = MomentumTrace.load(name);
        int batch = trace.config("batch");
        SameDiff sd = TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"),
                trace.init().get("W1"), trace.init().get("b1"));
        SurvivalLoss loss = trace.loss().equals("cox") ? SurvivalLoss.cox(Ties.EFRON) : SurvivalLoss.weibull();
        SameDiffMomentum momentum = SameDiffMomentum.builder(sd).features("in").output("out").labels("label")
                .loss(loss).batchSize(batch).steps(trace.config("steps")).rate(trace.configReal("rate"))
                .updater(new Sgd(trace.configReal("lr"))).build();

        List<Double> losses = new ArrayList<>();
        DataSet data = new DataSet(trace.x(), trace.labels());
        sd.fit(new ViewIterator(data, batch), 1, momentum.listener(), TwoLayerGraph.lossRecorder(momentum, losses));

        double[] expected = trace.losses();
        assertEquals(expected.length, losses.size(), "iterations");
        double worstLoss = 0;
        for (int i = 0; i < expected.length; i++) {
            worstLoss = Math.max(worstLoss, Math.abs(losses.get(i) - expected[i]) / Math.abs(expected[i]));
        }
        double worstOnline = 0;
        double worstTarget = 0;
        for (String w : new String[] {"W0", "b0", "W1", "b1"}) {
            worstOnline = Math.max(worstOnline, maxAbs(trace.onlineFinal().get(w), sd.getArrForVarName(w)));
            worstTarget = Math.max(worstTarget,
                    maxAbs(trace.targetFinal().get(w), momentum.target().getArrForVarName(w)));
        }
        INDArray probe = momentum.infer(trace.x().getRows(range(4 * batch)));
        double worstProbe = maxAbs(trace.probeTargetOutput(), probe);
        System.out.printf("%s: loss rel %.3g, online %.3g, target %.3g, probe %.3g, bank %d%n", name, worstLoss,
                worstOnline, worstTarget, worstProbe, momentum.bankSize());
        assertEquals(trace.bankSize(), momentum.bankSize(), "bank size");
        assertEquals(0, worstLoss, LOSS_REL, "largest relative loss error");
        assertEquals(0, worstOnline, WEIGHT_ABS, "largest online weight error");
        assertEquals(0, worstTarget, WEIGHT_ABS, "largest target weight error");
        assertEquals(0, worstProbe, WEIGHT_ABS, "largest probe output error");
    }

    private static double maxAbs(INDArray expected, INDArray actual) {
        assertEquals(expected.length(), actual.length(), "length");
        return expected.reshape(expected.length()).castTo(actual.dataType())
                .sub(actual.reshape(actual.length())).amaxNumber().doubleValue();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
