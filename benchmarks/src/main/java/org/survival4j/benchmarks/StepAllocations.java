package org.survival4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Native allocations of one training step, counted (issue 22): the change of JavaCPP's count of
 * live pointers ({@code Pointer.totalCount()}) and their bytes ({@code Pointer.totalBytes()}) over
 * a number of steps, divided by the steps, for the same MLP (32-64-64-1, batch 16, Adam, float,
 * one thread) trained with DL4J's own MSE loss (the baseline: DL4J's allocations), with the Cox
 * loss, and with the Cox loss and momentum; and a SameDiff MLP (32-64-64-1, tanh) with the Cox
 * loss, plainly and with momentum.
 *
 * <p>Every such pointer is freed only when the Java collector finds its owner unreachable, and that
 * tracking is what makes a small step slow (docs/benchmarks.md). To count allocations rather than
 * what is still alive, run it under the no-op collector, which never frees anything (JavaCPP's
 * {@code nopointergc} flag instead stops the counting itself):
 * <pre>
 * java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx6g -cp ... \
 *     org.survival4j.benchmarks.StepAllocations [steps]
 * </pre>
 * Counts, unlike times, do not depend on the machine's load. Arrays that DL4J allocates in its
 * workspaces do not appear (a workspace is one allocation, reused).
 */
public final class StepAllocations {
    private StepAllocations() {
    }

    public static void main(String[] args) {
        int steps = SmokeRuns.cap(args.length > 0 ? Integer.parseInt(args[0]) : 200, 20, "steps");
        TrainingNetworks.singleThreaded();
        DataSet[] batches = TrainingNetworks.batches(8, 16, 32, 5);
        boolean epsilon = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(gc -> gc.getName().startsWith("Epsilon"));
        System.out.println(epsilon ? "no-op collector: every allocation counts"
                : "WARNING: a collecting GC frees pointers during the count; run with -XX:+UseEpsilonGC");
        System.out.println("training                  pointers/step  bytes/step");
        measure("DL4J MSE (baseline)", mseMlp(), net -> net::fit, batches, steps);
        measure("DL4J Cox", TrainingNetworks.coxMlp(32, 64, 3), net -> net::fit, batches, steps);
        MultiLayerNetwork momentum = TrainingNetworks.coxMlp(32, 64, 3);
        TrainingNetworks.withMomentum(momentum, 16);
        measure("DL4J Cox + momentum", momentum, net -> net::fit, batches, steps);
        // what momentum adds beyond the step: mostly the target's forward pass on the batch
        measure("DL4J forward (target)", TrainingNetworks.coxMlp(32, 64, 3), net -> b -> net.output(b.getFeatures()),
                batches, steps);
        DataSet all = DataSet.merge(List.of(batches));
        SameDiff plain = SameDiffMomentumBenchmark.mlp(64, 3);
        SameDiffMomentumBenchmark.withPlainCox(plain, all, 16);
        measure("SameDiff Cox", plain, sd -> b -> sd.fit(new ViewIterator(b, 16), 1), batches, steps);
        SameDiff graph = SameDiffMomentumBenchmark.mlp(64, 3);
        SameDiffMomentumBenchmark.withMomentum(graph, 16, false);
        measure("SameDiff Cox + momentum", graph, sd -> b -> sd.fit(new ViewIterator(b, 16), 1), batches, steps);
        measure("SameDiff forward (target)", SameDiffMomentumBenchmark.mlp(64, 3),
                sd -> b -> sd.output(Map.of("in", b.getFeatures()), "logHz"), batches, steps);
    }

    private static <N> void measure(String name, N net, Function<N, Consumer<DataSet>> fit, DataSet[] batches,
                                    int steps) {
        Consumer<DataSet> step = fit.apply(net);
        for (int i = 0; i < 50; i++) { // warm-up: workspaces, updater state and the bank reach their size
            step.accept(batches[i % batches.length]);
        }
        long count = Pointer.totalCount();
        long bytes = Pointer.totalBytes();
        for (int i = 0; i < steps; i++) {
            step.accept(batches[i % batches.length]);
        }
        System.out.println(String.format(Locale.ROOT, "%-25s %14.1f %11.0f", name,
                (Pointer.totalCount() - count) / (double) steps, (Pointer.totalBytes() - bytes) / (double) steps));
    }

    /** The same MLP as {@link TrainingNetworks#coxMlp} with DL4J's MSE loss on one output. */
    private static MultiLayerNetwork mseMlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(32).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(64).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }
}
