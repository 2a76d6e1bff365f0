package org.survival4j.metrics;

import java.util.Arrays;
import org.survival4j.data.SurvivalArguments;

/**
 * What a bootstrap reports from its replicates \( \theta^*_1..\theta^*_B \), shared by
 * {@link ConcordanceBootstrap} and {@link MetricBootstrap}: the standard error (their sample
 * standard deviation, which {@link InfluenceEstimate} also uses), the percentile interval (R's
 * type-7 quantiles) and the two-sided p-value
 * \( \min\big(1,\ 2\min(1 + \#\{\theta^* \le \theta_0\},\ 1 + \#\{\theta^* \ge \theta_0\}) / (B + 1)\big) \).
 */
final class BootstrapReplicates {
    private BootstrapReplicates() {
    }

    /** The sample standard deviation ({@code n - 1} in the denominator). */
    static double sampleStandardDeviation(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    static ConfidenceInterval percentileInterval(double[] replicates, double alpha) {
        SurvivalArguments.inRange(alpha, "alpha", 0, 1, false);
        double[] sorted = replicates.clone();
        Arrays.sort(sorted);
        return new ConfidenceInterval(quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2), alpha);
    }

    static double pValue(double[] replicates, double nullValue) {
        int below = 1;
        int above = 1;
        for (double v : replicates) {
            if (v <= nullValue) {
                below++;
            }
            if (v >= nullValue) {
                above++;
            }
        }
        return Math.min(1, 2.0 * Math.min(below, above) / (replicates.length + 1));
    }

    /** R's type-7 quantile of sorted values. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
