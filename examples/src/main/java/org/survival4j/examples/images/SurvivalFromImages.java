package org.survival4j.examples.images;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.Momentum;
import org.survival4j.examples.train.Trainer;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.momentum.MomentumConfig;

/**
 * Survival from images: a small CNN ({@code ComputationGraph}, Cox loss) learns the hazard of
 * Fashion-MNIST images under an {@link ImageSurvivalTask}, trained plainly and with momentum;
 * prints Harrell's C on held-out images next to the oracle's (the true hazard's).
 *
 * <pre>
 * mvn -B -q -DskipTests -Ptrain package -pl examples -am \
 *     -Dmain.class=org.survival4j.examples.images.SurvivalFromImages -Dexec.args="weibull 3"
 * </pre>
 * Arguments: the task ({@code weibull} or {@code class_order}), the epochs, and {@code --full} for
 * the installed data set (60,000 + 10,000 images, {@link FashionMnist#INSTALLED}) instead of the
 * embedded subset. Measured on the subset (2 shared cores, 3 epochs, 23 s): Weibull task, oracle
 * C 0.74, plain batch 32 0.70, momentum batch 8 (64 pooled rows) 0.71.
 */
public final class SurvivalFromImages {
    private SurvivalFromImages() {
    }

    /** Conv 5x5x8, max-pool, conv 5x5x16, max-pool, dense 32, Cox output (log hazard, no bias). */
    public static ComputationGraph cnn(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("image")
                .setInputTypes(InputType.convolutionalFlat(FashionMnist.SIDE, FashionMnist.SIDE, 1))
                .addLayer("conv1", new ConvolutionLayer.Builder(5, 5).nOut(8).activation(Activation.RELU).build(),
                        "image")
                .addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build(),
                        "pool1")
                .addLayer("pool2", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "conv2")
                .addLayer("dense", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "pool2")
                .addLayer("logHazard", new OutputLayer.Builder(new CoxLossFunction()).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), "dense")
                .setOutputs("logHazard")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** The images with the task's labels, in batches of {@code batchSize} (the last may be smaller). */
    public static List<DataSet> batches(FashionMnist.Images images, ImageSurvivalTask.Labels labels, int batchSize) {
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < images.size(); from += batchSize) {
            int n = Math.min(batchSize, images.size() - from);
            float[][] x = new float[n][];
            float[][] y = new float[n][];
            for (int i = 0; i < n; i++) {
                x[i] = images.pixels()[from + i];
                y[i] = new float[] {(float) labels.time()[from + i], (float) labels.event()[from + i]};
            }
            batches.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return batches;
    }

    /** Harrell's C of {@code predictor}'s log hazards on the images. */
    public static double harrell(ComputationGraph predictor, FashionMnist.Images images,
                                 ImageSurvivalTask.Labels labels) {
        INDArray logHazard = predictor.outputSingle(Nd4j.createFromArray(images.pixels())).ravel();
        return ConcordanceIndex.harrell(logHazard.castTo(DataType.DOUBLE), Nd4j.createFromArray(labels.time()),
                Nd4j.createFromArray(labels.event()));
    }

    public static void main(String[] args) throws IOException {
        ImageSurvivalTask task = args.length > 0 ? ImageSurvivalTask.valueOf(args[0].toUpperCase(Locale.ROOT))
                : ImageSurvivalTask.WEIBULL;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean full = args.length > 2 && args[2].equals("--full");
        Trainer.useOneThread();
        FashionMnist data = full ? FashionMnist.read(FashionMnist.INSTALLED) : FashionMnist.embedded();
        ImageSurvivalTask.Labels train = task.labels(data.train().classes(), 1);
        ImageSurvivalTask.Labels test = task.labels(data.test().classes(), 2);
        System.out.printf(Locale.ROOT, "%s: %d training and %d test images, %.0f %% events; oracle C on the test"
                        + " images %.4f%n", task, data.train().size(), data.test().size(), 100 * train.eventFraction(),
                ConcordanceIndex.harrell(Nd4j.createFromArray(test.trueLogHazard()), Nd4j.createFromArray(test.time()),
                        Nd4j.createFromArray(test.event())));

        ComputationGraph plain = cnn(7);
        ComputationGraph online = cnn(7);
        Momentum momentum = Momentum.attach(online, MomentumConfig.builder().batchSize(8).steps(8).rate(0.99).build());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            plain.fit(new ListDataSetIterator<>(batches(data.train(), train, 32), 1));
            online.fit(new ListDataSetIterator<>(batches(data.train(), train, 8), 1));
            System.out.printf(Locale.ROOT, "epoch %d: C plain (batch 32) %.4f, momentum (batch 8, 64 pooled rows)"
                    + " target %.4f%n", epoch, harrell(plain, data.test(), test),
                    harrell(momentum.target(), data.test(), test));
        }
    }
}
