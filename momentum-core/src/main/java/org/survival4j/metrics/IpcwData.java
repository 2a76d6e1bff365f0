package org.survival4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * Validated test rows with the censoring estimate \( \hat G \) of a training set: what the
 * inverse-probability-of-censoring weighted (IPCW) metrics share.
 *
 * <p>At a horizon \( t \) a row is a <em>case</em> when \( T_i \le t \) and it had the event of
 * interest, weighted \( 1/\hat G(T_i-) \), and a <em>control</em> when \( T_i > t \), weighted
 * \( 1/\hat G(t) \), or, under competing risks, when it had another cause's event by \( t \),
 * weighted \( 1/\hat G(T_i-) \) (riskRegression's controls 1 and 2; Blanche, Dartigues and
 * Jacqmin-Gadda 2013, doi:10.1002/sim.5958). Rows censored at or before \( t \) get weight 0. A
 * horizon is estimable when \( \hat G(t) > 0 \), which also makes every weight finite.
 */
final class IpcwData {
    final double[] time;
    /** An event of any cause: such rows are weighted at their own time, and censor nothing. */
    final boolean[] event;
    /** The event of interest (the same as {@link #event} without competing risks). */
    final boolean[] caseEvent;
    final KaplanMeier censoring;

    private IpcwData(double[] time, boolean[] event, boolean[] caseEvent, KaplanMeier censoring) {
        this.time = time;
        this.event = event;
        this.caseEvent = caseEvent;
        this.censoring = censoring;
    }

    static IpcwData of(INDArray time, INDArray event, int n, INDArray trainTime, INDArray trainEvent) {
        double[] t = SurvivalArguments.time(time, "time", n);
        boolean[] e = SurvivalArguments.event(event, "event", n);
        SurvivalArguments.atLeast(n, "number of rows", 1);
        return new IpcwData(t, e, e, KaplanMeier.fitCensoring(trainTime, trainEvent));
    }

    /**
     * Competing-risks rows: the cases are the events of cause {@code k}; \( \hat G \) is the
     * censoring distribution of the training rows (an event of any cause is not a censoring).
     *
     * @param trainTime the training rows' times ({@code null}: the test rows themselves)
     */
    static IpcwData ofCause(INDArray time, INDArray cause, int k, int n, INDArray trainTime, INDArray trainCause) {
        double[] t = SurvivalArguments.time(time, "time", n);
        int[] c = SurvivalArguments.anyCause(SurvivalArguments.finiteVector(cause, "cause"), "cause", n);
        SurvivalArguments.atLeast(n, "number of rows", 1);
        SurvivalArguments.atLeast(k, "cause of interest", 1);
        boolean[] any = new boolean[n];
        boolean[] interest = new boolean[n];
        for (int i = 0; i < n; i++) {
            any[i] = c[i] != 0;
            interest[i] = c[i] == k;
        }
        KaplanMeier censoring;
        if (trainTime == null) {
            censoring = KaplanMeier.fitCensoring(t, any);
        } else {
            double[] tt = SurvivalArguments.time(trainTime, "trainTime", (int) trainTime.length());
            int[] tc = SurvivalArguments.anyCause(SurvivalArguments.finiteVector(trainCause, "trainCause"), "trainCause",
                    tt.length);
            boolean[] trainAny = new boolean[tt.length];
            for (int i = 0; i < tt.length; i++) {
                trainAny[i] = tc[i] != 0;
            }
            censoring = KaplanMeier.fitCensoring(tt, trainAny);
        }
        return new IpcwData(t, any, interest, censoring);
    }

    /** Rows already validated, with a censoring estimate (one cause). */
    static IpcwData of(double[] time, boolean[] event, KaplanMeier censoring) {
        return new IpcwData(time, event, event, censoring);
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

    /** The weight of a row with an event (of any cause) at or before the horizon: \( 1/\hat G(T_i-) \). */
    double caseWeight(int row) {
        return 1 / censoring.survivalBefore(time[row]);
    }

    /** The event of interest at or before \( t \). */
    boolean isCase(int row, double t) {
        return caseEvent[row] && time[row] <= t;
    }

    /** Event-free beyond \( t \), or another cause's event by \( t \). */
    boolean isControl(int row, double t) {
        return time[row] > t || (event[row] && !caseEvent[row]);
    }

    /** Observed beyond the horizon: weighted \( 1/\hat G(t) \); every other weighted row at its own time. */
    boolean beyond(int row, double t) {
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
