package org.survival4j.metrics;

import java.util.Locale;
import java.util.function.IntFunction;
import org.survival4j.data.SurvivalArguments;

/**
 * A metric with its influence function: the estimate \( \hat\theta \), one influence value
 * \( \mathrm{IF}_i \) per test row, the standard error
 * \( \mathrm{SE} = \mathrm{sd}(\mathrm{IF}) / \sqrt n \) (sample standard deviation, \( n - 1 \)
 * in its denominator, as riskRegression), Wald intervals \( \hat\theta \pm z_{1-\alpha/2}\,\mathrm{SE} \)
 * and two-sided tests. Built by {@link BrierScore#inference}, {@link TimeDependentAuc#inference}
 * and their integrated forms.
 *
 * <p>Two metrics of different models on the same rows are compared with {@link #minus}: the
 * difference's influence is the difference of influences, so its standard error accounts for the
 * pairing (riskRegression's {@code contrasts}).
 *
 * <pre>{@code
 * InfluenceEstimate a = TimeDependentAuc.inference(riskA, 5.0, time, event);
 * InfluenceEstimate b = TimeDependentAuc.inference(riskB, 5.0, time, event);
 * a.confidenceInterval(0.05); a.pValue(0.5);       // AUC against chance
 * InfluenceEstimate d = a.minus(b);
 * d.estimate(); d.confidenceInterval(0.05); d.pValue(0);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class InfluenceEstimate {
    private final String statistic;
    private final double estimate;
    private final double[] influence;
    private final boolean probability;
    private final double standardError;

    InfluenceEstimate(String statistic, double estimate, double[] influence, boolean probability) {
        this.statistic = statistic;
        this.estimate = estimate;
        this.influence = influence;
        this.probability = probability;
        int n = influence.length;
        this.standardError = n < 2 ? Double.NaN
                : BootstrapReplicates.sampleStandardDeviation(influence) / Math.sqrt(n);
    }

    /** What was estimated, e.g. {@code the Brier score at t = 5}. */
    public String statistic() {
        return statistic;
    }

    /** The estimate. */
    public double estimate() {
        return estimate;
    }

    /** The influence value of each row (a copy). */
    public double[] influence() {
        return influence.clone();
    }

    /** \( \mathrm{sd}(\mathrm{IF}) / \sqrt n \); NaN for a single row, which has no spread. */
    public double standardError() {
        return standardError;
    }

    /**
     * The Wald interval; clipped to [0, 1] for a metric that is a probability (as riskRegression
     * does), not for a difference. Both bounds are NaN when the standard error is (a single row).
     *
     * @param alpha in (0, 1), e.g. 0.05 for 95 %
     */
    public ConfidenceInterval confidenceInterval(double alpha) {
        SurvivalArguments.inRange(alpha, "alpha", 0, 1, false);
        double half = Normal.quantile(1 - alpha / 2) * standardError;
        double lower = estimate - half;
        double upper = estimate + half;
        return probability ? new ConfidenceInterval(Math.max(0, lower), Math.min(1, upper), alpha)
                : new ConfidenceInterval(lower, upper, alpha);
    }

    /**
     * The two-sided p-value of \( \theta = \theta_0 \), \( 2\Phi(-|\hat\theta - \theta_0| / \mathrm{SE}) \)
     * (e.g. \( \theta_0 = 0.5 \) for an AUC, 0 for a difference); NaN when the standard error is
     * NaN (a single row), as R's {@code pnorm(NaN)}.
     */
    public double pValue(double nullValue) {
        double d = Math.abs(estimate - nullValue);
        if (standardError == 0) {
            return d == 0 ? 1 : 0;
        }
        return 2 * Normal.cdf(-d / standardError);
    }

    /**
     * This metric minus {@code other}'s, computed on the same rows: the paired difference of one
     * metric at the same time (or over the same grid) for two models.
     *
     * @throws IllegalArgumentException if the two estimate different things (e.g. an AUC and a
     *         Brier score, or one metric at two times), or were computed on different numbers of rows
     */
    public InfluenceEstimate minus(InfluenceEstimate other) {
        SurvivalArguments.checkNotNull(other, "other");
        if (other.influence.length != influence.length) {
            throw new IllegalArgumentException("cannot compare " + statistic + " on " + influence.length + " rows with "
                    + other.statistic + " on " + other.influence.length + " rows: a paired comparison needs the same"
                    + " test rows");
        }
        if (!other.statistic.equals(statistic)) {
            throw new IllegalArgumentException("cannot subtract " + other.statistic + " from " + statistic
                    + ": a paired difference compares one metric at the same time(s) for two models");
        }
        double[] d = new double[influence.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = influence[i] - other.influence[i];
        }
        return new InfluenceEstimate(statistic + ", difference", estimate - other.estimate, d, false);
    }

    /**
     * The trapezoidal mean over a grid of the estimates {@code atTime.apply(k)} at {@code times[k]};
     * the influence, being linear in them, is averaged alike.
     */
    static InfluenceEstimate trapezoidMean(String statistic, double[] times, IntFunction<InfluenceEstimate> atTime) {
        InfluenceEstimate[] perTime = new InfluenceEstimate[times.length];
        for (int k = 0; k < times.length; k++) {
            perTime[k] = atTime.apply(k);
        }
        double[] values = new double[perTime.length];
        for (int k = 0; k < perTime.length; k++) {
            values[k] = perTime[k].estimate;
        }
        double[] influence = new double[perTime[0].influence.length];
        for (int i = 0; i < influence.length; i++) {
            double[] atTimes = new double[perTime.length];
            for (int k = 0; k < perTime.length; k++) {
                atTimes[k] = perTime[k].influence[i];
            }
            influence[i] = IpcwData.trapezoidMean(times, atTimes);
        }
        return new InfluenceEstimate(statistic, IpcwData.trapezoidMean(times, values), influence, perTime[0].probability);
    }

    @Override
    public String toString() {
        ConfidenceInterval ci = confidenceInterval(0.05);
        return String.format(Locale.ROOT, "%s = %.4f (SE %.4f, 95%% CI %.4f-%.4f)", statistic, estimate, standardError,
                ci.lower(), ci.upper());
    }
}
