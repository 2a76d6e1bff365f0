package org.survival4j.examples.heart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;

/**
 * A DL4J Cox model on counting-process labels reaches R's fit of the heart transplant data:
 * {@code coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart)}
 * (R 4.2.2, survival 3.5.3) gives coefficients 0.0271666409576767, -0.1463463456741959,
 * -0.6372098899669668, -0.0102507724090828 and a log partial likelihood of -290.565616218489.
 */
class HeartTransplantTest {
    @Test
    void theLinearModelReachesRsCoefficientsAndLikelihood() throws IOException {
        DataSet data = HeartTransplant.data();
        assertEquals(172, data.numExamples());
        MultiLayerNetwork net = HeartTransplant.linearCox(data, 4000);

        assertArrayEquals(new double[] {0.0271666409576767, -0.1463463456741959, -0.6372098899669668,
                -0.0102507724090828}, net.getParam("0_W").toDoubleVector(), 1e-4); // measured 1e-5
        double nll = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM).value(net.output(data.getFeatures()),
                data.getLabels().getColumn(0), data.getLabels().getColumn(1), data.getLabels().getColumn(2));
        assertEquals(290.565616218489, nll, 1e-5); // the maximum: any other coefficients give more
    }
}
