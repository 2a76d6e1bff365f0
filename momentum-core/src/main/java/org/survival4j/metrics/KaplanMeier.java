package org.survival4j.metrics;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.TimeGroups;

/**
 * The Kaplan-Meier product-limit estimate of a survival function, with Greenwood's variance
 * (Kaplan and Meier 1958, doi:10.1080/01621459.1958.10501452; Greenwood 1926, "The natural
 * duration of cancer", Reports on Public Health and Medical Subjects 33).
 *
 * <p>At the distinct observed times \( t_1 < \dots < t_K \), with \( n_k \) rows at risk and
 * \( d_k \) events at \( t_k \),
 * \[ \hat S(t) = \prod_{t_k \le t} \Big(1 - \frac{d_k}{n_k}\Big), \qquad
 *    \widehat{\mathrm{Var}}\,\hat S(t) = \hat S(t)^2 \sum_{t_k \le t} \frac{d_k}{n_k (n_k - d_k)} . \]
 * \( \hat S \) is a right-continuous step function: 1 before \( t_1 \), its last value after
 * \( t_K \). Once \( \hat S \) reaches 0 (everyone at risk had the event) the variance is reported
 * as 0 rather than the undefined \( 0 \cdot \infty \). These are the values of R's
 * {@code survfit(Surv(time, event) ~ 1)}.
 *
 * <p><b>Censoring distribution.</b> {@link #fitCensoring(INDArray, INDArray)} estimates
 * \( G(t) = P(C > t) \), the survival function of the censoring times, used for inverse probability
 * of censoring weights (IPCW). Censored rows are its "events"; at a time shared by events and
 * censorings the events leave the risk set first (a censored row is known to have been at risk
 * just after its time, an event not):
 * \[ \hat G(t) = \prod_{t_k \le t} \Big(1 - \frac{c_k}{n_k - d_k}\Big), \]
 * with \( c_k \) censorings at \( t_k \). This is the convention of R's {@code concordance(timewt =
 * "n/G2")} and of {@code riskRegression::Score(cens.model = "km")}; it differs from simply
 * swapping the event indicator where events and censorings share a time.
 *
 * <p>Cost: one sort, \( O(n \log n) \); look-ups are binary searches. Immutable and thread-safe.
 *
 * <pre>{@code
 * KaplanMeier km = KaplanMeier.fit(Nd4j.createFromArray(1.0, 2.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 1.0, 0.0, 1.0));
 * km.survival(2.0);        // (1 - 1/4) * (1 - 1/3) = 0.5
 * km.standardError(2.0);   // 0.5 * sqrt(1/(4*3) + 1/(3*2)) = 0.25
 * }</pre>
 *
 * @since 0.1
 */
public final class KaplanMeier {
    private final double[] times;
    private final double[] atRisk;
    private final double[] events;
    private final double[] survival;
    private final double[] greenwood;

    private KaplanMeier(double[] times, double[] atRisk, double[] events) {
        this.times = times;
        this.atRisk = atRisk;
        this.events = events;
        int k = times.length;
        survival = new double[k];
        greenwood = new double[k];
        double s = 1;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            if (events[i] > 0) {
                s *= 1 - events[i] / atRisk[i];
                sum += atRisk[i] > events[i] ? events[i] / (atRisk[i] * (atRisk[i] - events[i])) : 0;
            }
            survival[i] = s;
            greenwood[i] = sum;
        }
    }

    /**
     * Fits the survival function of the event times.
     *
     * @param time observed times, {@code [n]}, finite and {@code >= 0}, at least one row
     * @param event 1 = event, 0 = censored, {@code [n]}
     * @return the estimate
     */
    public static KaplanMeier fit(INDArray time, INDArray event) {
        double[] t = SurvivalArguments.time(time, "time", (int) SurvivalArguments.checkNotNull(time, "time").length());
        boolean[] e = SurvivalArguments.event(event, "event", t.length);
        return fit(t, e);
    }

    /**
     * Fits the survival function \( G \) of the censoring times (the "reverse" Kaplan-Meier), with
     * events leaving the risk set before censorings at a shared time.
     *
     * @param time observed times, {@code [n]}, finite and {@code >= 0}, at least one row
     * @param event 1 = event, 0 = censored, {@code [n]}
     * @return the estimate of \( G \)
     */
    public static KaplanMeier fitCensoring(INDArray time, INDArray event) {
        double[] t = SurvivalArguments.time(time, "time", (int) SurvivalArguments.checkNotNull(time, "time").length());
        boolean[] e = SurvivalArguments.event(event, "event", t.length);
        return fitCensoring(t, e);
    }

    /** As {@link #fit(INDArray, INDArray)} for validated arrays. */
    static KaplanMeier fit(double[] time, boolean[] event) {
        return fromGroups(time, event, false);
    }

    /** As {@link #fitCensoring(INDArray, INDArray)} for validated arrays. */
    static KaplanMeier fitCensoring(double[] time, boolean[] event) {
        return fromGroups(time, event, true);
    }

    private static KaplanMeier fromGroups(double[] time, boolean[] event, boolean censoring) {
        SurvivalArguments.atLeast(time.length, "number of rows", 1);
        TimeGroups groups = TimeGroups.of(time, event, null);
        int k = groups.groupCount();
        double[] t = new double[k];
        double[] n = new double[k];
        double[] d = new double[k];
        int laterRows = time.length;
        for (int g = 0; g < k; g++) {
            int size = groups.groupEnd(g) - groups.groupStart(g);
            int deaths = groups.eventsInGroup(g);
            t[g] = groups.groupTime(g);
            n[g] = censoring ? laterRows - deaths : laterRows;
            d[g] = censoring ? size - deaths : deaths;
            laterRows -= size;
        }
        return new KaplanMeier(t, n, d);
    }

    /**
     * Rebuilds an estimate from its counts (e.g. read back from a saved model).
     *
     * @param times distinct times, strictly increasing, finite and {@code >= 0}
     * @param atRisk rows at risk at each time, {@code >= events}
     * @param events events at each time, {@code >= 0}
     * @return the estimate
     */
    public static KaplanMeier fromCounts(double[] times, double[] atRisk, double[] events) {
        int k = SurvivalArguments.checkNotNull(times, "times").length;
        SurvivalArguments.time(times, "times", k);
        SurvivalArguments.inRange(SurvivalArguments.checkNotNull(atRisk, "atRisk").length, "atRisk.length", k, k, true);
        SurvivalArguments.inRange(SurvivalArguments.checkNotNull(events, "events").length, "events.length", k, k, true);
        for (int i = 0; i < k; i++) {
            SurvivalArguments.inRange(atRisk[i], "atRisk[" + i + "]", 0, Double.MAX_VALUE, true);
            if (i > 0) {
                SurvivalArguments.inRange(times[i], "times[" + i + "]", times[i - 1], Double.MAX_VALUE, false);
            }
            SurvivalArguments.inRange(events[i], "events[" + i + "]", 0, atRisk[i], true);
        }
        return new KaplanMeier(times.clone(), atRisk.clone(), events.clone());
    }

    /** \( \hat S(t) \), right-continuous: the events at \( t \) count. */
    public double survival(double t) {
        int k = lastAtOrBefore(t);
        return k < 0 ? 1 : survival[k];
    }

    /** The left limit \( \hat S(t-) \): the events at \( t \) do not count yet. */
    public double survivalBefore(double t) {
        int k = lastBefore(t);
        return k < 0 ? 1 : survival[k];
    }

    /** Greenwood's variance of \( \hat S(t) \); 0 where \( \hat S(t) = 0 \). */
    public double variance(double t) {
        int k = lastAtOrBefore(t);
        if (k < 0 || survival[k] == 0) {
            return 0;
        }
        return survival[k] * survival[k] * greenwood[k];
    }

    /** The square root of {@link #variance(double)}. */
    public double standardError(double t) {
        return Math.sqrt(variance(t));
    }

    /** The distinct observed times, ascending (a copy). */
    public double[] times() {
        return times.clone();
    }

    /** Rows at risk at each of {@link #times()} (a copy). */
    public double[] atRisk() {
        return atRisk.clone();
    }

    /** Events (censorings, for the censoring estimate) at each of {@link #times()} (a copy). */
    public double[] events() {
        return events.clone();
    }

    /** \( \hat S \) at each of {@link #times()} (a copy). */
    public double[] survivalAtTimes() {
        return survival.clone();
    }

    private int lastAtOrBefore(double t) {
        checkTime(t);
        int i = Arrays.binarySearch(times, t);
        return i >= 0 ? i : -i - 2;
    }

    private int lastBefore(double t) {
        checkTime(t);
        int i = Arrays.binarySearch(times, t);
        return i >= 0 ? i - 1 : -i - 2;
    }

    /** Times are finite and {@code >= 0} here as everywhere (and as in {@code BreslowBaseline}). */
    private static void checkTime(double t) {
        SurvivalArguments.inRange(t, "t", 0, Double.MAX_VALUE, true);
    }

    @Override
    public String toString() {
        return "KaplanMeier(" + times.length + " times, S(last) = " + (times.length == 0 ? 1 : survival[times.length - 1])
                + ")";
    }
}
