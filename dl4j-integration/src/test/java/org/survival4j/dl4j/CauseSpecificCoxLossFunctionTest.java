package org.survival4j.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.loss.CauseSpecificCox;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;

/** {@link CauseSpecificCoxLossFunction}: the DL4J contract with two causes (Breslow ties, the non-default). */
class CauseSpecificCoxLossFunctionTest extends CompetingRisksLossFunctionTest {
    @Override
    ILossFunction loss() {
        return new CauseSpecificCoxLossFunction(2, Ties.BRESLOW);
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
        return new CauseSpecificCox(Ties.BRESLOW, Reduction.MEAN).value(output, time, event);
    }

    @Override
    String[] badEvent() {
        return new String[] {"3.0", "cause[2] = 3.0: causes must be whole numbers from 0 (censored) to 2"};
    }
}
