package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TargetGraphTest {
    private static final int PASSES = 20;

    private static SameDiff graph() {
        Nd4j.getRandom().setSeed(3);
        return TwoLayerGraph.of(Nd4j.randn(DataType.DOUBLE, 4, 5), Nd4j.randn(DataType.DOUBLE, 5),
                Nd4j.randn(DataType.DOUBLE, 5, 1), Nd4j.randn(DataType.DOUBLE, 1));
    }

    private static Map<String, INDArray> batch(int i) {
        Nd4j.getRandom().setSeed(100 + i);
        return Map.of("in", Nd4j.randn(DataType.DOUBLE, 8, 4));
    }

    @Test
    void forwardPassEqualsSameDiffOutput() {
        SameDiff sd = graph();
        TargetGraph target = TargetGraph.copyOf(sd);
        for (int i = 0; i < 3; i++) {
            INDArray expected = sd.output(batch(i), "out").get("out").dup();
            assertEquals(expected, target.output(batch(i), "out"));
        }
    }

    @Test
    void forwardPassesFromTwoThreadsTakeTurns() throws Exception {
        SameDiff sd = graph();
        TargetGraph target = TargetGraph.copyOf(sd);
        INDArray[] expected = {sd.output(batch(0), "out").get("out").dup(), sd.output(batch(1), "out").get("out").dup()};
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int which = t;
                runs.add(threads.submit(() -> {
                    boolean allEqual = true;
                    for (int i = 0; i < 50; i++) {
                        allEqual &= expected[which].equals(target.output(batch(which), "out").dup());
                    }
                    return allEqual;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertTrue(run.get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * SameDiff M2.1's own inference session keeps one id per released array per pass, forever; the
     * target's session keeps only those of the last pass.
     */
    @Test
    void repeatedForwardPassesKeepNoGrowingBookkeeping() {
        SameDiff sd = graph();
        CountingSession plain = new CountingSession(sd);
        TargetGraph.ForgetfulSession forgetful = new TargetGraph.ForgetfulSession(sd);
        plain.run(batch(0));
        forgetful.output(List.of("out"), batch(0), null, List.of(), List.of(), At.defaultAt(Operation.INFERENCE));
        int perPass = plain.releasedIds();
        assertTrue(perPass > 0, "the premise: a pass releases arrays");
        assertEquals(perPass, forgetful.releasedIdsKept());
        for (int i = 1; i < PASSES; i++) {
            int before = plain.releasedIds();
            plain.run(batch(i));
            forgetful.output(List.of("out"), batch(i), null, List.of(), List.of(), At.defaultAt(Operation.INFERENCE));
            assertTrue(plain.releasedIds() > before, "SameDiff's session adds ids at every pass");
            assertTrue(forgetful.releasedIdsKept() <= perPass, "pass " + i + ": " + forgetful.releasedIdsKept());
        }
    }

    /** SameDiff's own session, with a way to see its set of released-array ids. */
    private static final class CountingSession extends InferenceSession {
        CountingSession(SameDiff sd) {
            super(sd);
        }

        void run(Map<String, INDArray> inputs) {
            output(List.of("out"), inputs, null, List.of(), List.of(), At.defaultAt(Operation.INFERENCE));
        }

        int releasedIds() {
            return freedArrays.size();
        }
    }
}
