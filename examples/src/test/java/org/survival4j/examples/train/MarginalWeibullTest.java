package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.WeibullLikelihood;

/** The covariate-free Weibull fit and the Weibull network that starts from it. */
class MarginalWeibullTest {
    @BeforeAll
    static void oneThread() {
        Trainer.useOneThread();
    }

    @Test
    void fitIsAStationaryPointOfTheWeibullLikelihood() {
        SurvivalData rotterdam = BreastCancerCohorts.rotterdamNodePositive();
        MarginalWeibull fit = MarginalWeibull.fit(rotterdam.time(), rotterdam.event());

        // The score of the (independently tested) Weibull loss, summed over rows, vanishes at the MLE.
        int n = rotterdam.size();
        double[][] params = new double[n][];
        Arrays.fill(params, new double[] {fit.logScale(), fit.logShape()});
        INDArray gradient = new WeibullLikelihood(Reduction.MEAN)
                .gradient(Nd4j.createFromArray(params), rotterdam.timeArray(), rotterdam.eventArray());
        INDArray score = gradient.sum(0);
        assertEquals(0, score.getDouble(0), 1e-7);
        assertEquals(0, score.getDouble(1), 1e-7);
    }

    @Test
    void fitRecoversTheParametersOfSimulatedCensoredData() {
        Random rng = new Random(7);
        int n = 20_000;
        double scale = 30;
        double shape = 1.7;
        double[] time = new double[n];
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            double t = scale * Math.pow(-Math.log(rng.nextDouble()), 1 / shape); // inverse of S(t) = exp(-(t/scale)^shape)
            double censor = 60 * rng.nextDouble();
            time[i] = Math.min(t, censor);
            event[i] = t <= censor ? 1 : 0;
        }

        MarginalWeibull fit = MarginalWeibull.fit(time, event);

        // Standard errors at this n are about 0.01 for both; 0.04 is four of them.
        assertEquals(Math.log(scale), fit.logScale(), 0.04);
        assertEquals(Math.log(shape), fit.logShape(), 0.04);
    }

    @Test
    void noEventsIsAnError() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MarginalWeibull.fit(new double[] {1, 2}, new double[] {0, 0}));
        assertTrue(e.getMessage().contains("no events"), e.getMessage());
    }

    @Test
    void weibullNetworkStartsAtTheMarginalFitAndTrainsWithoutOverflow() {
        SurvivalData train = Standardization.fit(BreastCancerCohorts.rotterdamNodePositive())
                .apply(BreastCancerCohorts.rotterdamNodePositive());
        // Seed 2 overflowed to NaN in its first epoch when the output layer started Xavier-random.
        TrainingSettings settings = TrainingSettings.defaults().withLoss(LossKind.WEIBULL).withSeed(2)
                .withMomentum(false);
        MultiLayerNetwork net = Trainer.network(train, settings);
        MarginalWeibull start = MarginalWeibull.fit(train.time(), train.event());

        INDArray out = net.output(train.features()).castTo(DataType.DOUBLE);
        assertEquals(start.logScale(), out.getColumn(0).meanNumber().doubleValue(), 0.01);
        assertEquals(start.logShape(), out.getColumn(1).meanNumber().doubleValue(), 0.01);

        for (DataSet batch : Trainer.batches(train, settings.batchSize(), new Random(2))) {
            net.fit(batch);
            assertTrue(Double.isFinite(net.score()), "loss after a step: " + net.score());
        }
    }
}
