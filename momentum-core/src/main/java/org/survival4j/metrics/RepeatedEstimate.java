package org.survival4j.metrics;

import java.util.Locale;
import org.survival4j.data.SurvivalArguments;

/**
 * The mean of \( R \) repeats of a randomized statistic (e.g. the loss of a metric when one feature
 * is permuted, once per repeat), with the Student-t interval of that mean:
 * \( \bar v \pm t_{R-1,\,1-\alpha/2}\, s / \sqrt R \), \( s \) the sample standard deviation of the
 * repeats. The interval describes the randomization (which permutations were drawn) for the rows
 * at hand, not the sampling of those rows.
 *
 * <pre>{@code
 * RepeatedEstimate e = RepeatedEstimate.of("importance of age", new double[] {0.021, 0.025, 0.019});
 * e.mean(); e.standardError(); e.confidenceInterval(0.05);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class RepeatedEstimate {
    private final String statistic;
    private final double[] values;
    private final double mean;
    private final double standardDeviation;

    private RepeatedEstimate(String statistic, double[] values) {
        this.statistic = statistic;
        this.values = values;
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        this.mean = sum / values.length;
        this.standardDeviation = BootstrapReplicates.sampleStandardDeviation(values);
    }

    /**
     * @param statistic what was repeated, for {@link #toString()}
     * @param values the repeats, at least 2, finite (copied)
     */
    public static RepeatedEstimate of(String statistic, double[] values) {
        double[] v = SurvivalArguments.finiteVector(SurvivalArguments.checkNotNull(values, "values").clone(), "values");
        SurvivalArguments.atLeast(v.length, "number of repeats", 2);
        return new RepeatedEstimate(SurvivalArguments.checkNotNull(statistic, "statistic"), v);
    }

    /** What was repeated. */
    public String statistic() {
        return statistic;
    }

    /** The repeats (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** Their mean. */
    public double mean() {
        return mean;
    }

    /** Their sample standard deviation. */
    public double standardDeviation() {
        return standardDeviation;
    }

    /** \( s / \sqrt R \). */
    public double standardError() {
        return standardDeviation / Math.sqrt(values.length);
    }

    /** The Student-t interval of the mean. */
    public ConfidenceInterval confidenceInterval(double alpha) {
        SurvivalArguments.inRange(alpha, "alpha", 0, 1, false);
        double half = StudentT.quantile(1 - alpha / 2, values.length - 1) * standardError();
        return new ConfidenceInterval(mean - half, mean + half, alpha);
    }

    @Override
    public String toString() {
        ConfidenceInterval ci = confidenceInterval(0.05);
        return String.format(Locale.ROOT, "%s = %.4g (SE %.2g over %d repeats, 95%% CI %.4g to %.4g)", statistic, mean,
                standardError(), values.length, ci.lower(), ci.upper());
    }
}
