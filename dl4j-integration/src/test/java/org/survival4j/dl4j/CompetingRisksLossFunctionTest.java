package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.momentum.MomentumConfig;

/**
 * What the competing-risks loss functions add to the contract: the score and DL4J's gradient check
 * on a batch with events of both causes (the contract's batches have cause 1 only), and the
 * refusal of momentum training, which does not keep causes yet.
 */
abstract class CompetingRisksLossFunctionTest extends AbstractSurvivalLossFunctionContractTest {
    @Test
    void scoreAndGradientCheckWithEventsOfBothCauses() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs());
        DataSet batch = Dl4jFixtures.competingBatch(ROWS, 21);
        assertTrue(event(batch).eq(2.0).any(), "the batch has events of cause 2");
        double expected = expectedLoss(net.output(batch.getFeatures()), time(batch), event(batch));
        assertEquals(expected, net.score(batch), SCORE_TOLERANCE * Math.abs(expected));
        assertTrue(Dl4jFixtures.gradientsMatch(net, batch));
        assertTrue(Dl4jFixtures.gradientsMatch(Dl4jFixtures.graph(loss(), outputs()), batch));
    }

    @Test
    void momentumTrainingIsRefusedBeforeAnyUpdate() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.05));
        Momentum.attach(net, MomentumConfig.builder().batchSize(ROWS).steps(2).build());
        INDArray before = net.params().dup();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> net.fit(Dl4jFixtures.competingBatch(ROWS, 22)));
        assertTrue(e.getMessage().contains("does not support momentum training yet"), e.getMessage());
        assertEquals(before, net.params());
    }
}
