package org.survival4j.benchmarks;

import java.util.Locale;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerResponse;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.listeners.records.LossCurve;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;

/**
 * The heap that one {@code sd.fit(iterator, epochs)} call holds on to while it runs, for the Cox MLP of
 * {@link SameDiffMomentumBenchmark} (32 -> 64 -> 64 -> 1, batch 16, 64 batches an epoch), plain or
 * with momentum. Prints the heap after full collections at every fifth of the run, from a listener
 * inside the call. {@link MomentumSoak} calls {@code fit} once per epoch instead and sees a flat heap:
 * the difference is what SameDiff M2.1 keeps per iteration until a {@code fit} call returns.
 *
 * <pre>
 * java -Xmx512m -XX:+UseSerialGC -cp "$(cat cp.txt):benchmarks/target/classes" \
 *     org.survival4j.benchmarks.SameDiffFitMemory plain|momentum [epochs] [no-cache]
 * </pre>
 * {@code no-cache} switches off the array cache of the graph's gradient function
 * ({@code setEnableCache(false)}) after a first epoch.
 */
public final class SameDiffFitMemory {
    private static final int BATCHES = 64;

    private SameDiffFitMemory() {
    }

    public static void main(String[] args) {
        boolean momentum = args.length > 0 && args[0].equals("momentum");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        boolean cache = !(args.length > 2 && args[2].equals("no-cache"));
        TrainingNetworks.singleThreaded();
        DataSet data = TrainingNetworks.batches(1, BATCHES * 16, SameDiffMomentumBenchmark.FEATURES, 42)[0];
        SameDiff sd = SameDiffMomentumBenchmark.mlp(64, 7);
        if (momentum) {
            SameDiffMomentumBenchmark.withMomentum(sd, 16, false);
        } else {
            SameDiffMomentumBenchmark.withPlainCox(sd, data, 16);
        }
        if (!cache) {
            sd.fit(new ViewIterator(data, 16), 1); // creates the gradient function
            sd.getFunction("grad").setEnableCache(false);
        }
        System.out.println((momentum ? "momentum" : "plain") + ", " + epochs + " epochs in one fit call, array cache "
                + (cache ? "on" : "off"));
        long start = System.nanoTime();
        sd.fit(new ViewIterator(data, 16), epochs, new BaseListener() {
            private int epoch;

            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public ListenerResponse epochEnd(SameDiff graph, At at, LossCurve lossCurve, long epochTimeMillis) {
                if (++epoch % Math.max(1, epochs / 5) == 0) {
                    double heap;
                    try {
                        heap = MomentumSoak.settledHeapMegabytes();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return ListenerResponse.STOP;
                    }
                    System.out.println(String.format(Locale.ROOT, "iteration %6d: heap %6.1f MB, %5.0f us/iteration",
                            epoch * BATCHES, heap, (System.nanoTime() - start) / 1e3 / (epoch * BATCHES)));
                }
                return ListenerResponse.CONTINUE;
            }
        });
    }
}
