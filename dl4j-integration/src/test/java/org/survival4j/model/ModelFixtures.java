package org.survival4j.model;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.DeepHitLossFunction;
import org.survival4j.dl4j.FineGrayLossFunction;
import org.survival4j.dl4j.GridHazardLossFunction;
import org.survival4j.dl4j.Momentum;
import org.survival4j.dl4j.WeibullLossFunction;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.loss.Ties;

/** Networks and data shared by the survival model and explanation tests. */
public final class ModelFixtures {
    public static final int FEATURES = 3;
    /** The training features of the small models below. */
    static final INDArray TRAINING_X = features(96, 5);

    private ModelFixtures() {
    }

    /**
     * A Cox "network" whose output is its single input: a linear layer with weight 1 and no bias,
     * in double, so that a model's linear predictor is exactly the given log hazard (R's offset).
     */
    static MultiLayerNetwork identityCox(Ties ties) {
        return identity(new CoxLossFunction(ties), 1);
    }

    /**
     * A network whose outputs are its inputs: one linear layer of identity weights without bias, in
     * double, so that a model's outputs are exactly the given log hazards (R's offsets).
     */
    static MultiLayerNetwork identity(ILossFunction loss, int width) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list()
                .layer(new OutputLayer.Builder(loss).nIn(width).nOut(width).activation(Activation.IDENTITY)
                        .hasBias(false).build())
                .build());
        net.init();
        net.params().assign(Nd4j.eye(width).reshape(net.params().shape()));
        return net;
    }

    /** A small MLP (3 inputs, 6 tanh units) with the given loss and outputs, seeded. */
    public static MultiLayerNetwork mlp(ILossFunction loss, int outputs, DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11).dataType(type)
                .updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(6).nOut(outputs).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /** Standard normal features {@code [n, FEATURES]}, seeded. */
    public static INDArray features(int n, long seed) {
        Random rng = new Random(seed);
        double[][] x = new double[n][FEATURES];
        for (double[] row : x) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return Nd4j.createFromArray(x);
    }

    /**
     * Labels {@code [n, 2]} = (time, event) whose times depend on the features (so a network
     * learns something), with ties (times rounded to one decimal) and about a third censored;
     * with {@code counting}, {@code [n, 3]} = (start, stop, event) with late entries.
     */
    public static INDArray labels(INDArray x, long seed, boolean counting) {
        Random rng = new Random(seed);
        int n = (int) x.rows();
        double[][] y = new double[n][counting ? 3 : 2];
        for (int i = 0; i < n; i++) {
            double rate = Math.exp(0.8 * x.getDouble(i, 0) - 0.5 * x.getDouble(i, 1));
            double t = Math.round(10 * (0.05 - Math.log(rng.nextDouble()) / rate)) / 10.0 + 0.1;
            int k = counting ? 1 : 0;
            if (counting) {
                y[i][0] = rng.nextDouble() < 0.3 ? Math.floor(5 * rng.nextDouble() * t) / 10 : 0;
            }
            y[i][k] = t;
            y[i][k + 1] = rng.nextDouble() < 0.67 ? 1 : 0;
        }
        return Nd4j.createFromArray(y);
    }

    /** Trains {@code net} for a few epochs of batches of 16 on (x, y). */
    public static void train(MultiLayerNetwork net, INDArray x, INDArray y, int epochs) {
        DataType type = net.params().dataType();
        for (int e = 0; e < epochs; e++) {
            for (int from = 0; from < x.rows(); from += 16) {
                int to = (int) Math.min(x.rows(), from + 16);
                net.fit(new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).castTo(type),
                        y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).castTo(type)));
            }
        }
    }

    /** A Cox model of a small MLP trained briefly on {@link #TRAINING_X}, plainly or with momentum. */
    static SurvivalModel cox(boolean momentum, boolean counting) {
        INDArray y = labels(TRAINING_X, 7, counting);
        MultiLayerNetwork net = mlp(new CoxLossFunction(Ties.EFRON), 1, DataType.FLOAT);
        if (momentum) {
            Momentum m = Momentum.attach(net, MomentumConfig.builder().batchSize(16).steps(3).rate(0.9).build());
            train(net, TRAINING_X, y, 2);
            return SurvivalModel.builder(m).trainingData(TRAINING_X, y).build();
        }
        train(net, TRAINING_X, y, 2);
        return SurvivalModel.builder(net).trainingData(TRAINING_X, y).build();
    }

    /** A Weibull model, trained briefly. */
    public static SurvivalModel weibull() {
        INDArray y = labels(TRAINING_X, 8, false);
        MultiLayerNetwork net = mlp(new WeibullLossFunction(), 2, DataType.DOUBLE);
        train(net, TRAINING_X, y, 2);
        return SurvivalModel.builder(net).trainingData(TRAINING_X, y).build();
    }

    /** A grid-hazard model with knots 0, 0.5, 1, 2, trained briefly. */
    public static SurvivalModel grid() {
        INDArray y = labels(TRAINING_X, 9, false);
        MultiLayerNetwork net = mlp(new GridHazardLossFunction(new double[] {0, 0.5, 1, 2}), 4,
                DataType.FLOAT);
        train(net, TRAINING_X, y, 2);
        return SurvivalModel.builder(net).trainingData(TRAINING_X, y).build();
    }

    /**
     * Competing-risks labels {@code [n, 2]} = (time, cause): {@link #labels}, with the events of the
     * rows whose second feature is positive made cause 2.
     */
    public static INDArray competingLabels(INDArray x, long seed) {
        INDArray y = labels(x, seed, false);
        for (int i = 0; i < y.rows(); i++) {
            if (y.getDouble(i, 1) == 1 && x.getDouble(i, 1) > 0) {
                y.putScalar(i, 1, 2.0);
            }
        }
        return y;
    }

    /** Strata 0 and 1 in turn, one per row of {@link #TRAINING_X}. */
    static int[] alternatingStrata() {
        int[] s = new int[(int) TRAINING_X.rows()];
        for (int i = 0; i < s.length; i++) {
            s[i] = i % 2;
        }
        return s;
    }

    /** A cause-specific Cox model of two causes (Efron ties), trained briefly, plainly or with momentum. */
    static SurvivalModel causeSpecific(boolean momentum, boolean stratified) {
        INDArray y = competingLabels(TRAINING_X, 12);
        MultiLayerNetwork net = mlp(new CauseSpecificCoxLossFunction(2, Ties.EFRON), 2, DataType.DOUBLE);
        Momentum m = momentum ? Momentum.attach(net, MomentumConfig.builder().batchSize(16).steps(3).rate(0.9).build())
                : null;
        train(net, TRAINING_X, y, 2);
        return (m != null ? SurvivalModel.builder(m) : SurvivalModel.builder(net)).trainingData(TRAINING_X, y)
                .strata(stratified ? alternatingStrata() : null).build();
    }

    /** A Fine-Gray model of cause 2 (Breslow ties), trained briefly. */
    static SurvivalModel fineGray() {
        INDArray y = competingLabels(TRAINING_X, 13);
        MultiLayerNetwork net = mlp(new FineGrayLossFunction(2, Ties.BRESLOW), 1, DataType.DOUBLE);
        train(net, TRAINING_X, y, 2);
        return SurvivalModel.builder(net).trainingData(TRAINING_X, y).build();
    }

    /** The grid times of {@link #deepHit()}. */
    static final double[] DEEPHIT_GRID = {0, 0.5, 1, 2, 4};

    /**
     * A DeepHit model of two causes on {@link #DEEPHIT_GRID} (a time's grid index is the last grid
     * time at or before it), trained briefly in single precision.
     */
    static SurvivalModel deepHit() {
        INDArray y = competingLabels(TRAINING_X, 14);
        for (int i = 0; i < y.rows(); i++) {
            int g = java.util.Arrays.binarySearch(DEEPHIT_GRID, y.getDouble(i, 0));
            y.putScalar(i, 0, g >= 0 ? g : -g - 2);
        }
        MultiLayerNetwork net = mlp(new DeepHitLossFunction(2, DEEPHIT_GRID.length, 0.2, 0.1),
                2 * DEEPHIT_GRID.length, DataType.FLOAT);
        train(net, TRAINING_X, y, 2);
        return SurvivalModel.builder(net).trainingData(TRAINING_X, y).gridTimes(DEEPHIT_GRID).build();
    }

    /**
     * A linear Cox model \( \eta = \beta^\top x \) (one dense output layer without bias, in double)
     * with the baseline of the given training rows.
     */
    public static SurvivalModel linearCox(double[] beta, INDArray x, INDArray labels) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list()
                .layer(new OutputLayer.Builder(new CoxLossFunction(Ties.BRESLOW)).nIn(beta.length).nOut(1)
                        .activation(Activation.IDENTITY).hasBias(false).build())
                .build());
        net.init();
        net.params().assign(Nd4j.createFromArray(beta).reshape(net.params().shape()));
        return SurvivalModel.builder(net).trainingData(x.castTo(DataType.DOUBLE), labels.castTo(DataType.DOUBLE)).build();
    }
}
