package org.survival4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * Validated test rows with the censoring estimate \( \hat G \) of a training set: what the
 * inverse-probability-of-censoring weighted (IPCW) metrics share.
 *
 * <p>At a horizon \( t \) a row is a <em>case</em> when \( T_i \le t \) and \( \delta_i = 1 \),
 * weighted \( 1/\hat G(T_i-) \), and a <em>control</em> when \( T_i > t \), weighted
 * \( 1/\hat G(t) \); rows censored at or before \( t \) get weight 0. A horizon is estimable when
 * \( \hat G(t) > 0 \), which also makes every case weight finite.
 */
final class IpcwData {
    final double[] time;
    final boolean[] event;
    final KaplanMeier censoring;

    private IpcwData(double[] time, boolean[] event, KaplanMeier censoring) {
        this.time = time;
        this.event = event;
        this.censoring = censoring;
    }

    static IpcwData of(INDArray time, INDArray event, int n, INDArray trainTime, INDArray trainEvent) {
        double[] t = SurvivalArguments.time(time, "time", n);
        boolean[] e = SurvivalArguments.event(event, "event", n);
        SurvivalArguments.atLeast(n, "number of rows", 1);
        return new IpcwData(t, e, KaplanMeier.fitCensoring(trainTime, trainEvent));
    }

    /** Rows already validated, with a censoring estimate. */
    static IpcwData of(double[] time, boolean[] event, KaplanMeier censoring) {
        return new IpcwData(time, event, censoring);
    }

    /** Number of rows. */
    int rows() {
        return time.length;
    }

    /** Checks that the horizon is {@code >= 0} and that \( \hat G(t) > 0 \); returns \( \hat G(t) \). */
    double censoringSurvivalAt(double t, String statistic) {
        SurvivalArguments.inRange(t, "t", 0, Double.MAX_VALUE, true);
        double g = censoring.survival(t);
        SurvivalArguments.checkDefined(g > 0, statistic + " at t = " + SurvivalArguments.format(t),
                "the censoring survival G(t) of the training set is 0 there (every row still at risk was censored); "
                        + "choose an earlier time");
        return g;
    }

    /** The weight of a case (event at or before the horizon): \( 1/\hat G(T_i-) \). */
    double caseWeight(int row) {
        return 1 / censoring.survivalBefore(time[row]);
    }

    boolean isCase(int row, double t) {
        return event[row] && time[row] <= t;
    }

    boolean isControl(int row, double t) {
        return time[row] > t;
    }

    /** Strictly increasing, at least two times: the grid of an integral. */
    static double[] checkGrid(double[] times) {
        SurvivalArguments.checkNotNull(times, "times");
        SurvivalArguments.atLeast(times.length, "number of times", 2);
        for (int k = 1; k < times.length; k++) {
            SurvivalArguments.inRange(times[k], "times[" + k + "]", times[k - 1], Double.MAX_VALUE, false);
        }
        return times;
    }

    /** The trapezoidal mean of {@code values} over the grid: \( \frac{1}{t_K - t_1}\sum_k \frac{(t_{k+1} - t_k)(f_k + f_{k+1})}{2} \). */
    static double trapezoidMean(double[] times, double[] values) {
        double area = 0;
        for (int k = 0; k + 1 < times.length; k++) {
            area += (times[k + 1] - times[k]) * (values[k] + values[k + 1]) / 2;
        }
        return area / (times[times.length - 1] - times[0]);
    }
}
