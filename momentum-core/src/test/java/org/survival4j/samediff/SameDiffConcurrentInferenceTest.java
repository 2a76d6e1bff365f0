package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.ConcurrentReader;
import org.survival4j.testing.MomentumTrace;

/**
 * {@code infer} (and the counters) from another thread while {@code sd.fit} trains leaves the
 * training bit for bit as it is undisturbed in the same process (same kernels, same order of
 * operations, so the comparison is exact): online and target weights, bank and iteration count;
 * and what the reader gets is the target of a completed step.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SameDiffConcurrentInferenceTest {
    private static final String[] WEIGHTS = {"W0", "b0", "W1", "b1"};
    private final MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
    private final DataSet data = rows(96); // 12 steps of 8 rows an epoch
    private final INDArray query = rows(16).getFeatures();

    private DataSet rows(int n) {
        return new DataSet(trace.x().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup(),
                trace.labels().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup());
    }

    private SameDiffMomentum momentum() {
        SameDiff sd = TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"), trace.init().get("W1"),
                trace.init().get("b1"));
        return SameDiffMomentum.builder(sd).features("in").output("out").labels("label")
                .loss(SurvivalLoss.cox(Ties.EFRON))
                .config(MomentumConfig.builder().batchSize(8).steps(4).rate(0.9).build())
                .updater(new Sgd(0.05)).build();
    }

    private void train(SameDiffMomentum momentum) {
        momentum.online().fit(new ViewIterator(data, 8), 2);
    }

    private static void assertIdentical(SameDiffMomentum undisturbed, SameDiffMomentum read) {
        assertEquals(undisturbed.iterations(), read.iterations(), "iterations");
        for (String w : WEIGHTS) {
            assertArrayEquals(undisturbed.online().getArrForVarName(w).ravel().toDoubleVector(),
                    read.online().getArrForVarName(w).ravel().toDoubleVector(), "online " + w);
            assertArrayEquals(undisturbed.target().getArrForVarName(w).ravel().toDoubleVector(),
                    read.target().getArrForVarName(w).ravel().toDoubleVector(), "target " + w);
        }
        assertArrayEquals(undisturbed.bankRows().ravel().toDoubleVector(), read.bankRows().ravel().toDoubleVector(),
                "bank");
    }

    /**
     * What {@code infer} returns while training runs is the target of a completed step, never one
     * half-way through the EMA: every output the reader saw is one of those the training thread saw
     * after each step (or before the first).
     */
    @Test
    void inferDuringFitSeesTheTargetOfACompletedStep() throws InterruptedException {
        SameDiffMomentum momentum = momentum();
        Set<List<Double>> completed = ConcurrentHashMap.newKeySet();
        Set<List<Double>> seen = ConcurrentHashMap.newKeySet();
        completed.add(values(momentum.infer(query)));
        BaseListener afterTheStep = new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void iterationDone(SameDiff sd, At at, MultiDataSet batch, Loss loss) {
                completed.add(values(momentum.infer(query)));
            }
        };
        ConcurrentReader.during(() -> momentum.online().fit(new ViewIterator(data, 8), 2, momentum.listener(),
                afterTheStep), () -> seen.add(values(momentum.infer(query))));
        seen.removeAll(completed);
        assertTrue(seen.isEmpty(), seen.size() + " outputs of a target that no completed step left");
    }

    private static List<Double> values(INDArray output) {
        return Arrays.stream(output.ravel().toDoubleVector()).boxed().toList();
    }

    @Test
    void inferDuringFitChangesNothing() throws InterruptedException {
        SameDiffMomentum undisturbed = momentum();
        train(undisturbed);
        SameDiffMomentum read = momentum();
        ConcurrentReader reader = ConcurrentReader.during(() -> train(read), () -> {
            read.infer(query);
            read.iterations();
        });
        assertTrue(reader.reads() > 0, "the reader ran alongside the training");
        assertIdentical(undisturbed, read);
    }
}
