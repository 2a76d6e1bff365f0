package org.survival4j.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.GradientCache;

/**
 * Memory and time of one optimizer step of a CNN on a batch of 256 images (28 x 28): plain
 * {@code net.fit} on the 256 rows, against the {@link GradientCache} with 16 micro-batches of 16
 * (the same step). Reports DL4J's workspace memory after the steps (the activations of a training
 * step live there), the peak of JavaCPP's physical bytes (the process's resident memory, sampled
 * after each step) and the median time of a step. Run each arm in its own JVM so that peaks do not
 * mix (docs/benchmarks.md):
 *
 * <pre>
 * java -cp "$(cat cp.txt):momentum-core/target/classes:dl4j-integration/target/classes:benchmarks/target/classes" \
 *     org.survival4j.benchmarks.GradientCacheMemory plain|cache [steps]
 * </pre>
 */
public final class GradientCacheMemory {
    private static final int ROWS = 256;
    private static final int MICRO = 16;

    private GradientCacheMemory() {
    }

    static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(new CoxLossFunction()).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Random images with Cox labels (time, event); every fourth row censored. */
    static List<DataSet> microBatches(long seed) {
        Random rng = new Random(seed);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < ROWS / MICRO; b++) {
            float[][] x = new float[MICRO][28 * 28];
            float[][] y = new float[MICRO][2];
            for (int i = 0; i < MICRO; i++) {
                for (int j = 0; j < x[i].length; j++) {
                    x[i][j] = rng.nextFloat();
                }
                y[i][0] = 1 + rng.nextInt(50);
                y[i][1] = rng.nextInt(4) == 0 ? 0 : 1;
            }
            batches.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return batches;
    }

    private static long workspaceBytes() {
        long total = 0;
        for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            total += ws.getCurrentSize();
        }
        return total;
    }

    public static void main(String[] args) {
        boolean cache = args.length > 0 && args[0].equals("cache");
        int steps = SmokeRuns.cap(args.length > 1 ? Integer.parseInt(args[1]) : 20, 1, "steps");
        TrainingNetworks.singleThreaded();
        MultiLayerNetwork net = cnn();
        List<DataSet> micro = microBatches(1);
        DataSet full = DataSet.merge(micro);
        GradientCache gradientCache = cache ? GradientCache.attach(net, MICRO) : null;
        long[] nanos = new long[steps];
        long peakPhysical = 0;
        for (int s = 0; s < steps; s++) {
            long t = System.nanoTime();
            if (cache) {
                gradientCache.step(micro);
            } else {
                net.fit(full);
            }
            nanos[s] = System.nanoTime() - t;
            peakPhysical = Math.max(peakPhysical, Pointer.physicalBytes());
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-6s %d rows a step%s: workspaces %.1f MB, peak physical %.0f MB,"
                        + " median step %.0f ms, loss %.4f%n", cache ? "cache" : "plain", ROWS,
                cache ? " (" + ROWS / MICRO + " x " + MICRO + ")" : "", workspaceBytes() / 1e6, peakPhysical / 1e6,
                nanos[steps / 2] / 1e6, net.score());
    }
}
