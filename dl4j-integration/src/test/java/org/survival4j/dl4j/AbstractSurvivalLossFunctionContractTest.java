package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What every survival {@link ILossFunction} adapter must do inside DL4J: report the likelihood's MEAN
 * loss as {@code net.score()}, pass DL4J's double-precision gradient check on a
 * {@code MultiLayerNetwork} and a {@code ComputationGraph}, honour labels masks, survive the JSON
 * configuration, {@code ModelSerializer} and Java serialization, and reject bad input before any
 * parameter changes. The oracle for values is the core likelihood applied directly to
 * {@code net.output(x)}.
 */
abstract class AbstractSurvivalLossFunctionContractTest {
    /** Double precision: score and direct computation differ only by summation order. */
    static final double SCORE_TOLERANCE = 1e-12;
    static final int ROWS = 24;

    /** A new instance of the loss under test. */
    abstract ILossFunction loss();

    /** The number of outputs the loss expects. */
    abstract int outputs();

    /** A number of outputs the loss rejects. */
    abstract int wrongOutputs();

    /** The MEAN loss computed by the core likelihood on a network output. */
    abstract double expectedLoss(INDArray output, INDArray time, INDArray event);

    /** An event label the loss refuses, and the start of its message (competing-risks losses take causes). */
    String[] badEvent() {
        return new String[] {"2.0", "event[2] = 2.0: events must be 0 (censored) or 1 (event)"};
    }

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    static INDArray time(DataSet batch) {
        return batch.getLabels().getColumn(0).dup();
    }

    static INDArray event(DataSet batch) {
        return batch.getLabels().getColumn(1).dup();
    }

    @Test
    void networkScoreEqualsTheCoreMeanLossOfTheNetworkOutput() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs());
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 1);
        double expected = expectedLoss(net.output(batch.getFeatures()), time(batch), event(batch));

        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();

        assertEquals(expected, net.score(), SCORE_TOLERANCE * Math.abs(expected));
        assertEquals(expected, net.score(batch), SCORE_TOLERANCE * Math.abs(expected));
    }

    @Test
    void scoreReportedByFitIsTheLossBeforeTheUpdate() {
        // A small step: the Weibull loss of an untrained net on times up to 8 is steep.
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(1e-4));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 2);
        double expected = expectedLoss(net.output(batch.getFeatures()), time(batch), event(batch));

        net.fit(batch);

        assertEquals(expected, net.score(), SCORE_TOLERANCE * Math.abs(expected));
        double after = expectedLoss(net.output(batch.getFeatures()), time(batch), event(batch));
        assertTrue(after < expected, "one SGD step lowers the loss: " + expected + " -> " + after);
    }

    @Test
    void graphScoreEqualsTheCoreMeanLossOfTheGraphOutput() {
        ComputationGraph net = Dl4jFixtures.graph(loss(), outputs());
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 3);
        double expected = expectedLoss(net.outputSingle(batch.getFeatures()), time(batch), event(batch));

        assertEquals(expected, net.score(batch), SCORE_TOLERANCE * Math.abs(expected));
    }

    @Test
    void passesGradientCheckOnMultiLayerNetwork() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs());
        assertTrue(Dl4jFixtures.gradientsMatch(net, Dl4jFixtures.survivalBatch(ROWS, 4)));
    }

    @Test
    void nonIdentityOutputActivationGivesTheCoreLossAndPassesGradientCheck() {
        // Identity skips ND4J's activation ops; any other activation runs them forward and backward.
        MultiLayerNetwork net = new MultiLayerNetwork(
                Dl4jFixtures.mlpConfig(loss(), outputs(), new NoOp(), Activation.SOFTSIGN));
        net.init();
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 8);
        double expected = expectedLoss(net.output(batch.getFeatures()), time(batch), event(batch));
        assertEquals(expected, net.score(batch), SCORE_TOLERANCE * Math.abs(expected));
        assertTrue(Dl4jFixtures.gradientsMatch(net, batch));
    }

    @Test
    void passesGradientCheckOnComputationGraph() {
        ComputationGraph net = Dl4jFixtures.graph(loss(), outputs());
        assertTrue(Dl4jFixtures.gradientsMatch(net, Dl4jFixtures.survivalBatch(ROWS, 5)));
    }

    @Test
    void passesGradientCheckWithLabelsMask() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs());
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 6);
        batch.setLabelsMaskArray(maskFirstRows(ROWS, 5));
        assertTrue(Dl4jFixtures.gradientsMatch(net, batch));
    }

    @Test
    void maskedRowsAreLeftOutAndNotChecked() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs());
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 7);
        int masked = 5;
        INDArray output = net.output(batch.getFeatures());
        double expected = expectedLoss(output.get(NDArrayIndex.interval(masked, ROWS), NDArrayIndex.all()),
                time(batch).get(NDArrayIndex.interval(masked, ROWS)),
                event(batch).get(NDArrayIndex.interval(masked, ROWS)));
        // Padding rows may hold anything: a negative time and an impossible event.
        for (int row = 0; row < masked; row++) {
            batch.getLabels().putScalar(row, 0, -1.0);
            batch.getLabels().putScalar(row, 1, 7.0);
        }
        batch.setLabelsMaskArray(maskFirstRows(ROWS, masked));

        assertEquals(expected, net.score(batch), SCORE_TOLERANCE * Math.abs(expected));
    }

    @Test
    void scoreArraySumsToTheUnaveragedScore() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs());
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 8);
        INDArray preOutput = net.output(batch.getFeatures()); // identity activation: output = pre-output
        ILossFunction loss = loss();

        INDArray scores = loss.computeScoreArray(batch.getLabels(), preOutput, new ActivationIdentity(), null);
        double unaveraged = loss.computeScore(batch.getLabels(), preOutput, new ActivationIdentity(), null, false);
        double averaged = loss.computeScore(batch.getLabels(), preOutput, new ActivationIdentity(), null, true);

        assertEquals(ROWS, scores.rows());
        assertEquals(unaveraged, scores.sumNumber().doubleValue(), 1e-10 * Math.abs(unaveraged));
        assertEquals(unaveraged / ROWS, averaged, 1e-14 * Math.abs(averaged));
        assertEquals(expectedLoss(preOutput, time(batch), event(batch)), averaged, SCORE_TOLERANCE * Math.abs(averaged));
    }

    @Test
    void newValuesInTheSameArrayAreNotServedFromTheCache() {
        ILossFunction loss = loss();
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 9);
        INDArray preOutput = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, ROWS, outputs());
        double first = loss.computeScore(batch.getLabels(), preOutput, new ActivationIdentity(), null, true);

        preOutput.muli(2); // same array object, new contents, as a reused workspace would give
        double second = loss.computeScore(batch.getLabels(), preOutput, new ActivationIdentity(), null, true);

        assertNotEquals(first, second);
        assertEquals(expectedLoss(preOutput, time(batch), event(batch)), second, SCORE_TOLERANCE * Math.abs(second));
    }

    @Test
    void multiLayerConfigurationSurvivesJsonRoundTrip() {
        MultiLayerConfiguration conf = Dl4jFixtures.mlpConfig(loss(), outputs(), new NoOp());
        String json = conf.toJson();

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);

        assertEquals(conf, restored);
        assertEquals(loss(), outputLossOf(restored));
        assertTrue(json.contains(loss().getClass().getName()), json);
    }

    @Test
    void graphConfigurationSurvivesJsonRoundTrip() {
        ComputationGraphConfiguration conf = Dl4jFixtures.graphConfig(loss(), outputs(), new NoOp());

        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
    }

    @Test
    void multiLayerNetworkSurvivesModelSerializer(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.05));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 10);
        net.fit(batch);
        File file = dir.resolve("net.zip").toFile();

        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(loss(), outputLossOf(restored.getLayerWiseConfigurations()));
        assertEquals(net.params(), restored.params());
        assertEquals(net.score(batch), restored.score(batch), 0.0);
    }

    @Test
    void computationGraphSurvivesModelSerializer(@TempDir Path dir) throws IOException {
        ComputationGraph net = Dl4jFixtures.graph(loss(), outputs());
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 11);
        File file = dir.resolve("graph.zip").toFile();

        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.getConfiguration(), restored.getConfiguration());
        assertEquals(net.score(batch), restored.score(batch), 0.0);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ILossFunction loss = loss();
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 12);
        INDArray preOutput = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, ROWS, outputs());
        double before = loss.computeScore(batch.getLabels(), preOutput, new ActivationIdentity(), null, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(loss);
        }

        ILossFunction copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ILossFunction) in.readObject();
        }

        assertEquals(loss, copy);
        assertEquals(before, copy.computeScore(batch.getLabels(), preOutput, new ActivationIdentity(), null, true));
    }

    @Test
    void rejectsLabelsOfAnotherWidth() { // [n, 3] is the counting-process form, valid for Cox
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.05));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 13);
        DataSet fourColumns = new DataSet(batch.getFeatures(),
                Nd4j.hstack(batch.getLabels(), Nd4j.zeros(ROWS, 2)));

        assertRejectedWithoutUpdate(net, fourColumns, "labels has shape [24, 4]: expected [n, 2]");
    }

    @Test
    void rejectsAnOutputWithTheWrongNumberOfColumns() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), wrongOutputs(), new Sgd(0.05));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 14);

        assertRejectedWithoutUpdate(net, batch, "output has shape [24, " + wrongOutputs() + "]: expected");
    }

    @Test
    void rejectsNanOutput() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.05));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 15);
        batch.getFeatures().putScalar(3, 0, Double.NaN);

        assertRejectedWithoutUpdate(net, batch, "output[3, 0] = NaN: values must be finite");
    }

    @Test
    void rejectsNegativeTime() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.05));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 16);
        batch.getLabels().putScalar(17, 0, -3.0);

        assertRejectedWithoutUpdate(net, batch, "time[17] = -3.0: times must be finite and >= 0");
    }

    @Test
    void rejectsAnEventLabelOutsideItsRange() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.05));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 17);
        batch.getLabels().putScalar(2, 1, Double.parseDouble(badEvent()[0]));

        assertRejectedWithoutUpdate(net, batch, badEvent()[1]);
    }

    @Test
    void rejectsMaskValuesOtherThanZeroOrOne() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.05));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 18);
        INDArray mask = Nd4j.ones(ROWS, 1);
        mask.putScalar(4, 0, 0.5);
        batch.setLabelsMaskArray(mask);

        assertRejectedWithoutUpdate(net, batch, "mask[4, 0] = 0.5: mask values must be 0");
    }

    static void assertRejectedWithoutUpdate(MultiLayerNetwork net, DataSet batch, String message) {
        INDArray before = net.params().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(batch));
        assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
        assertEquals(before, net.params());
    }

    static INDArray maskFirstRows(int rows, int masked) {
        INDArray mask = Nd4j.ones(rows, 1);
        for (int row = 0; row < masked; row++) {
            mask.putScalar(row, 0, 0.0);
        }
        return mask;
    }

    static ILossFunction outputLossOf(MultiLayerConfiguration conf) {
        int last = conf.getConfs().size() - 1;
        return ((org.deeplearning4j.nn.conf.layers.BaseOutputLayer) conf.getConf(last).getLayer()).getLossFn();
    }
}
