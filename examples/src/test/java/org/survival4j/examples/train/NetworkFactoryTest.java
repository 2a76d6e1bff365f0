package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.survival4j.examples.train.TrainingSettings.ActivationKind;
import org.survival4j.examples.train.TrainingSettings.OptimizerKind;

/** Each network setting's effect on the configuration that {@link NetworkFactory} builds. */
class NetworkFactoryTest {
    private static SurvivalData data;

    @BeforeAll
    static void data() {
        Trainer.useOneThread();
        SurvivalData rotterdam = BreastCancerCohorts.rotterdamNodePositive();
        data = Standardization.fit(rotterdam).apply(rotterdam).rows(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    }

    private static BaseLayer layer(MultiLayerNetwork net, int i) {
        return (BaseLayer) net.getLayerWiseConfigurations().getConf(i).getLayer();
    }

    /**
     * The hidden layers' weights have the spread of the initialisation made for their activation:
     * He for ReLU, sd = sqrt(2 / fan-in); LeCun normal for SELU (Klambauer et al. 2017), sd =
     * sqrt(1 / fan-in); Xavier (Glorot and Bengio 2010) for tanh, sd = sqrt(2 / (fan-in + fan-out)).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"RELU, 2, 0", "SELU, 1, 0", "TANH, 2, 1"})
    void activationSetsItsInitialisation(ActivationKind activation, double numerator, int fanOutCounts) {
        int width = 200;
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults().withHidden(List.of(width, width))
                .withActivation(activation));

        Class<?> expected = switch (activation) {
            case RELU -> ActivationReLU.class;
            case SELU -> ActivationSELU.class;
            case TANH -> ActivationTanH.class;
        };
        assertInstanceOf(expected, layer(net, 1).getActivationFn());
        INDArray w = net.getLayer(1).getParam("W"); // 200 x 200: fan-in and fan-out 200
        double sd = w.stdNumber().doubleValue();
        double want = Math.sqrt(numerator / (width + fanOutCounts * width));
        // 40,000 weights: the sample sd's relative standard error is 1 / sqrt(2 * 40,000) = 0.35 %; 2 % is ~6 of them
        assertEquals(want, sd, 0.02 * want, activation + " weights' sd");
        assertEquals(0, w.meanNumber().doubleValue(), 0.02 * want, "their mean");
    }

    @Test
    void dropoutPerHiddenLayerActsOnThatLayersOutput() {
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults().withHidden(List.of(8, 8))
                .withDropout(List.of(0.1, 0.3)));

        assertNull(layer(net, 0).getIDropout(), "no dropout on the covariates");
        Dropout afterFirst = assertInstanceOf(Dropout.class, layer(net, 1).getIDropout());
        Dropout afterSecond = assertInstanceOf(Dropout.class, layer(net, 2).getIDropout());
        assertEquals(0.9, afterFirst.getP(), 0, "DL4J keeps a unit with probability 1 - dropout");
        assertEquals(0.7, afterSecond.getP(), 0);
    }

    @Test
    void seluTakesAlphaDropout() {
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults().withHidden(List.of(8, 8))
                .withActivation(ActivationKind.SELU).withDropout(0.2));

        AlphaDropout d = assertInstanceOf(AlphaDropout.class, layer(net, 1).getIDropout());
        assertEquals(0.8, d.getP(), 0);
        assertInstanceOf(AlphaDropout.class, layer(net, 2).getIDropout());
    }

    @Test
    void zeroDropoutAddsNone() {
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults().withHidden(List.of(8, 8))
                .withDropout(List.of(0.0, 0.25)));

        assertNull(layer(net, 1).getIDropout());
        assertInstanceOf(Dropout.class, layer(net, 2).getIDropout());
    }

    @Test
    void nesterovWithItsMomentumAndAnInverseSchedule() {
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults()
                .withOptimizer(OptimizerKind.NESTEROV).withLearningRate(0.05).withSgdMomentum(0.85)
                .withSchedule(LearningRateSchedule.inverse(0.01)));

        for (int i = 0; i < 2; i++) {
            Nesterovs u = assertInstanceOf(Nesterovs.class, layer(net, i).getIUpdater());
            assertEquals(0.85, u.getMomentum(), 0);
            assertEquals(0.05, u.getLearningRate(0, 0), 1e-15);
            assertEquals(0.05 / (1 + 0.01 * 10), u.getLearningRate(12345, 10), 1e-15, "DeepSurv's lr / (1 + d e)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"none, 0.002", "exponential, 0.002 * 0.9^7", "step, 0.002 * 0.5^2"})
    void adamFollowsItsSchedule(String kind, String formula) {
        LearningRateSchedule schedule = switch (kind) {
            case "none" -> LearningRateSchedule.none();
            case "exponential" -> LearningRateSchedule.exponential(0.9);
            default -> LearningRateSchedule.step(0.5, 3);
        };
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults().withLearningRate(0.002)
                .withSchedule(schedule));

        IUpdater u = layer(net, 0).getIUpdater();
        assertInstanceOf(Adam.class, u);
        double want = switch (kind) {
            case "none" -> 0.002;
            case "exponential" -> 0.002 * Math.pow(0.9, 7);
            default -> 0.002 * Math.pow(0.5, 2); // floor(7 / 3) = 2 steps
        };
        assertEquals(want, u.getLearningRate(999, 7), 1e-15, formula + " at epoch 7 (iterations do not count)");
    }

    @Test
    void weightDecayIsDecoupledAndScaledByTheLearningRate() {
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults().withWeightDecay(0.003));

        List<Regularization> weights = layer(net, 0).getRegularization();
        assertEquals(1, weights.size(), weights.toString());
        WeightDecay decay = assertInstanceOf(WeightDecay.class, weights.get(0));
        assertEquals(0.003, decay.getCoeff().valueAt(0, 0), 0);
        assertTrue(decay.isApplyLR());
    }

    /**
     * Decoupled weight decay takes {@code lr * wd * w} off each weight per step, once: one step of
     * two networks that differ only in the decay (same initialisation, same batch, so the same
     * Adam update) must differ by exactly that. (DL4J's global {@code weightDecay} puts the decay
     * twice into each layer's list, so that it shrank the weights twice as fast.)
     */
    @Test
    void weightDecayShrinksTheWeightsOncePerStep() {
        double lr = 0.01;
        double wd = 0.5;
        TrainingSettings s = TrainingSettings.defaults().withHidden(List.of(8)).withLearningRate(lr);
        MultiLayerNetwork decayed = NetworkFactory.build(data, s.withWeightDecay(wd));
        MultiLayerNetwork plain = NetworkFactory.build(data, s.withWeightDecay(0));
        INDArray w0 = decayed.getLayer(0).getParam("W").dup();
        assertEquals(w0, plain.getLayer(0).getParam("W"), "the same initialisation");

        decayed.fit(data.dataSet());
        plain.fit(data.dataSet());

        double[] shrink = plain.getLayer(0).getParam("W").sub(decayed.getLayer(0).getParam("W")).ravel().toDoubleVector();
        double[] w = w0.ravel().toDoubleVector();
        for (int i = 0; i < w.length; i++) {
            // float32 parameters: the difference of two updated weights carries a few ulps of 1e-1
            assertEquals(lr * wd * w[i], shrink[i], 1e-6, "weight " + i);
        }
        assertEquals(plain.getLayer(0).getParam("b"), decayed.getLayer(0).getParam("b"), "no decay on the biases");
    }

    @Test
    void l2PenaltyOnTheWeightsOnly() {
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults().withWeightDecay(0).withL2(0.5));

        List<Regularization> weights = layer(net, 0).getRegularization();
        assertEquals(1, weights.size(), weights.toString());
        assertEquals(0.5, assertInstanceOf(L2Regularization.class, weights.get(0)).getL2().valueAt(0, 0), 0);
        assertTrue(layer(net, 0).getRegularizationBias().isEmpty(), "the biases are not penalised");
    }

    @Test
    void l2AndWeightDecayAreRefusedTogether() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingSettings.defaults().withWeightDecay(0.01).withL2(0.5));

        assertTrue(e.getMessage().contains("do not go together"), e.getMessage());
    }

    @Test
    void defaultsBuildTheNetworkOfBefore() {
        MultiLayerNetwork net = NetworkFactory.build(data, TrainingSettings.defaults());

        assertInstanceOf(ActivationReLU.class, layer(net, 0).getActivationFn());
        assertEquals(1e-3, assertInstanceOf(Adam.class, layer(net, 0).getIUpdater()).getLearningRate(50, 50), 0);
        assertTrue(layer(net, 0).getRegularization().stream().noneMatch(r -> r instanceof L2Regularization));
        assertNull(layer(net, 1).getIDropout());
    }
}
