package org.survival4j.benchmarks;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.survival4j.samediff.SameDiffMomentum;

/**
 * The momentum / plain ratio of {@link SameDiffMomentumBenchmark}'s {@code iteration}, measured
 * interleaved: each round runs one {@code fit} of {@value SameDiffMomentumBenchmark#BATCHES}
 * batches plainly and one with momentum, in alternating order, and the ratio is taken per round.
 * On a machine shared with other jobs the load changes between JMH's configurations (minutes
 * apart); two measurements a few milliseconds apart see the same load, so the median of the
 * per-round ratios is much steadier than the ratio of two JMH means. Not a JMH benchmark: run with
 *
 * <pre>
 * java -cp "$(cat cp.txt):momentum-core/target/classes:benchmarks/target/classes" org.survival4j.benchmarks.SameDiffMomentumInterleaved [rounds]
 * </pre>
 * (with {@code cp.txt} from {@code mvn -pl benchmarks dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
public final class SameDiffMomentumInterleaved {
    private SameDiffMomentumInterleaved() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int[][] shapes = {{64, 16}, {256, 64}};
        System.out.println("mlp, batch: plain us/iteration (median [quartiles]); momentum; momentum/plain per round");
        for (int[] shape : shapes) {
            int hidden = shape[0];
            int batch = shape[1];
            DataSet data = TrainingNetworks.batches(1, SameDiffMomentumBenchmark.BATCHES * batch,
                    SameDiffMomentumBenchmark.FEATURES, 42)[0];
            SameDiff plain = SameDiffMomentumBenchmark.mlp(hidden, 7);
            SameDiffMomentumBenchmark.withPlainCox(plain, data, batch);
            SameDiffMomentum momentum = SameDiffMomentumBenchmark.withMomentum(
                    SameDiffMomentumBenchmark.mlp(hidden, 7), batch);
            for (int r = 0; r < 5; r++) { // warm-up
                time(plain, null, data, batch);
                time(momentum.online(), momentum, data, batch);
            }
            double[] p = new double[rounds];
            double[] m = new double[rounds];
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    p[r] = time(plain, null, data, batch);
                    m[r] = time(momentum.online(), momentum, data, batch);
                } else {
                    m[r] = time(momentum.online(), momentum, data, batch);
                    p[r] = time(plain, null, data, batch);
                }
                ratio[r] = m[r] / p[r];
            }
            System.out.printf("32-%d-%d-1, %d: plain %s; momentum %s; ratio %s%n", hidden, hidden, batch,
                    summary(p, "%.0f"), summary(m, "%.0f"), summary(ratio, "%.2f"));
        }
    }

    /** Microseconds per iteration of one fit over all batches. */
    private static double time(SameDiff sd, SameDiffMomentum momentum, DataSet data, int batch) {
        ViewIterator batches = new ViewIterator(data, batch);
        long start = System.nanoTime();
        if (momentum != null) {
            sd.fit(batches, 1, momentum.listener());
        } else {
            sd.fit(batches, 1);
        }
        return (System.nanoTime() - start) / 1e3 / SameDiffMomentumBenchmark.BATCHES;
    }

    private static String summary(double[] values, String format) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format(format + " [" + format + ", " + format + "]", v[v.length / 2], v[v.length / 4],
                v[(3 * v.length) / 4]);
    }
}
