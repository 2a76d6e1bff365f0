package org.survival4j.metrics;

import java.util.Arrays;
import java.util.Locale;
import org.survival4j.data.SurvivalArguments;

/**
 * Grouped calibration at a horizon \( t \): rows grouped by their predicted risk (deciles by
 * default), each group's observed risk (one minus its Kaplan-Meier estimate at \( t \)) against its
 * mean predicted risk, and the Greenwood-Nam-D'Agostino (GND) test (Demler, Paynter and Cook 2015,
 * "Tests of calibration and goodness-of-fit in the survival setting", Stat. Med. 34(10),
 * 1659-1680, doi:10.1002/sim.6428).
 *
 * <p><b>Groups.</b> With \( q_j \) the type-7 quantiles of the predicted risks \( \hat F_i(t) \) at
 * \( j/G \), row \( i \) is in group \( g = \#\{ j < G : \hat F_i > q_j \} \) (the intervals
 * \( (q_{g}, q_{g+1}] \), the first closed; R's {@code cut(p, quantile(p, 0:G/G), include.lowest =
 * TRUE)}), so tied predictions share a group; empty groups are dropped.
 *
 * <p><b>Test.</b> For group \( g \) with Kaplan-Meier estimate \( \hat S_g(t) \), Greenwood variance
 * \( V_g \) and mean predicted risk \( \bar F_g \),
 * \[ \chi^2_{GND} = \sum_g \frac{\big(1 - \hat S_g(t) - \bar F_g\big)^2}{V_g} \sim \chi^2_{G - 1}, \]
 * a group with \( V_g = 0 \) adding 0, as in the paper's published R function {@code GND.calib}.
 * As there, a group with fewer than 2 events by \( t \) is an error (use fewer groups); the paper
 * recommends at least 5 per group ({@link #fewEvents()} tells). The golden tests compare with an R
 * transcription of {@code GND.calib} ({@code golden-own/calibration.R}) to 1e-12, and with
 * riskRegression's {@code plotCalibration(..., method = "quantile", cens.method = "local")} data
 * (the same groups, observed and predicted risks) to 1e-12.
 *
 * <pre>{@code
 * GroupedCalibration g = GroupedCalibration.test(risk, 365, time, event);     // 10 groups
 * g.meanPredictedRisk(); g.observedRisk();   // the points of the grouped calibration plot
 * g.statistic(); g.degreesOfFreedom(); g.pValue();
 * }</pre>
 *
 * <p>Cost: one sort and a Kaplan-Meier fit per group. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class GroupedCalibration {
    /** Deciles. */
    public static final int DEFAULT_GROUPS = 10;
    /** Fewer events by t in a group make the test unstable (the paper's advice). */
    public static final int RECOMMENDED_EVENTS = 5;

    private final double horizon;
    private final int[] group;
    private final int[] size;
    private final int[] events;
    private final double[] meanPredicted;
    private final double[] observed;
    private final double[] variance;
    private final double statistic;

    private GroupedCalibration(double horizon, int[] group, int[] size, int[] events, double[] meanPredicted,
                               double[] observed, double[] variance) {
        this.horizon = horizon;
        this.group = group;
        this.size = size;
        this.events = events;
        this.meanPredicted = meanPredicted;
        this.observed = observed;
        this.variance = variance;
        double chi = 0;
        for (int g = 0; g < size.length; g++) {
            double d = observed[g] - meanPredicted[g];
            chi += variance[g] == 0 ? 0 : d * d / variance[g];
        }
        this.statistic = chi;
    }

    /** The test with {@value #DEFAULT_GROUPS} groups. */
    public static GroupedCalibration test(double[] predictedRisk, double t, double[] time, double[] event) {
        return test(predictedRisk, t, time, event, DEFAULT_GROUPS);
    }

    /**
     * Groups the rows and computes the test.
     *
     * @param predictedRisk each row's predicted risk \( \hat F_i(t) \), in [0, 1]
     * @param t the horizon, {@code > 0}
     * @param time observed times, finite and {@code >= 0}
     * @param event 1 = event, 0 = censored
     * @param groups the number of quantile groups, at least 2
     * @throws IllegalArgumentException if fewer than 2 groups remain or a group has fewer than 2 events by {@code t}
     */
    public static GroupedCalibration test(double[] predictedRisk, double t, double[] time, double[] event,
                                          int groups) {
        String statistic = "the Greenwood-Nam-D'Agostino test at t = " + t;
        SurvivalArguments.atLeast(groups, "groups", 2);
        CalibrationData data = CalibrationData.of(predictedRisk, t, time, event, statistic, false);
        int n = data.risk.length;
        double[] sorted = data.risk.clone();
        Arrays.sort(sorted);
        double[] cuts = new double[groups - 1];
        for (int j = 1; j < groups; j++) {
            cuts[j - 1] = BootstrapReplicates.quantile(sorted, (double) j / groups);
        }
        int[] raw = new int[n];
        int[] count = new int[groups];
        for (int i = 0; i < n; i++) {
            int g = 0;
            while (g < cuts.length && data.risk[i] > cuts[g]) {
                g++;
            }
            raw[i] = g;
            count[g]++;
        }
        int[] index = new int[groups]; // raw group -> kept group, dropping empty ones
        int kept = 0;
        for (int g = 0; g < groups; g++) {
            index[g] = count[g] > 0 ? kept++ : -1;
        }
        SurvivalArguments.checkDefined(kept >= 2, statistic, "the predicted risks fall into fewer than 2 groups");
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = index[raw[i]];
        }
        int[] size = new int[kept];
        int[] events = new int[kept];
        double[] mean = new double[kept];
        double[] observed = new double[kept];
        double[] variance = new double[kept];
        for (int g = 0; g < kept; g++) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                m += group[i] == g ? 1 : 0;
            }
            double[] tg = new double[m];
            boolean[] eg = new boolean[m];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (group[i] == g) {
                    tg[k] = data.time[i];
                    eg[k] = data.event[i];
                    mean[g] += data.risk[i];
                    events[g] += data.event[i] && data.time[i] <= t ? 1 : 0;
                    k++;
                }
            }
            SurvivalArguments.checkDefined(events[g] >= 2, statistic, "group " + g + " (of " + kept + ") has "
                    + events[g] + " events at or before t, the test needs at least 2 (better "
                    + RECOMMENDED_EVENTS + ") in every group: use fewer groups");
            size[g] = m;
            mean[g] /= m;
            KaplanMeier km = KaplanMeier.fit(tg, eg);
            observed[g] = 1 - km.survival(t);
            variance[g] = km.variance(t);
        }
        return new GroupedCalibration(t, group, size, events, mean, observed, variance);
    }

    /** The horizon. */
    public double horizon() {
        return horizon;
    }

    /** The number of (non-empty) groups \( G \). */
    public int groups() {
        return size.length;
    }

    /** Each row's group, 0 = lowest predicted risks (a copy). */
    public int[] group() {
        return group.clone();
    }

    /** Rows per group (a copy). */
    public int[] size() {
        return size.clone();
    }

    /** Events at or before the horizon per group (a copy). */
    public int[] events() {
        return events.clone();
    }

    /** Whether a group has fewer than {@value #RECOMMENDED_EVENTS} events by the horizon (the test may be unstable). */
    public boolean fewEvents() {
        return Arrays.stream(events).anyMatch(e -> e < RECOMMENDED_EVENTS);
    }

    /** \( \bar F_g \) per group (a copy). */
    public double[] meanPredictedRisk() {
        return meanPredicted.clone();
    }

    /** \( 1 - \hat S_g(t) \) per group (a copy). */
    public double[] observedRisk() {
        return observed.clone();
    }

    /** Greenwood's variance \( V_g \) of \( \hat S_g(t) \) per group (a copy). */
    public double[] observedVariance() {
        return variance.clone();
    }

    /** \( \chi^2_{GND} \). */
    public double statistic() {
        return statistic;
    }

    /** \( G - 1 \). */
    public int degreesOfFreedom() {
        return size.length - 1;
    }

    /** \( P(\chi^2_{G-1} > \chi^2_{GND}) \); small values mean miscalibration. */
    public double pValue() {
        return ChiSquare.upperTail(statistic, degreesOfFreedom());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GND chi2 %.4f on %d df, p = %.4g (t = %s, %d groups)", statistic,
                degreesOfFreedom(), pValue(), horizon, groups());
    }
}
