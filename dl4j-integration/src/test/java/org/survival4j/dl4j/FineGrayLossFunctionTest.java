package org.survival4j.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.loss.FineGray;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;

/** {@link FineGrayLossFunction}: the DL4J contract for cause 1 of interest (cause 2 competing). */
class FineGrayLossFunctionTest extends CompetingRisksLossFunctionTest {
    @Override
    ILossFunction loss() {
        return new FineGrayLossFunction(1, Ties.EFRON);
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
        return new FineGray(1, Ties.EFRON, Reduction.MEAN).value(output, time, event);
    }

    @Override
    String[] badEvent() {
        return new String[] {"1.5", "cause[2] = 1.5: causes must be whole numbers >= 0 (0 = censored)"};
    }
}
