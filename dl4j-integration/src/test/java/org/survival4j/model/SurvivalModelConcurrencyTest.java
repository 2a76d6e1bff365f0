package org.survival4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One model serves many threads at once, each getting what a lone caller gets. */
class SurvivalModelConcurrencyTest {
    @Test
    void concurrentCallersGetTheSingleThreadedResults() throws Exception {
        for (SurvivalModel model : List.of(ModelFixtures.cox(true, false), ModelFixtures.grid())) {
            int threads = 8;
            double[][][] inputs = new double[threads][][];
            double[][][] expected = new double[threads][][];
            double[][] expectedMedian = new double[threads][];
            for (int k = 0; k < threads; k++) {
                inputs[k] = ModelFixtures.features(5 + k, 100 + k).toDoubleMatrix(); // a different shape per thread
                expected[k] = model.survival(inputs[k], 0.5, 1, 2);
                expectedMedian[k] = model.quantileTime(inputs[k], 0.5);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int k = 0; k < threads; k++) {
                    int me = k;
                    calls.add(pool.submit(() -> {
                        for (int round = 0; round < 200; round++) {
                            double[][] s = model.survival(inputs[me], 0.5, 1, 2);
                            for (int i = 0; i < s.length; i++) {
                                assertArrayEquals(expected[me][i], s[i], 0, "thread " + me + " round " + round);
                            }
                            assertArrayEquals(expectedMedian[me], model.quantileTime(inputs[me], 0.5), 0);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : calls) {
                    f.get(2, TimeUnit.MINUTES); // rethrows a thread's failed assertion
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
