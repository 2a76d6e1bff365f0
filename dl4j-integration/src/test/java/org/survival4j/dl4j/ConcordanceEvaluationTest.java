package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.survival4j.momentum.MomentumConfig;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.datasets.iterator.IteratorMultiDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.WeibullSurvival;

/**
 * {@link ConcordanceEvaluation} through {@code doEvaluation} and {@link ConcordanceScoreCalculator}
 * through DL4J's {@code EarlyStoppingTrainer}, on tiny networks; the expected values come from
 * {@link ConcordanceIndex} on the network's full-batch output.
 */
class ConcordanceEvaluationTest {
    static final double EXACT = 1e-12;
    static final int ROWS = 60;
    static final int BATCH = 16;

    private final DataSet data = Dl4jFixtures.survivalBatch(ROWS, 3);

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    @Test
    void doEvaluationGivesTheConcordanceOfTheFullOutput() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1);
        ConcordanceEvaluation eval = net.doEvaluation(iterator(), new ConcordanceEvaluation())[0];
        INDArray risk = net.output(data.getFeatures());
        INDArray time = data.getLabels().getColumn(0);
        INDArray event = data.getLabels().getColumn(1);
        assertEquals(ROWS, eval.rows());
        assertEquals(ConcordanceIndex.harrell(risk, time, event), eval.getValue(ConcordanceEvaluation.Metric.HARRELL),
                EXACT);
        assertEquals(ConcordanceIndex.uno(risk, time, event, time, event),
                eval.getValue(ConcordanceEvaluation.Metric.UNO), EXACT);
        assertTrue(eval.stats().contains("Harrell's C"), eval.stats());
    }

    @Test
    void mergedHalvesEqualTheWhole() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1);
        List<DataSet> rows = data.asList();
        ConcordanceEvaluation first = new ConcordanceEvaluation();
        ConcordanceEvaluation second = new ConcordanceEvaluation();
        DataSet a = DataSet.merge(rows.subList(0, 25));
        DataSet b = DataSet.merge(rows.subList(25, ROWS));
        first.eval(a.getLabels(), net.output(a.getFeatures()));
        second.eval(b.getLabels(), net.output(b.getFeatures()));
        first.merge(second);
        ConcordanceEvaluation whole = new ConcordanceEvaluation();
        whole.eval(data.getLabels(), net.output(data.getFeatures()));
        assertEquals(whole.getValue(ConcordanceEvaluation.Metric.HARRELL),
                first.getValue(ConcordanceEvaluation.Metric.HARRELL), EXACT);
        first.reset();
        assertEquals(0, first.rows());
    }

    @Test
    void maskedRowsAreLeftOut() {
        INDArray labels = data.getLabels();
        INDArray risk = Nd4j.linspace(1, ROWS, ROWS).reshape(ROWS, 1).castTo(labels.dataType());
        INDArray mask = Nd4j.ones(labels.dataType(), ROWS, 1);
        for (int i = 0; i < ROWS; i += 3) {
            mask.putScalar(i, 0, 0);
        }
        ConcordanceEvaluation eval = new ConcordanceEvaluation();
        eval.eval(labels, risk, mask);
        int[] kept = java.util.stream.IntStream.range(0, ROWS).filter(i -> i % 3 != 0).toArray();
        INDArray keptLabels = labels.getRows(kept);
        assertEquals(kept.length, eval.rows());
        assertEquals(ConcordanceIndex.harrell(risk.getRows(kept), keptLabels.getColumn(0), keptLabels.getColumn(1)),
                eval.getValue(ConcordanceEvaluation.Metric.HARRELL), EXACT);
    }

    @Test
    void weibullOutputsAreRankedByMinusTheMedian() {
        INDArray out = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, ROWS, 2).subi(0.5);
        ConcordanceEvaluation eval = new ConcordanceEvaluation();
        eval.eval(data.getLabels(), out);
        double expected = ConcordanceIndex.harrell(WeibullSurvival.medianTime(out).neg(), data.getLabels().getColumn(0),
                data.getLabels().getColumn(1));
        assertEquals(expected, eval.getValue(ConcordanceEvaluation.Metric.HARRELL), EXACT);
    }

    @Test
    void anEvaluationWithoutEventsHasNoValue() {
        ConcordanceEvaluation eval = new ConcordanceEvaluation();
        eval.eval(Nd4j.createFromArray(new double[][] {{1, 0}, {2, 0}}), Nd4j.createFromArray(new double[][] {{0}, {1}}));
        assertThrows(SurvivalArgumentException.class, () -> eval.getValue(ConcordanceEvaluation.Metric.HARRELL));
        assertTrue(eval.stats().contains("no events"));
        assertThrows(IllegalArgumentException.class,
                () -> eval.eval(Nd4j.ones(2, 3), Nd4j.ones(2, 1)));
    }

    @Test
    void scoreCalculatorMaximizesTheConcordanceOfTheModelOrAPredictor() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1);
        ConcordanceScoreCalculator calculator = new ConcordanceScoreCalculator(iterator());
        assertFalse(calculator.minimizeScore());
        double c = calculator.calculateScore(net);
        INDArray time = data.getLabels().getColumn(0);
        INDArray event = data.getLabels().getColumn(1);
        assertEquals(ConcordanceIndex.harrell(net.output(data.getFeatures()), time, event), c, EXACT);
        // e.g. a momentum target network: any features -> outputs function
        ConcordanceScoreCalculator negated = new ConcordanceScoreCalculator(iterator(),
                ConcordanceEvaluation.Metric.HARRELL, x -> net.output(x).neg());
        assertEquals(1 - c, negated.calculateScore(null), EXACT);
    }

    @ParameterizedTest(name = "graph = {0}")
    @ValueSource(booleans = {false, true})
    void scoreCalculatorUsesTheFeaturesMaskOfSequences(boolean graph) {
        Model net = Dl4jFixtures.sequenceNet(graph);
        DataSet batch = Dl4jFixtures.sequenceBatch(ROWS, 4);
        double c = new ConcordanceScoreCalculator(new ListDataSetIterator<>(List.of(batch), 1)).calculateScore(net);
        INDArray time = batch.getLabels().getColumn(0);
        INDArray event = batch.getLabels().getColumn(1);
        assertEquals(ConcordanceIndex.harrell(Dl4jFixtures.maskedOutput(net, batch), time, event), c, EXACT);
    }

    @Test
    void scoreCalculatorOfTheMomentumTargetUsesTheFeaturesMask() {
        MultiLayerNetwork net = (MultiLayerNetwork) Dl4jFixtures.sequenceNet(false);
        Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(6).steps(2).rate(0.5).build());
        net.fit(Dl4jFixtures.sequenceBatch(6, 3));
        DataSet batch = Dl4jFixtures.sequenceBatch(ROWS, 4);
        INDArray time = batch.getLabels().getColumn(0);
        INDArray event = batch.getLabels().getColumn(1);
        double expected = ConcordanceIndex.harrell(Dl4jFixtures.maskedOutput(momentum.target(), batch), time, event);

        double c = ConcordanceScoreCalculator.ofTarget(new ListDataSetIterator<>(List.of(batch), 1),
                ConcordanceEvaluation.Metric.HARRELL, momentum).calculateScore(net);

        assertEquals(expected, c, EXACT);
        double unmasked = ConcordanceIndex.harrell(momentum.infer(batch.getFeatures()), time, event);
        assertNotEquals(unmasked, c, "the padded steps change the ranking of this batch");
    }

    @Test
    void scoreCalculatorReadsEveryInputOfAMultiInputGraph() {
        ComputationGraph net = Dl4jFixtures.twoInputGraph();
        MultiDataSet batch = Dl4jFixtures.twoInputBatch(ROWS, 6);
        INDArray time = batch.getLabels(0).getColumn(0);
        INDArray event = batch.getLabels(0).getColumn(1);
        INDArray risk = net.output(false, batch.getFeatures(), null)[0];
        double expected = ConcordanceIndex.uno(risk, time, event, time, event);
        List<org.nd4j.linalg.dataset.api.MultiDataSet> batches = List.of(batch);
        ConcordanceScoreCalculator calculator = new ConcordanceScoreCalculator(
                new IteratorMultiDataSetIterator(batches.iterator(), ROWS), ConcordanceEvaluation.Metric.UNO, null);
        assertEquals(expected, calculator.calculateScore(net), EXACT);
        ConcordanceScoreCalculator withPredictor = new ConcordanceScoreCalculator(
                new IteratorMultiDataSetIterator(batches.iterator(), ROWS), ConcordanceEvaluation.Metric.UNO,
                inputs -> net.output(false, inputs, null)[0]);
        assertEquals(expected, withPredictor.calculateScore(null), EXACT);
    }

    @Test
    void earlyStoppingTrainerKeepsTheBestConcordance() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Adam(1e-2));
        ConcordanceScoreCalculator calculator = new ConcordanceScoreCalculator(iterator());
        EarlyStoppingConfiguration<MultiLayerNetwork> conf = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .scoreCalculator(calculator)
                .epochTerminationConditions(new MaxEpochsTerminationCondition(4))
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(conf, net, iterator()).fit();
        assertEquals(4, result.getTotalEpochs());
        double best = result.getScoreVsEpoch().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        // M2.1 overwrites getBestModelScore() with the best model's last loss when an epoch condition
        // stops training; the C-index of the best epoch is in getScoreVsEpoch().
        assertEquals(best, result.getScoreVsEpoch().get(result.getBestModelEpoch()), 0);
        assertEquals(best, calculator.calculateScore(result.getBestModel()), EXACT);
    }

    private ListDataSetIterator<DataSet> iterator() {
        return new ListDataSetIterator<>(data.asList(), BATCH);
    }
}
