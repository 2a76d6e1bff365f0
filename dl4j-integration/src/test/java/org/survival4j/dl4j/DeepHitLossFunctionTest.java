package org.survival4j.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.loss.DeepHit;
import org.survival4j.loss.Reduction;

/**
 * {@link DeepHitLossFunction}: the DL4J contract with two causes on nine intervals (the fixtures'
 * whole times, up to 8, are the grid indices).
 */
class DeepHitLossFunctionTest extends CompetingRisksLossFunctionTest {
    private static final int INTERVALS = 9;

    @Override
    ILossFunction loss() {
        return new DeepHitLossFunction(2, INTERVALS, 0.3, 0.5);
    }

    @Override
    int outputs() {
        return 2 * INTERVALS;
    }

    @Override
    int wrongOutputs() {
        return 2 * INTERVALS - 1;
    }

    @Override
    double expectedLoss(INDArray output, INDArray time, INDArray event) {
        return new DeepHit(2, 0.3, 0.5, Reduction.MEAN).value(output, time, event);
    }

    @Override
    String[] badEvent() {
        return new String[] {"3.0", "cause[2] = 3.0: causes must be whole numbers from 0 (censored) to 2"};
    }
}
