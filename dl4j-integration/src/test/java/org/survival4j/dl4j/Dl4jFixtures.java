package org.survival4j.dl4j;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.testing.RandomSurvivalData;

/**
 * Tiny double-precision networks and survival batches shared by the DL4J adapter tests: a dense
 * tanh layer feeding an identity output layer that uses the loss under test, as a
 * {@code MultiLayerNetwork} or a {@code ComputationGraph}.
 */
final class Dl4jFixtures {
    /** Input features of the tiny networks. */
    static final int FEATURES = 4;
    private static final int HIDDEN = 5;

    /** Gradient check settings (DL4J's own tests use similar ones in double precision). */
    static final double CHECK_EPS = 1e-6;
    static final double CHECK_MAX_REL_ERROR = 1e-5;
    static final double CHECK_MIN_ABS_ERROR = 1e-9;

    private Dl4jFixtures() {
    }

    /**
     * {@code wrapper}, whose workers' uncaught exceptions are recorded as DL4J's own handler does
     * (the wrapper's {@code fit} rethrows them, so a test that did not expect one fails with its
     * trace) but neither logged nor printed: DL4J does both, at times after the test has ended.
     */
    static ParallelWrapper quiet(ParallelWrapper wrapper) {
        wrapper.setHandler((thread, e) -> {
            if (wrapper.getExceptionEncountered() != null) {
                wrapper.getExceptionEncountered().set(true);
                wrapper.setException(e);
            }
        });
        return wrapper;
    }

    /** ND4J's global default types, as gradient checks need; call from {@code @BeforeAll}. */
    static void useDoublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static MultiLayerConfiguration mlpConfig(ILossFunction loss, int outputs, IUpdater updater) {
        return mlpConfig(loss, outputs, updater, Activation.IDENTITY);
    }

    static MultiLayerConfiguration mlpConfig(ILossFunction loss, int outputs, IUpdater updater,
                                             Activation outputActivation) {
        return mlpConfig(loss, outputs, updater, outputActivation, DataType.DOUBLE);
    }

    static MultiLayerConfiguration mlpConfig(ILossFunction loss, int outputs, IUpdater updater,
                                             Activation outputActivation, DataType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(type)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(HIDDEN).nOut(outputs).activation(outputActivation).build())
                .build();
    }

    static ComputationGraphConfiguration graphConfig(ILossFunction loss, int outputs, IUpdater updater) {
        return graphConfig(loss, outputs, updater, DataType.DOUBLE);
    }

    static ComputationGraphConfiguration graphConfig(ILossFunction loss, int outputs, IUpdater updater,
                                                     DataType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(type)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(FEATURES).nOut(HIDDEN)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(loss).nIn(HIDDEN).nOut(outputs)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out")
                .build();
    }

    /**
     * A recurrent Cox network: an LSTM (2 inputs, 4 units) whose last unmasked step
     * ({@code LastTimeStep}) feeds the output layer; a {@code MultiLayerNetwork} or, with
     * {@code graph}, the same as a {@code ComputationGraph}. SGD 0.01, double precision.
     */
    static Model sequenceNet(boolean graph) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new Sgd(0.01));
        LastTimeStep lstm = new LastTimeStep(new LSTM.Builder().nIn(2).nOut(4).build());
        OutputLayer out = new OutputLayer.Builder(new CoxLossFunction()).nIn(4).nOut(1)
                .activation(Activation.IDENTITY).build();
        Model net = graph
                ? new ComputationGraph(base.graphBuilder().addInputs("in").addLayer("lstm", lstm, "in")
                        .addLayer("out", out, "lstm").setOutputs("out").build())
                : new MultiLayerNetwork(base.list().layer(lstm).layer(out).build());
        net.init();
        return net;
    }

    /**
     * {@code n} padded sequences of 2 features and up to 5 steps, row {@code i} of length
     * {@code 1 + i % 5}, with the features mask saying so, and survival labels.
     */
    static DataSet sequenceBatch(int n, long seed) {
        int steps = 5;
        INDArray features = Nd4j.rand(DataType.DOUBLE, n, 2, steps);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, n, steps);
        for (int i = 0; i < n; i++) {
            mask.get(NDArrayIndex.point(i), NDArrayIndex.interval(0, 1 + i % steps)).assign(1);
        }
        return new DataSet(features, survivalBatch(n, seed).getLabels(), mask, null);
    }

    /** Inference-mode output of a network from {@link #sequenceNet} with the batch's features mask. */
    static INDArray maskedOutput(Model net, DataSet batch) {
        return net instanceof MultiLayerNetwork m
                ? m.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), null)
                : ((ComputationGraph) net).output(false, new INDArray[] {batch.getFeatures()},
                        new INDArray[] {batch.getFeaturesMaskArray()})[0];
    }

    /**
     * A Cox graph with two inputs, "clinical" (4 features) and "omics" (3), merged before a tanh
     * layer of 5 units; SGD 0.01, double precision.
     */
    static ComputationGraph twoInputGraph() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.DOUBLE).updater(new Sgd(0.01)).graphBuilder()
                .addInputs("clinical", "omics")
                .addVertex("both", new MergeVertex(), "clinical", "omics")
                .addLayer("hidden", new DenseLayer.Builder().nIn(FEATURES + 3).nOut(HIDDEN)
                        .activation(Activation.TANH).build(), "both")
                .addLayer("out", new OutputLayer.Builder(new CoxLossFunction()).nIn(HIDDEN).nOut(1)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out").build());
        net.init();
        return net;
    }

    /** A batch for {@link #twoInputGraph}: {@link #survivalBatch}'s features and labels plus 3 more features. */
    static MultiDataSet twoInputBatch(int n, long seed) {
        DataSet single = survivalBatch(n, seed);
        INDArray omics = features(n, seed + 1000).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        return new MultiDataSet(new INDArray[] {single.getFeatures(), omics}, new INDArray[] {single.getLabels()});
    }

    /** An initialised MLP with a NoOp updater (what gradient checks require). */
    static MultiLayerNetwork mlp(ILossFunction loss, int outputs) {
        return mlp(loss, outputs, new NoOp());
    }

    static MultiLayerNetwork mlp(ILossFunction loss, int outputs, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(mlpConfig(loss, outputs, updater));
        net.init();
        return net;
    }

    /**
     * The tiny network ({@link #mlpConfig} or {@link #graphConfig}, identity output) in the given
     * data type, initialised: the same parameters for the same arguments.
     */
    static Model network(boolean graph, ILossFunction loss, int outputs, IUpdater updater, DataType type) {
        Model net = graph ? new ComputationGraph(graphConfig(loss, outputs, updater, type))
                : new MultiLayerNetwork(mlpConfig(loss, outputs, updater, Activation.IDENTITY, type));
        net.init();
        return net;
    }

    static ComputationGraph graph(ILossFunction loss, int outputs) {
        ComputationGraph net = new ComputationGraph(graphConfig(loss, outputs, new NoOp()));
        net.init();
        return net;
    }

    /**
     * A batch of {@code n} rows: Gaussian features {@code [n, 4]} and labels {@code [n, 2]} (time,
     * event) from {@link RandomSurvivalData}, with tied times and at least one event.
     */
    static DataSet survivalBatch(int n, long seed) {
        RandomSurvivalData data = RandomSurvivalData.generate(n, Math.max(2, n / 3), 1, seed);
        return new DataSet(features(n, seed), labels(data.time, data.event));
    }

    /**
     * As {@link #survivalBatch(int, long)} with counting-process labels {@code [n, 3]} (start, stop,
     * event): about half the rows enter late, at most half a time unit after the whole time before
     * their stop (the times are whole numbers from 1), so that they miss the risk sets of earlier events.
     */
    static DataSet countingBatch(int n, long seed) {
        DataSet plain = survivalBatch(n, seed);
        Random rng = new Random(seed * 17 + 3);
        double[] start = new double[n];
        for (int i = 0; i < n; i++) {
            start[i] = rng.nextBoolean() ? 0 : plain.getLabels().getDouble(i, 0) - 1 + rng.nextDouble() / 2;
        }
        INDArray labels = Nd4j.hstack(Nd4j.createFromArray(start).reshape(n, 1), plain.getLabels());
        return new DataSet(plain.getFeatures(), labels);
    }

    /**
     * As {@link #survivalBatch(int, long)} with competing-risks labels {@code [n, 2]} (time, cause):
     * every other event becomes cause 2, so both causes have events (and tied times).
     */
    static DataSet competingBatch(int n, long seed) {
        DataSet plain = survivalBatch(n, seed);
        int events = 0;
        for (int i = 0; i < n; i++) {
            if (plain.getLabels().getDouble(i, 1) == 1 && events++ % 2 == 1) {
                plain.getLabels().putScalar(i, 1, 2.0);
            }
        }
        return plain;
    }

    /** A network rebuilt from the configuration with the original's parameters, as a distributed worker builds it. */
    static MultiLayerNetwork workerCopy(MultiLayerNetwork original) {
        MultiLayerNetwork copy = new MultiLayerNetwork(
                MultiLayerConfiguration.fromJson(original.getLayerWiseConfigurations().toJson()));
        copy.init(original.params().dup(), false);
        return copy;
    }

    static INDArray features(int n, long seed) {
        Random rng = new Random(seed * 31 + 7);
        double[][] x = new double[n][FEATURES];
        for (double[] row : x) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return Nd4j.createFromArray(x);
    }

    /** Labels {@code [n, 2]} from time and event vectors. */
    static INDArray labels(INDArray time, INDArray event) {
        return Nd4j.hstack(time.reshape(time.length(), 1), event.reshape(event.length(), 1)).castTo(DataType.DOUBLE);
    }

    static boolean gradientsMatch(MultiLayerNetwork net, DataSet batch) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net)
                .input(batch.getFeatures())
                .labels(batch.getLabels())
                .labelMask(batch.getLabelsMaskArray())
                .epsilon(CHECK_EPS)
                .maxRelError(CHECK_MAX_REL_ERROR)
                .minAbsoluteError(CHECK_MIN_ABS_ERROR));
    }

    static boolean gradientsMatch(ComputationGraph net, DataSet batch) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net)
                .inputs(new INDArray[] {batch.getFeatures()})
                .labels(new INDArray[] {batch.getLabels()})
                .epsilon(CHECK_EPS)
                .maxRelError(CHECK_MAX_REL_ERROR)
                .minAbsoluteError(CHECK_MIN_ABS_ERROR));
    }
}
