package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Weibull curves and medians by hand: \( S(t) = \exp(-(t/\lambda)^\rho) \). */
class WeibullSurvivalTest {
    static final double EXACT = 1e-14;

    @Test
    void javadocExample() {
        INDArray out = Nd4j.createFromArray(new double[][] {{Math.log(2.0), 0.0}});
        assertEquals(Math.exp(-1), WeibullSurvival.survival(out, 2.0).getDouble(0, 0), EXACT);
        assertEquals(2 * Math.log(2), WeibullSurvival.medianTime(out).getDouble(0), EXACT);
    }

    @Test
    void survivalAtTheMedianIsOneHalfAndOneAtZero() {
        INDArray out = Nd4j.createFromArray(new double[][] {{1.3, 0.4}, {-0.7, -0.9}, {2.0, 1.5}});
        double[] median = WeibullSurvival.medianTime(out).toDoubleVector();
        for (int i = 0; i < 3; i++) {
            INDArray s = WeibullSurvival.survival(out.getRow(i, true), 0.0, median[i]);
            assertEquals(1.0, s.getDouble(0, 0), 0);
            assertEquals(0.5, s.getDouble(0, 1), 1e-13);
        }
        double lambda = Math.exp(1.3);
        double rho = Math.exp(0.4);
        assertEquals(Math.exp(-Math.pow(3 / lambda, rho)), WeibullSurvival.survival(out, 3.0).getDouble(0, 0), EXACT);
    }

    @Test
    void oneColumnIsExponential() {
        INDArray out = Nd4j.createFromArray(new double[][] {{Math.log(4.0)}});
        assertEquals(Math.exp(-0.5), WeibullSurvival.survival(out, 2.0).getDouble(0, 0), EXACT);
    }
}
