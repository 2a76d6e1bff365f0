package org.survival4j.metrics;

import java.util.Locale;
import org.survival4j.data.SurvivalArguments;

/**
 * Calibration in the large at a horizon \( t \): the observed risk, one minus the Kaplan-Meier
 * estimate \( O = 1 - \hat S_{KM}(t) \), against the mean predicted risk
 * \( E = \frac1n \sum_i \hat F_i(t) \), as the ratio \( O/E \) (1 = right on average; McLernon et
 * al. 2023, "Assessing performance and clinical usefulness in prediction models with survival
 * outcomes", Ann. Intern. Med. 176(1), 105-114, doi:10.7326/M22-0844). In a Cox calibration
 * model the intercept is absorbed into the baseline hazard, so this ratio plays its part beside
 * the {@link CalibrationSlope}.
 *
 * <p>Interval and test treat \( E \) as fixed and use Greenwood's variance of the Kaplan-Meier
 * estimate by the delta method on the log scale: \( \mathrm{se}(\log O) = \mathrm{se}_{KM}(t)/O \),
 * the interval \( (O/E)\, e^{\pm z_{1-\alpha/2}\,\mathrm{se}} \) and the p-value of \( O/E = 1 \)
 * \( 2\Phi(-|\log(O/E)|/\mathrm{se}) \).
 *
 * <pre>{@code
 * CalibrationInTheLarge c = CalibrationInTheLarge.of(risk, 365, time, event);
 * c.ratio(); c.confidenceInterval(0.05); c.pValue();
 * }</pre>
 *
 * <p>Errors: a horizon with no event at or before it (\( O = 0 \)), or all predicted risks 0.
 * Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class CalibrationInTheLarge {
    private final double observed;
    private final double expected;
    private final double logStandardError;

    private CalibrationInTheLarge(double observed, double expected, double logStandardError) {
        this.observed = observed;
        this.expected = expected;
        this.logStandardError = logStandardError;
    }

    /**
     * Computes the ratio.
     *
     * @param predictedRisk each row's predicted risk \( \hat F_i(t) \), in [0, 1]
     * @param t the horizon, {@code > 0}
     * @param time observed times, finite and {@code >= 0}
     * @param event 1 = event, 0 = censored
     */
    public static CalibrationInTheLarge of(double[] predictedRisk, double t, double[] time, double[] event) {
        String statistic = "the observed/expected ratio at t = " + t;
        CalibrationData data = CalibrationData.of(predictedRisk, t, time, event, statistic, false);
        KaplanMeier km = KaplanMeier.fit(data.time, data.event);
        double o = 1 - km.survival(t);
        double e = 0;
        for (double r : data.risk) {
            e += r / data.risk.length;
        }
        SurvivalArguments.checkDefined(o > 0, statistic, "no event at or before t: choose a later horizon");
        SurvivalArguments.checkDefined(e > 0, statistic, "every predicted risk is 0");
        return new CalibrationInTheLarge(o, e, km.standardError(t) / o);
    }

    /** \( O = 1 - \hat S_{KM}(t) \). */
    public double observedRisk() {
        return observed;
    }

    /** \( E \), the mean predicted risk. */
    public double expectedRisk() {
        return expected;
    }

    /** \( O / E \). */
    public double ratio() {
        return observed / expected;
    }

    /** \( \mathrm{se}(\log(O/E)) \). */
    public double logRatioStandardError() {
        return logStandardError;
    }

    /** The interval \( (O/E)\, e^{\pm z_{1-\alpha/2}\,\mathrm{se}} \). */
    public ConfidenceInterval confidenceInterval(double alpha) {
        SurvivalArguments.inRange(alpha, "alpha", 0, 1, false);
        double f = Math.exp(Normal.quantile(1 - alpha / 2) * logStandardError);
        return new ConfidenceInterval(ratio() / f, ratio() * f, alpha);
    }

    /** The two-sided p-value of \( O/E = 1 \). */
    public double pValue() {
        return logStandardError == 0 ? (observed == expected ? 1 : 0)
                : Normal.twoSidedPValue(Math.log(ratio()) / logStandardError);
    }

    @Override
    public String toString() {
        ConfidenceInterval ci = confidenceInterval(0.05);
        return String.format(Locale.ROOT, "O/E %.4f (observed %.4f, expected %.4f, 95%% CI %.4f-%.4f)", ratio(),
                observed, expected, ci.lower(), ci.upper());
    }
}
