package org.survival4j.metrics;

import java.util.Arrays;
import java.util.Locale;
import org.survival4j.data.SurvivalArguments;

/**
 * Distribution calibration (D-calibration) of predicted survival curves over the whole follow-up
 * (Haider, Hoehn, Davis and Greiner 2020, "Effective ways to build and evaluate individual
 * survival distributions", J. Mach. Learn. Res. 21(85), 1-63).
 *
 * <p>If the model is right, \( \hat S(T_i \mid x_i) \) at the true event time is uniform on
 * [0, 1], so its histogram over \( B \) equal bins (\( B = 10 \) by default) is flat. Bin
 * \( b = 0..B-1 \) is \( [b/B, (b+1)/B) \) (the last one closed), i.e. \( \min(\lfloor sB \rfloor, B-1) \).
 * <ul>
 *   <li>An event row with \( s_i = \hat S(T_i \mid x_i) \) adds 1 to the bin of \( s_i \).</li>
 *   <li>A censored row (the event came later, so \( \hat S(T_i) \) is uniform on \( [0, s_i] \)
 *       under the model) is spread over \( [0, s_i] \): its own bin \( [\ell, u) \) gets
 *       \( (s_i - \ell)/s_i \) and each bin below it \( 1/(B s_i) \) (the paper's section 4.4 and
 *       its reference code); a row censored with \( s_i = 0 \) adds 1 to the first bin.</li>
 * </ul>
 * The test is Pearson's \( \chi^2 = \sum_b (N_b - n/B)^2 / (n/B) \) on \( B - 1 \) degrees of
 * freedom; a small p-value says the curves are not D-calibrated. Spreading the censored rows
 * makes the counts less variable than multinomial, so the test is conservative under heavy
 * censoring (the paper; and the A-calibration study, BMC Med. Res. Methodol. 2025,
 * doi:10.1186/s12874-025-02671-6).
 *
 * <pre>{@code
 * // s[i] = the model's S(T_i | x_i) at each row's own observed time
 * DCalibration d = DCalibration.test(s, event);
 * d.counts(); d.statistic(); d.pValue();
 * }</pre>
 *
 * <p>Cost: \( O(nB) \). Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class DCalibration {
    /** The paper's number of bins. */
    public static final int DEFAULT_BINS = 10;

    private final double[] counts;
    private final int rows;
    private final double statistic;

    private DCalibration(double[] counts, int rows) {
        this.counts = counts;
        this.rows = rows;
        double expected = (double) rows / counts.length;
        double chi = 0;
        for (double c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        this.statistic = chi;
    }

    /** The test with {@value #DEFAULT_BINS} bins. */
    public static DCalibration test(double[] survivalAtTime, double[] event) {
        return test(survivalAtTime, event, DEFAULT_BINS);
    }

    /**
     * Builds the histogram and computes the test.
     *
     * @param survivalAtTime each row's predicted survival at its own observed time, \( \hat S(T_i \mid x_i) \), in [0, 1]
     * @param event 1 = event, 0 = censored
     * @param bins the number of equal bins, at least 2
     */
    public static DCalibration test(double[] survivalAtTime, double[] event, int bins) {
        SurvivalArguments.atLeast(bins, "bins", 2);
        double[] s = SurvivalArguments.checkNotNull(survivalAtTime, "survivalAtTime");
        SurvivalArguments.atLeast(s.length, "number of rows", 1);
        SurvivalArguments.probabilities(s, "survivalAtTime", s.length);
        boolean[] e = SurvivalArguments.event(event, "event", s.length);
        double[] counts = new double[bins];
        for (int i = 0; i < s.length; i++) {
            int b = Math.min((int) Math.floor(s[i] * bins), bins - 1);
            if (e[i]) {
                counts[b] += 1;
            } else if (s[i] == 0) {
                counts[0] += 1;
            } else {
                counts[b] += 1 - b / (bins * s[i]); // (s - b/B) / s
                for (int below = 0; below < b; below++) {
                    counts[below] += 1 / (bins * s[i]);
                }
            }
        }
        return new DCalibration(counts, s.length);
    }

    /** The (fractional) count per bin, bin 0 = lowest survival (a copy); they sum to the number of rows. */
    public double[] counts() {
        return counts.clone();
    }

    /** The number of rows. */
    public int rows() {
        return rows;
    }

    /** Pearson's \( \chi^2 \) against equal counts. */
    public double statistic() {
        return statistic;
    }

    /** \( B - 1 \). */
    public int degreesOfFreedom() {
        return counts.length - 1;
    }

    /** \( P(\chi^2_{B-1} > \chi^2) \); the curves pass at level \( \alpha \) when it is above \( \alpha \). */
    public double pValue() {
        return ChiSquare.upperTail(statistic, degreesOfFreedom());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "D-calibration chi2 %.4f on %d df, p = %.4g, counts %s", statistic,
                degreesOfFreedom(), pValue(), Arrays.toString(counts));
    }
}
