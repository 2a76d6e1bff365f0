package org.survival4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;

/**
 * Survival curves and median times of a Weibull network's outputs (the parametrisation of
 * {@link org.survival4j.loss.WeibullLikelihood}: per row \( a = \log\lambda \), \( b = \log\rho \)).
 *
 * <p>\[ S_i(t) = \exp\!\big(-(t/\lambda_i)^{\rho_i}\big) = \exp\!\big(-e^{\rho_i(\log t - a_i)}\big), \qquad
 *      \mathrm{median}_i = \lambda_i (\log 2)^{1/\rho_i} . \]
 * A one-column output means \( \rho = 1 \) (exponential). \( S(0) = 1 \). For a concordance index,
 * use minus the median as the risk (a shorter median means a higher risk), or \( 1 - S_i(t) \) at a
 * chosen time. Stateless and thread-safe.
 *
 * <pre>{@code
 * INDArray out = Nd4j.createFromArray(new double[][] {{Math.log(2.0), 0.0}}); // lambda = 2, rho = 1
 * WeibullSurvival.survival(out, 2.0);   // [[exp(-1)]] = [[0.3679]]
 * WeibullSurvival.medianTime(out);      // [2 log 2] = [1.3863]
 * }</pre>
 *
 * @since 0.1
 */
public final class WeibullSurvival {
    private WeibullSurvival() {
    }

    /**
     * Survival curves.
     *
     * @param logParams {@code [n, 2]} = (log scale, log shape), or {@code [n, 1]} / {@code [n]} = log scale with shape 1
     * @param times where to evaluate, each finite and {@code >= 0}
     * @return \( S_i(t_j) \), double {@code [n, times.length]}
     */
    public static INDArray survival(INDArray logParams, double... times) {
        double[][] p = SurvivalArguments.finiteColumns(logParams, "logParams", 2);
        SurvivalArguments.time(SurvivalArguments.checkNotNull(times, "times"), "times", times.length);
        SurvivalArguments.atLeast(p.length, "number of rows", 1);
        SurvivalArguments.atLeast(times.length, "number of times", 1);
        double[][] s = new double[p.length][times.length];
        for (int i = 0; i < p.length; i++) {
            double rho = p[i].length > 1 ? Math.exp(p[i][1]) : 1;
            for (int j = 0; j < times.length; j++) {
                s[i][j] = Math.exp(-Math.exp(rho * (Math.log(times[j]) - p[i][0])));
            }
        }
        return Nd4j.createFromArray(s);
    }

    /**
     * Median survival times.
     *
     * @param logParams as for {@link #survival(INDArray, double...)}
     * @return \( \lambda_i (\log 2)^{1/\rho_i} \), double {@code [n]}
     */
    public static INDArray medianTime(INDArray logParams) {
        double[][] p = SurvivalArguments.finiteColumns(logParams, "logParams", 2);
        SurvivalArguments.atLeast(p.length, "number of rows", 1);
        double[] m = new double[p.length];
        double logLog2 = Math.log(Math.log(2));
        for (int i = 0; i < p.length; i++) {
            double rho = p[i].length > 1 ? Math.exp(p[i][1]) : 1;
            m[i] = Math.exp(p[i][0] + logLog2 / rho);
        }
        return Nd4j.createFromArray(m);
    }
}
