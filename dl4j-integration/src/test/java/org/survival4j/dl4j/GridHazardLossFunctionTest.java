package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.momentum.MomentumConfig;

/** {@link GridHazardLossFunction}: the DL4J contract with four knots, and training with and without momentum. */
class GridHazardLossFunctionTest extends AbstractSurvivalLossFunctionContractTest {
    /** The fixtures' times run up to about 8; the last knot is inside them, so some rows pass it. */
    private static final double[] KNOTS = {0, 1.5, 3, 6};
    private static final GridHazardLikelihood MEAN = new GridHazardLikelihood(KNOTS, Reduction.MEAN);

    @Override
    ILossFunction loss() {
        return new GridHazardLossFunction(KNOTS);
    }

    @Override
    int outputs() {
        return KNOTS.length;
    }

    @Override
    int wrongOutputs() {
        return KNOTS.length - 1;
    }

    @Override
    double expectedLoss(INDArray output, INDArray time, INDArray event) {
        return MEAN.value(output, time, event);
    }

    @Test
    void badKnotsAreRefusedWhenTheLossIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GridHazardLossFunction(new double[] {0.5, 1}));
        assertTrue(e.getMessage().contains("knots[0] must be 0"), e.getMessage());
    }

    /**
     * More knots than a memory bank holds (1,024 columns): momentum is refused when it is attached,
     * before anything changes, rather than at the first step, after the optimizer has updated the
     * weights. Refused or not at attach, after the refusal the network trains as it was.
     */
    @Test
    void momentumWithMoreKnotsThanABankHoldsIsRefusedBeforeAnythingChanges() {
        double[] knots = new double[1025];
        for (int k = 1; k < knots.length; k++) {
            knots[k] = k / 100.0;
        }
        MultiLayerNetwork net = Dl4jFixtures.mlp(new GridHazardLossFunction(knots), knots.length, new Adam(1e-2));
        INDArray params = net.params().dup();
        ILossFunction loss = net.getOutputLayer().conf().getLayer() instanceof BaseOutputLayer o ? o.getLossFn() : null;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            Momentum.attach(net, MomentumConfig.builder().batchSize(8).steps(2).build());
            net.fit(Dl4jFixtures.survivalBatch(8, 1));
        });

        assertTrue(e.getMessage().contains("1025") && e.getMessage().contains("1024"), e.getMessage());
        assertArrayEquals(params.toDoubleVector(), net.params().toDoubleVector(), "weights");
        assertEquals(0, net.getIterationCount(), "iterations");
        assertTrue(net.getListeners().isEmpty(), "no momentum listener left behind");
        assertSame(loss, ((BaseOutputLayer) net.getOutputLayer().conf().getLayer()).getLossFn(), "the loss instance");
    }

    @Test
    void trainsANetworkPlainlyAndWithMomentum() {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batches.add(Dl4jFixtures.survivalBatch(8, 500 + i));
        }
        DataSet all = DataSet.merge(batches);
        for (boolean withMomentum : new boolean[] {false, true}) {
            MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Adam(1e-2));
            Momentum momentum = withMomentum
                    ? Momentum.attach(net, MomentumConfig.builder().batchSize(8).steps(4).rate(0.9).build()) : null;
            double before = expectedLoss(net.output(all.getFeatures()), time(all), event(all));
            for (int epoch = 0; epoch < 5; epoch++) {
                net.fit(new ListDataSetIterator<>(batches, 1));
            }
            INDArray out = withMomentum ? momentum.infer(all.getFeatures()) : net.output(all.getFeatures());
            double after = expectedLoss(out, time(all), event(all));
            assertTrue(after < before - 0.1, (withMomentum ? "momentum" : "plain") + ": " + before + " -> " + after);
            if (withMomentum) {
                assertEquals(8 * 4, momentum.bankSize());
            }
        }
    }
}
