package org.survival4j.benchmarks;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Native allocations of one training step, counted (issue 22): the change of JavaCPP's count of
 * live pointers ({@code Pointer.totalCount()}) and their bytes ({@code Pointer.totalBytes()}) over
 * a number of steps, divided by the steps, for the same MLP (32-64-64-1, batch 16, Adam, float,
 * one thread) trained with DL4J's own MSE loss (the baseline: DL4J's allocations), with the Cox
 * loss, and with the Cox loss and momentum.
 *
 * <p>Run it with JavaCPP's pointer garbage collection off, so that nothing allocated is freed by
 * the collector during the count and every per-step allocation shows:
 * <pre>
 * java -Dorg.bytedeco.javacpp.nopointergc=true -cp ... org.survival4j.benchmarks.StepAllocations [steps]
 * </pre>
 * Counts, unlike times, do not depend on the machine's load. Arrays that DL4J allocates in its
 * workspaces do not appear (a workspace is one allocation, reused).
 */
public final class StepAllocations {
    private StepAllocations() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        TrainingNetworks.singleThreaded();
        DataSet[] batches = TrainingNetworks.batches(8, 16, 32, 5);
        System.out.println("pointer GC " + (Boolean.getBoolean("org.bytedeco.javacpp.nopointergc") ? "off" : "ON: "
                + "counts are net of whatever the collector freed; run with -Dorg.bytedeco.javacpp.nopointergc=true"));
        System.out.println("training             pointers/step  bytes/step");
        measure("DL4J MSE (baseline)", mseMlp(), batches, steps);
        measure("Cox", TrainingNetworks.coxMlp(32, 64, 3), batches, steps);
        MultiLayerNetwork momentum = TrainingNetworks.coxMlp(32, 64, 3);
        TrainingNetworks.withMomentum(momentum, 16);
        measure("Cox + momentum", momentum, batches, steps);
    }

    private static void measure(String name, MultiLayerNetwork net, DataSet[] batches, int steps) {
        for (int i = 0; i < 50; i++) { // warm-up: workspaces, updater state and the bank reach their size
            net.fit(batches[i % batches.length]);
        }
        long count = Pointer.totalCount();
        long bytes = Pointer.totalBytes();
        for (int i = 0; i < steps; i++) {
            net.fit(batches[i % batches.length]);
        }
        System.out.println(String.format(Locale.ROOT, "%-20s %14.1f %11.0f", name,
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
