package org.survival4j.benchmarks;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The distribution of single DL4J training iterations, plain and with momentum, on
 * {@link MomentumStepBenchmark}'s two networks: percentiles and mean of each, and the momentum / plain
 * ratio of the median and of the mean. The two networks take turns step by step (alternating which
 * goes first), so both see the same machine load. A mean well above the median means a heavy tail:
 * rare steps that stall for milliseconds, which JMH's mean shows but does not explain. Run with
 *
 * <pre>
 * java -cp "$(cat benchmarks/cp.txt):benchmarks/target/classes" org.survival4j.benchmarks.StepTimeDistribution [steps]
 * </pre>
 * (default 4,000 timed steps of each after 1,000 untimed; {@code cp.txt} as for {@link InterleavedStepRatio}).
 */
public final class StepTimeDistribution {
    private static final int WARM_UP = 1_000;
    private static final int BATCHES = 64;

    private StepTimeDistribution() {
    }

    public static void main(String[] args) {
        int steps = SmokeRuns.cap(args.length > 0 ? Integer.parseInt(args[0]) : 4_000, 20, "steps");
        int warmUp = SmokeRuns.cap(WARM_UP, 10, "warm-up steps");
        TrainingNetworks.singleThreaded();
        System.out.println("µs per iteration: p10 p50 p90 p99 max mean; momentum/plain of p50 and of the mean");
        for (int[] shape : new int[][] {{64, 16}, {256, 64}}) {
            int hidden = shape[0];
            int batch = shape[1];
            DataSet[] batches = TrainingNetworks.batches(BATCHES, batch, SameDiffMomentumBenchmark.FEATURES, 11);
            MultiLayerNetwork plain = TrainingNetworks.coxMlp(SameDiffMomentumBenchmark.FEATURES, hidden, 7);
            MultiLayerNetwork momentum = TrainingNetworks.coxMlp(SameDiffMomentumBenchmark.FEATURES, hidden, 7);
            TrainingNetworks.withMomentum(momentum, batch);
            for (int i = 0; i < warmUp; i++) {
                plain.fit(batches[i % BATCHES]);
                momentum.fit(batches[i % BATCHES]);
            }
            long[] p = new long[steps];
            long[] m = new long[steps];
            for (int i = 0; i < steps; i++) {
                DataSet b = batches[i % BATCHES];
                if (i % 2 == 0) {
                    p[i] = timed(plain, b);
                    m[i] = timed(momentum, b);
                } else {
                    m[i] = timed(momentum, b);
                    p[i] = timed(plain, b);
                }
            }
            double[] ps = describe(p);
            double[] ms = describe(m);
            System.out.printf("32-%d-%d-1, batch %d%n  plain    %s%n  momentum %s%n  ratio p50 %.2f, mean %.2f%n",
                    hidden, hidden, batch, format(ps), format(ms), ms[1] / ps[1], ms[5] / ps[5]);
        }
    }

    private static long timed(MultiLayerNetwork net, DataSet batch) {
        long start = System.nanoTime();
        net.fit(batch);
        return System.nanoTime() - start;
    }

    /** p10, p50, p90, p99, max and mean, in µs. */
    private static double[] describe(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int n = s.length;
        return new double[] {s[n / 10] / 1e3, s[n / 2] / 1e3, s[9 * n / 10] / 1e3, s[99 * n / 100] / 1e3,
                s[n - 1] / 1e3, Arrays.stream(s).average().orElse(0) / 1e3};
    }

    private static String format(double[] d) {
        return String.format("%,.0f %,.0f %,.0f %,.0f %,.0f %,.0f", d[0], d[1], d[2], d[3], d[4], d[5]);
    }
}
