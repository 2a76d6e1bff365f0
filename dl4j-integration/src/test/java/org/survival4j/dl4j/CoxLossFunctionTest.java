package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.momentum.BankRows;
import org.survival4j.testing.GoldenData;
import org.survival4j.testing.RandomSurvivalData;

/** {@link CoxLossFunction}: the DL4J contract, plus ties, scaling, the no-event rule and the leading-rows hook. */
class CoxLossFunctionTest extends AbstractSurvivalLossFunctionContractTest {
    private static final CoxPartialLikelihood EFRON_MEAN = new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN);

    @Override
    ILossFunction loss() {
        return new CoxLossFunction();
    }

    @Override
    int outputs() {
        return 1;
    }

    @Override
    int wrongOutputs() {
        return 2;
    }

    @Override
    double expectedLoss(INDArray output, INDArray time, INDArray event) {
        return EFRON_MEAN.value(output, time, event);
    }

    @Test
    void defaultsToEfronTies() {
        assertEquals(Ties.EFRON, new CoxLossFunction().ties());
        assertEquals(new CoxLossFunction(Ties.EFRON), new CoxLossFunction());
    }

    @Test
    void breslowTiesPassGradientCheckAndSurviveJson() {
        CoxLossFunction breslow = new CoxLossFunction(Ties.BRESLOW);
        MultiLayerConfiguration conf = Dl4jFixtures.mlpConfig(breslow, 1, new NoOp());

        assertEquals(breslow, outputLossOf(MultiLayerConfiguration.fromJson(conf.toJson())));
        assertTrue(Dl4jFixtures.gradientsMatch(Dl4jFixtures.mlp(breslow, 1), Dl4jFixtures.survivalBatch(ROWS, 21)));
    }

    @Test
    void breslowScoreEqualsTheCoreBreslowMean() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(Ties.BRESLOW), 1);
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 22);
        double expected = new CoxPartialLikelihood(Ties.BRESLOW, Reduction.MEAN)
                .value(net.output(batch.getFeatures()), time(batch), event(batch));

        assertEquals(expected, net.score(batch), SCORE_TOLERANCE * expected);
    }

    @Test
    void returnsMinibatchSizeTimesTheMeanLossAndItsGradient() {
        RandomSurvivalData data = RandomSurvivalData.generate(ROWS, 6, 1, 23);
        INDArray labels = Dl4jFixtures.labels(data.time, data.event);
        INDArray preOutput = data.logHz.reshape(ROWS, 1);
        ValueAndGradient core = EFRON_MEAN.valueAndGradient(data.logHz, data.time, data.event);
        CoxLossFunction loss = new CoxLossFunction();

        INDArray gradient = loss.computeGradient(labels, preOutput, new ActivationIdentity(), null);
        double score = loss.computeScore(labels, preOutput, new ActivationIdentity(), null, false);

        assertEquals(ROWS * core.value(), score, 1e-12 * score);
        assertEquals(core.gradient().reshape(ROWS, 1).mul(ROWS), gradient);
    }

    /** Labels [n, 3] = (start, stop, event): R's coxph(Surv(start, stop, event)) on the heart transplant data. */
    @Test
    void countingProcessLabelsGiveRsValueAndGradient() {
        GoldenData g = GoldenData.rows("counting/counting_heart_sd1");
        int n = g.rows();
        double events = GoldenData.summary("counting/counting_cases.csv", "heart_sd1", "events");
        double nll = GoldenData.summary("counting/counting_cases.csv", "heart_sd1", "nll_efron_sum");
        INDArray labels = g.matrix("start", "stop", "event");
        INDArray preOutput = g.vector("log_hz").reshape(n, 1);
        CoxLossFunction loss = new CoxLossFunction();

        INDArray gradient = loss.computeGradient(labels, preOutput, new ActivationIdentity(), null);
        double score = loss.computeScore(labels, preOutput, new ActivationIdentity(), null, true);

        assertEquals(nll / events, score, 1e-12 * score); // the MEAN loss
        assertArrayEquals(g.vector("grad_efron").mul(n / events).toDoubleVector(), gradient.toDoubleVector(), 1e-10);
    }

    @Test
    void countingProcessLabelsAreCheckedAndPooledWithTheBanksEntryTimes() {
        INDArray preOutput = Nd4j.createFromArray(new double[][] {{0.3}, {-1.0}});
        INDArray empty = Nd4j.createFromArray(new double[][] {{0, 3, 1}, {4, 4, 0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CoxLossFunction().computeScore(empty, preOutput, new ActivationIdentity(), null, true));
        assertTrue(e.getMessage().startsWith("labels row 1: start 4.0 is not below stop 4.0"), e.getMessage());

        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 3, 1}, {1, 4, 0}});
        IllegalArgumentException weibull = assertThrows(IllegalArgumentException.class, () -> new WeibullLossFunction()
                .computeScore(labels, Nd4j.zeros(2, 2), new ActivationIdentity(), null, true));
        assertTrue(weibull.getMessage().contains("are for CoxLossFunction"), weibull.getMessage());

        // a bank row (log hazard 0.5) that entered at 3.5: in the risk set of no event here but its own
        BankRows counting = BankRows.of(new double[][] {{0.5}}, new double[] {3.5}, new double[] {5},
                new double[] {1});
        CoxLossFunction pooled = new CoxLossFunction(Ties.EFRON);
        pooled.bankHook((batch, output) -> SurvivalLossFunction.Pooling.of(counting));
        double expected = CoxPartialLikelihood.efron().value(Nd4j.createFromArray(0.5, 0.3, -1.0), Nd4j.createFromArray(3.5, 0, 1),
                Nd4j.createFromArray(5.0, 3, 4), Nd4j.createFromArray(1.0, 1, 0));
        assertEquals(expected, pooled.computeScore(labels, preOutput, new ActivationIdentity(), null, true),
                1e-12 * expected); // averaged over the batch: the reduced loss (LossEvaluation.scaled)

        CoxLossFunction mixed = new CoxLossFunction();
        BankRows withoutEntry = BankRows.of(new double[][] {{0.5}}, new double[] {5}, new double[] {1});
        mixed.bankHook((batch, output) -> SurvivalLossFunction.Pooling.of(withoutEntry));
        IllegalArgumentException layout = assertThrows(IllegalArgumentException.class,
                () -> mixed.computeScore(labels, preOutput, new ActivationIdentity(), null, true));
        assertTrue(layout.getMessage().contains("without entry times"), layout.getMessage());
    }

    @Test
    void aNetworkTrainsOnCountingProcessLabels() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.1));
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 31);
        INDArray stop = time(batch);
        INDArray start = stop.mul(0.5); // delayed entry at half the follow-up
        DataSet counting = new DataSet(batch.getFeatures(), Nd4j.vstack(start, stop, event(batch)).transpose());
        double before = net.score(counting);
        double expected = EFRON_MEAN.value(net.output(counting.getFeatures()), start, stop, event(batch));
        assertEquals(expected, before, 1e-12 * expected);
        for (int i = 0; i < 20; i++) {
            net.fit(counting);
        }
        assertTrue(net.score(counting) < before, net.score(counting) + " vs " + before);
    }

    @Test
    void batchWithoutEventsHasZeroLossAndGradientAndIsCountedOnce() {
        CoxLossFunction loss = new CoxLossFunction();
        INDArray labels = Dl4jFixtures.labels(Nd4j.createFromArray(3.0, 1.0, 2.0), Nd4j.createFromArray(0.0, 0.0, 0.0));
        INDArray preOutput = Nd4j.createFromArray(new double[][] {{0.3}, {-1.0}, {2.0}});

        INDArray gradient = loss.computeGradient(labels, preOutput, new ActivationIdentity(), null);
        double score = loss.computeScore(labels, preOutput, new ActivationIdentity(), null, false);

        assertEquals(0.0, score);
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 3, 1), gradient);
        // computeScore reused the result of computeGradient: one evaluation, one count.
        assertEquals(1, loss.batchesWithoutEvents());
    }

    @Test
    void fullyMaskedOrEmptyBatchHasZeroLossAndGradient() {
        CoxLossFunction loss = new CoxLossFunction();
        INDArray labels = Dl4jFixtures.labels(Nd4j.createFromArray(3.0, 1.0), Nd4j.createFromArray(1.0, 1.0));
        INDArray preOutput = Nd4j.createFromArray(new double[][] {{Double.NaN}, {2.0}});
        INDArray noRows = Nd4j.zeros(DataType.DOUBLE, 2, 1);

        assertEquals(0.0, loss.computeScore(labels, preOutput, new ActivationIdentity(), noRows, false));
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 2, 1),
                loss.computeGradient(labels, preOutput, new ActivationIdentity(), noRows));
        INDArray empty = Nd4j.create(DataType.DOUBLE, 0, 1);
        assertEquals(0.0, loss.computeScore(Nd4j.create(DataType.DOUBLE, 0, 2), empty, new ActivationIdentity(), null,
                true));
    }

    @Test
    void bankRowsEnterTheRiskSetsButReceiveNoGradient() {
        RandomSurvivalData bank = RandomSurvivalData.generate(40, 6, 1, 24);
        RandomSurvivalData batch = RandomSurvivalData.generate(8, 6, 1, 25);
        CoxLossFunction loss = new CoxLossFunction();
        BankRows rows = BankRows.of(bank.logHz.reshape(40, 1).toDoubleMatrix(), bank.time.toDoubleVector(),
                bank.event.toDoubleVector());
        loss.bankHook((scored, output) -> SurvivalLossFunction.Pooling.of(rows));
        INDArray pooledLogHz = Nd4j.concat(0, bank.logHz, batch.logHz);
        ValueAndGradient core = EFRON_MEAN.valueAndGradient(pooledLogHz, Nd4j.concat(0, bank.time, batch.time),
                Nd4j.concat(0, bank.event, batch.event), null, 40);

        INDArray labels = Dl4jFixtures.labels(batch.time, batch.event);
        INDArray preOutput = batch.logHz.reshape(8, 1);
        INDArray gradient = loss.computeGradient(labels, preOutput, new ActivationIdentity(), null);
        double score = loss.computeScore(labels, preOutput, new ActivationIdentity(), null, true);

        assertEquals(core.value(), score, 1e-12 * score);
        assertEquals(core.gradient().reshape(8, 1).mul(8), gradient);
    }

    @Test
    void floatNetworkScoreMatchesTheCoreLossToFloatPrecision() {
        MultiLayerNetwork net = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(new CoxLossFunction())
                        .nIn(Dl4jFixtures.FEATURES).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .build());
        net.init();
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 26);
        batch.setFeatures(batch.getFeatures().castTo(DataType.FLOAT));
        batch.setLabels(batch.getLabels().castTo(DataType.FLOAT));
        double expected = EFRON_MEAN.value(net.output(batch.getFeatures()).castTo(DataType.DOUBLE), time(batch),
                event(batch));

        assertEquals(expected, net.score(batch), 1e-6 * expected);
    }
}
