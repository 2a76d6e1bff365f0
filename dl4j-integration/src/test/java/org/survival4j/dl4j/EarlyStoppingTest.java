package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.survival4j.momentum.MomentumConfig;

/**
 * Early stopping puts back the whole state of the best epoch: training on from there is exactly
 * training that stopped at the best epoch and went on (same process, same kernels: bit for bit).
 */
class EarlyStoppingTest {
    private static final DataSet TRAIN = Dl4jFixtures.survivalBatch(48, 21);
    private static final DataSet VALIDATION = Dl4jFixtures.survivalBatch(40, 22);
    private static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(8).steps(3).rate(0.9).build();

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    private static DataSetIterator batches() {
        return new ListDataSetIterator<>(TRAIN.asList(), 8); // a fixed order, epoch after epoch
    }

    private static MultiLayerNetwork net() {
        return Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Adam(0.2)); // a large step: it overfits within a few epochs
    }

    @Test
    void thePlainNetworkGoesOnFromItsBestEpochExactly() {
        for (EarlyStopping.Criterion criterion : EarlyStopping.Criterion.values()) {
            MultiLayerNetwork stopped = net();
            List<double[]> params = new ArrayList<>();
            EarlyStopping.Result r = EarlyStopping.builder(VALIDATION).criterion(criterion).patience(3).maxEpochs(30)
                    .listener((epoch, score, best) -> params.add(stopped.params().toDoubleVector())).build()
                    .fit(stopped, batches());
            assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() < r.epochs(), "the test needs a later, worse epoch: " + r);
            assertEquals(r.epochs() - r.bestEpoch(), 3, r.toString());
            assertArrayEquals(params.get(r.bestEpoch() - 1), stopped.params().toDoubleVector(), criterion.name());
            assertEquals(r.scores().get(r.bestEpoch() - 1), r.bestScore());

            MultiLayerNetwork straight = net();
            for (int e = 0; e < r.bestEpoch() + 1; e++) {
                straight.fit(batches());
            }
            stopped.fit(batches()); // one more epoch from the restored state: updater state and counters included
            assertArrayEquals(straight.params().toDoubleVector(), stopped.params().toDoubleVector(), criterion.name());
            assertEquals(straight.getIterationCount(), stopped.getIterationCount());
            assertEquals(straight.getEpochCount(), stopped.getEpochCount());
        }
    }

    @Test
    void momentumGoesOnFromItsBestEpochExactly() {
        MultiLayerNetwork stopped = net();
        Momentum momentum = Momentum.attach(stopped, CONFIG);
        EarlyStopping.Result r = EarlyStopping.builder(VALIDATION).criterion(EarlyStopping.Criterion.C_INDEX)
                .patience(2).maxEpochs(30).build().fit(momentum, batches());
        assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() < r.epochs(), "the test needs a later, worse epoch: " + r);

        MultiLayerNetwork straightNet = net();
        Momentum straight = Momentum.attach(straightNet, CONFIG);
        for (int e = 0; e < r.bestEpoch(); e++) {
            straightNet.fit(batches());
        }
        // the restored state is the best epoch's: the target, the bank and the counters too
        assertArrayEquals(straight.infer(VALIDATION.getFeatures()).toDoubleVector(),
                momentum.infer(VALIDATION.getFeatures()).toDoubleVector());
        assertArrayEquals(straight.bankRows().toDoubleMatrix(), momentum.bankRows().toDoubleMatrix());
        assertEquals(straight.iterations(), momentum.iterations());
        straightNet.fit(batches());
        stopped.fit(batches());
        assertArrayEquals(straightNet.params().toDoubleVector(), stopped.params().toDoubleVector());
        assertArrayEquals(straight.infer(VALIDATION.getFeatures()).toDoubleVector(),
                momentum.infer(VALIDATION.getFeatures()).toDoubleVector());
        assertArrayEquals(straight.bankRows().toDoubleMatrix(), momentum.bankRows().toDoubleMatrix());
    }

    @Test
    void aDivergedScoreStopsTrainingAndKeepsTheBestEpoch() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Adam(1e6)); // explodes
        EarlyStopping.Result r = EarlyStopping.builder(VALIDATION).patience(50).maxEpochs(50).build().fit(net, batches());
        assertTrue(r.epochs() < 50 || r.reason().startsWith("reached"), r.toString());
        for (double v : net.params().toDoubleVector()) {
            assertTrue(Double.isFinite(v), "the restored weights are finite: " + r);
        }
    }

    @Test
    void aValidationSetWithoutEventsIsRefused() {
        DataSet censored = new DataSet(Nd4j.rand(4, 4), Nd4j.createFromArray(new double[][] {{1, 0}, {2, 0}, {3, 0}, {4, 0}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EarlyStopping.builder(censored).build());
        assertTrue(e.getMessage().contains("no events"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.builder(VALIDATION).patience(0));
    }
}
