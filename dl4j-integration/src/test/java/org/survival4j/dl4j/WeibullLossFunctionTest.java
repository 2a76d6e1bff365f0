package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.WeibullLikelihood;

/** {@link WeibullLossFunction}: the DL4J contract with two outputs, plus the one-output (exponential) model. */
class WeibullLossFunctionTest extends AbstractSurvivalLossFunctionContractTest {
    private static final WeibullLikelihood WEIBULL_MEAN = new WeibullLikelihood(Reduction.MEAN);

    @Override
    ILossFunction loss() {
        return new WeibullLossFunction();
    }

    @Override
    int outputs() {
        return 2;
    }

    @Override
    int wrongOutputs() {
        return 3;
    }

    @Override
    double expectedLoss(INDArray output, INDArray time, INDArray event) {
        return WEIBULL_MEAN.value(output, time, event);
    }

    /** 0.1 scored Infinity and turned the parameters into NaN without a word. */
    @Test
    void aNetworkWhoseCumulativeHazardOverflowsIsRefusedBeforeTheStep() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new WeibullLossFunction(), 2, new Sgd(0.1));
        net.getLayer(1).getParam("b").putScalar(1, 50.0); // log shape 50 on every row
        INDArray params = net.params().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.fit(Dl4jFixtures.survivalBatch(8, 1)));
        assertTrue(e.getMessage().startsWith("logParams[") && e.getMessage().contains("overflows"),
                e.getMessage());
        assertEquals(params, net.params());
    }

    @Test
    void oneOutputNetworkScoreEqualsTheExponentialMeanLoss() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new WeibullLossFunction(), 1);
        DataSet batch = Dl4jFixtures.survivalBatch(ROWS, 31);
        double expected = WEIBULL_MEAN.value(net.output(batch.getFeatures()), time(batch), event(batch));

        assertEquals(expected, net.score(batch), SCORE_TOLERANCE * Math.abs(expected));
    }

    @Test
    void oneOutputNetworkPassesGradientCheck() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new WeibullLossFunction(), 1);
        assertTrue(Dl4jFixtures.gradientsMatch(net, Dl4jFixtures.survivalBatch(ROWS, 32)));
    }
}
