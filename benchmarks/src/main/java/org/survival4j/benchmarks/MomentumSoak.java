package org.survival4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.survival4j.samediff.KernelGradientLoss;
import org.survival4j.samediff.SameDiffMomentum;

/**
 * Memory soak of momentum training: a small Cox MLP (32 -> 64 -> 64 -> 1, batch 16, steps 10)
 * trained for many iterations, printing heap and off-heap use every tenth of the run. Memory that
 * grows with the iteration count (a kept reference, a workspace leak, an allocation per step that
 * is never freed) shows as a rising trend after warm-up. Modes: {@code momentum} and {@code plain}
 * (DL4J, ReLU); the SameDiff graph of {@link SameDiffMomentumBenchmark} (tanh) with momentum,
 * {@code samediff} (the loss as the kernel's gradient, the default) and {@code samediff-graph}
 * (the graph loss), and plain, {@code samediff-plain} (the graph loss) and
 * {@code samediff-plain-kernel}.
 *
 * <pre>
 * mvn -B -DskipTests -Psoak package -pl benchmarks -am -Dsoak.iterations=100000 [-Dsoak.training=plain]
 * </pre>
 *
 * <p>Heap is measured after {@code System.gc()}; off-heap is JavaCPP's count of bytes it allocated
 * ({@code Pointer.totalBytes()}) and the process's resident set ({@code Pointer.physicalBytes()}).
 */
public final class MomentumSoak {
    private static final int BATCHES = 64;

    private MomentumSoak() {
    }

    public static void main(String[] args) throws InterruptedException {
        int iterations = SmokeRuns.cap(args.length > 0 ? Integer.parseInt(args[0]) : 100_000, 640, "iterations");
        String mode = args.length > 1 ? args[1] : "momentum";
        TrainingNetworks.singleThreaded();
        DataSet[] batches = TrainingNetworks.batches(BATCHES, 16, 32, 5);
        Runnable epoch;
        DoubleSupplier loss;
        switch (mode) {
            case "momentum", "plain" -> {
                MultiLayerNetwork net = TrainingNetworks.coxMlp(32, 64, 3);
                if (mode.equals("momentum")) {
                    TrainingNetworks.withMomentum(net, 16);
                }
                epoch = () -> {
                    for (DataSet b : batches) {
                        net.fit(b);
                    }
                };
                loss = net::score;
            }
            case "samediff", "samediff-graph", "samediff-plain", "samediff-plain-kernel" -> {
                DataSet all = DataSet.merge(List.of(batches));
                SameDiff sd = SameDiffMomentumBenchmark.mlp(64, 3);
                SameDiffMomentum momentum = null;
                KernelGradientLoss kernel = null;
                switch (mode) {
                    case "samediff" -> momentum = SameDiffMomentumBenchmark.withMomentum(sd, 16, false);
                    case "samediff-graph" -> momentum = SameDiffMomentumBenchmark.withMomentum(sd, 16, true);
                    case "samediff-plain-kernel" -> kernel = SameDiffMomentumBenchmark.withPlainKernel(sd);
                    default -> SameDiffMomentumBenchmark.withPlainCox(sd, all, 16);
                }
                // fresh labels each epoch: repeated ones are memorised until the float graph's log hazards
                // leave its range (the momentum listener then stops the run, as it should)
                int[] epochs = {0};
                epoch = () -> {
                    DataSet fresh = DataSet.merge(List.of(TrainingNetworks.batches(BATCHES, 16, 32, ++epochs[0])));
                    sd.fit(new ViewIterator(fresh, 16), 1);
                };
                SameDiffMomentum m = momentum;
                KernelGradientLoss k = kernel;
                loss = () -> m != null ? m.lastLoss() : k != null ? k.lastLoss() : Double.NaN;
            }
            default -> throw new IllegalArgumentException("mode: momentum, plain, samediff, samediff-graph,"
                    + " samediff-plain or samediff-plain-kernel");
        }
        System.out.println(mode + " training, " + iterations + " iterations; JVM options "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("iteration  heap_MB  javacpp_total_MB  physical_MB  loss");
        int report = Math.max(BATCHES, iterations / 10 / BATCHES * BATCHES);
        long start = System.nanoTime();
        for (int i = BATCHES; i <= iterations; i += BATCHES) {
            epoch.run();
            if (i % report == 0 || i == BATCHES * 16) {
                System.out.println(String.format(Locale.ROOT, "%9d  %7.1f  %16.1f  %11.1f  %.4f", i,
                        settledHeapMegabytes(), Pointer.totalBytes() / 1e6,
                        Pointer.physicalBytes() / 1e6, loss.getAsDouble()));
            }
        }
        System.out.println(String.format(Locale.ROOT, "%d iterations in %.1f s", iterations / BATCHES * BATCHES,
                (System.nanoTime() - start) / 1e9));
    }

    /**
     * The heap in use, in MB, after full collections with pauses: ND4J frees native buffers from a
     * deallocator thread fed by phantom references, so the Java side of dead arrays lingers until
     * that thread has run.
     */
    static double settledHeapMegabytes() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / 1e6;
    }
}
