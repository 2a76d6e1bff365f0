package org.survival4j.benchmarks;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.Momentum;
import org.survival4j.momentum.MomentumConfig;

/** The networks and data of the training-step benchmarks and the memory soak. */
final class TrainingNetworks {
    private TrainingNetworks() {
    }

    /**
     * ND4J on one thread: on a small, shared 2-core machine, its thread pools cost more than they
     * give for networks of this size (a 64-row step took ~20x longer with the default pools).
     */
    static void singleThreaded() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }

    /** An MLP {@code in -> hidden -> hidden -> 1} (ReLU) with a Cox output layer, float32, Adam. */
    static MultiLayerNetwork coxMlp(int in, int hidden, long seed) {
        return mlp(in, hidden, new CoxLossFunction(), 1, seed);
    }

    /** An MLP {@code in -> hidden -> hidden -> outputs} (ReLU) with the given survival loss, float32, Adam. */
    static MultiLayerNetwork mlp(int in, int hidden, ILossFunction loss, int outputs, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(in).nOut(hidden).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(loss).nIn(hidden).nOut(outputs)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /** Attaches momentum with the benchmarks' settings: torchsurv's defaults, steps 10 and rate 0.999. */
    static Momentum withMomentum(MultiLayerNetwork net, int batchSize) {
        return Momentum.attach(net, MomentumConfig.builder().batchSize(batchSize).steps(10).rate(0.999).build());
    }

    /** {@code count} batches of {@code rows} rows: Gaussian features, exponential times, ~30 % censored. */
    static DataSet[] batches(int count, int rows, int features, long seed) {
        Random rng = new Random(seed);
        DataSet[] out = new DataSet[count];
        for (int b = 0; b < count; b++) {
            float[][] x = new float[rows][features];
            float[][] y = new float[rows][2];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < features; j++) {
                    x[i][j] = (float) rng.nextGaussian();
                }
                y[i][0] = (float) (-Math.log(1 - rng.nextDouble()) * 100);
                y[i][1] = rng.nextDouble() < 0.7 ? 1 : 0;
            }
            out[b] = new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
        }
        return out;
    }
}
