package org.survival4j.benchmarks;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.survival4j.dl4j.Momentum;

/**
 * Memory soak of momentum training: a small Cox MLP (32 -> 64 -> 64 -> 1, batch 16, steps 10)
 * trained for many iterations, printing heap and off-heap use every tenth of the run. Memory that
 * grows with the iteration count (a kept reference, a workspace leak, an allocation per step that
 * is never freed) shows as a rising trend after warm-up.
 *
 * <pre>
 * mvn -B -DskipTests -Psoak package -pl benchmarks -am -Dsoak.iterations=100000 [-Dsoak.training=plain]
 * </pre>
 *
 * <p>Heap is measured after {@code System.gc()}; off-heap is JavaCPP's count of bytes it allocated
 * ({@code Pointer.totalBytes()}) and the process's resident set ({@code Pointer.physicalBytes()}).
 */
public final class MomentumSoak {
    private MomentumSoak() {
    }

    public static void main(String[] args) throws InterruptedException {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean withMomentum = args.length < 2 || !args[1].equals("plain");
        TrainingNetworks.singleThreaded();
        MultiLayerNetwork net = TrainingNetworks.coxMlp(32, 64, 3);
        DataSet[] batches = TrainingNetworks.batches(64, 16, 32, 5);
        Momentum momentum = withMomentum ? TrainingNetworks.withMomentum(net, 16) : null;
        System.out.println((withMomentum ? "momentum" : "plain") + " training, " + iterations + " iterations");
        System.out.println("iteration  heap_MB  javacpp_total_MB  physical_MB  loss");
        int report = Math.max(1, iterations / 10);
        long start = System.nanoTime();
        for (int i = 1; i <= iterations; i++) {
            net.fit(batches[i & 63]);
            if (i % report == 0 || i == 1000) {
                settle();
                Runtime rt = Runtime.getRuntime();
                System.out.println(String.format(Locale.ROOT, "%9d  %7.1f  %16.1f  %11.1f  %.4f", i,
                        (rt.totalMemory() - rt.freeMemory()) / 1e6, Pointer.totalBytes() / 1e6,
                        Pointer.physicalBytes() / 1e6, net.score()));
            }
        }
        System.out.println(String.format(Locale.ROOT, "%d iterations in %.1f s%s", iterations,
                (System.nanoTime() - start) / 1e9, withMomentum ? ", bank " + momentum.bankSize() + " rows" : ""));
    }

    /**
     * Full collections with pauses: ND4J frees native buffers from a deallocator thread fed by
     * phantom references, so the Java side of dead arrays lingers until that thread has run.
     */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
