package org.survival4j.benchmarks;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;

/**
 * The momentum / plain ratio of one training iteration, measured interleaved, for the DL4J
 * listener ({@link MomentumStepBenchmark}'s networks) and for SameDiff
 * ({@link SameDiffMomentumBenchmark}'s graphs). Each round runs one epoch of
 * {@value SameDiffMomentumBenchmark#BATCHES} batches plainly and one with momentum, in alternating
 * order, and the ratio is taken per round. On a machine shared with other jobs the load changes
 * between JMH's configurations (minutes apart); two measurements a few milliseconds apart see the
 * same load, so the median of the per-round ratios is much steadier than the ratio of two JMH
 * means. Not a JMH benchmark: run with
 *
 * <pre>
 * java -cp "$(cat benchmarks/cp.txt):benchmarks/target/classes" \
 *     org.survival4j.benchmarks.InterleavedStepRatio dl4j|samediff [rounds]
 * </pre>
 * (with {@code benchmarks/cp.txt} from
 * {@code mvn -DskipTests package dependency:build-classpath -pl benchmarks -am -Dmdep.outputFile=cp.txt}).
 */
public final class InterleavedStepRatio {
    private static final int BATCHES = SameDiffMomentumBenchmark.BATCHES;

    private InterleavedStepRatio() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || !(args[0].equals("dl4j") || args[0].equals("samediff"))) {
            throw new IllegalArgumentException("usage: InterleavedStepRatio dl4j|samediff [rounds]");
        }
        boolean dl4j = args[0].equals("dl4j");
        int rounds = SmokeRuns.cap(args.length > 1 ? Integer.parseInt(args[1]) : 40, 2, "rounds");
        int warmUp = SmokeRuns.cap(5, 1, "warm-up rounds");
        TrainingNetworks.singleThreaded();
        System.out.println("mlp, batch: plain us/iteration (median [quartiles]); momentum; momentum/plain per round");
        for (int[] shape : new int[][] {{64, 16}, {256, 64}}) {
            int hidden = shape[0];
            int batch = shape[1];
            DataSet data = TrainingNetworks.batches(1, BATCHES * batch, SameDiffMomentumBenchmark.FEATURES, 42)[0];
            DoubleSupplier plain = dl4j ? dl4jEpoch(hidden, batch, data, false)
                    : sameDiffEpoch(hidden, batch, data, false);
            DoubleSupplier momentum = dl4j ? dl4jEpoch(hidden, batch, data, true)
                    : sameDiffEpoch(hidden, batch, data, true);
            for (int r = 0; r < warmUp; r++) {
                plain.getAsDouble();
                momentum.getAsDouble();
            }
            double[] p = new double[rounds];
            double[] m = new double[rounds];
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    p[r] = plain.getAsDouble();
                    m[r] = momentum.getAsDouble();
                } else {
                    m[r] = momentum.getAsDouble();
                    p[r] = plain.getAsDouble();
                }
                ratio[r] = m[r] / p[r];
            }
            System.out.printf("32-%d-%d-1, %d: plain %s; momentum %s; ratio %s%n", hidden, hidden, batch,
                    summary(p, "%.0f"), summary(m, "%.0f"), summary(ratio, "%.2f"));
        }
    }

    /** One epoch of {@code net.fit(iterator)}; returns microseconds per iteration. */
    private static DoubleSupplier dl4jEpoch(int hidden, int batch, DataSet data, boolean withMomentum) {
        MultiLayerNetwork net = TrainingNetworks.coxMlp(SameDiffMomentumBenchmark.FEATURES, hidden, 7);
        if (withMomentum) {
            TrainingNetworks.withMomentum(net, batch);
        }
        return () -> {
            long start = System.nanoTime();
            net.fit(new ViewIterator(data, batch));
            return (System.nanoTime() - start) / 1e3 / BATCHES;
        };
    }

    /** One epoch of {@code sd.fit(iterator, 1)}; returns microseconds per iteration. */
    private static DoubleSupplier sameDiffEpoch(int hidden, int batch, DataSet data, boolean withMomentum) {
        SameDiff sd;
        if (withMomentum) {
            sd = SameDiffMomentumBenchmark.withMomentum(SameDiffMomentumBenchmark.mlp(hidden, 7), batch).online();
        } else {
            sd = SameDiffMomentumBenchmark.mlp(hidden, 7);
            SameDiffMomentumBenchmark.withPlainCox(sd, data, batch);
        }
        return () -> { // a momentum graph carries its listener
            ViewIterator batches = new ViewIterator(data, batch);
            long start = System.nanoTime();
            sd.fit(batches, 1);
            return (System.nanoTime() - start) / 1e3 / BATCHES;
        };
    }

    private static String summary(double[] values, String format) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format(format + " [" + format + ", " + format + "]", v[v.length / 2], v[v.length / 4],
                v[(3 * v.length) / 4]);
    }
}
