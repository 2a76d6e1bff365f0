package org.survival4j.metrics;

import java.util.Locale;
import org.survival4j.data.SurvivalArguments;

/**
 * The calibration slope of predicted risks at a horizon \( t \): the coefficient \( \gamma \) of
 * \( c_i = \log(-\log(1 - \hat F_i(t))) \) in a Cox model of the observed outcome,
 * \( h(s \mid c) = h_0(s)\, e^{\gamma c} \) (Breslow ties, all follow-up), with its model-based
 * standard error \( I(\hat\gamma)^{-1/2} \) (Cox 1972; Crowson, Atkinson and Therneau 2016,
 * "Assessing calibration of prognostic risk scores", Stat. Methods Med. Res. 25(4), 1692-1706,
 * doi:10.1177/0962280213497434; the complementary log-log of Austin, Harrell and van Klaveren 2020,
 * doi:10.1002/sim.8570).
 *
 * <p>For a proportional-hazards model \( c_i = \log H_0(t) + \eta_i \), so \( \gamma \) is the
 * usual slope of the linear predictor \( \eta \) and does not depend on \( t \). \( \gamma = 1 \):
 * the predicted risks spread as the data do; \( \gamma < 1 \): too extreme (overfitting, typical
 * on new data); \( \gamma > 1 \): too modest. It says nothing about the overall level (see
 * {@link CalibrationInTheLarge}). The golden tests match R's {@code coef} and {@code se} of
 * {@code coxph(Surv(time, event) ~ cll, ties = "breslow")} to 1e-9.
 *
 * <pre>{@code
 * CalibrationSlope s = CalibrationSlope.fit(risk, 365, time, event);
 * s.estimate(); s.confidenceInterval(0.05); s.pValue();   // test of slope = 1
 * }</pre>
 *
 * <p>Errors as {@link SmoothCalibration}. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class CalibrationSlope {
    private final double estimate;
    private final double standardError;

    private CalibrationSlope(double estimate, double standardError) {
        this.estimate = estimate;
        this.standardError = standardError;
    }

    /**
     * Fits the slope.
     *
     * @param predictedRisk each row's predicted risk \( \hat F_i(t) \), in (0, 1)
     * @param t the horizon, {@code > 0}
     * @param time observed times, finite and {@code >= 0}
     * @param event 1 = event, 0 = censored
     */
    public static CalibrationSlope fit(double[] predictedRisk, double t, double[] time, double[] event) {
        CalibrationData data = CalibrationData.of(predictedRisk, t, time, event, "the calibration slope", true);
        double[][] cll = new double[data.risk.length][1];
        for (int i = 0; i < cll.length; i++) {
            cll[i][0] = CalibrationData.cll(data.risk[i]);
        }
        CoxRegression fit = CoxRegression.fit(cll, data.time, data.event);
        return new CalibrationSlope(fit.coefficients()[0], Math.sqrt(fit.covariance()[0][0]));
    }

    /** \( \hat\gamma \). */
    public double estimate() {
        return estimate;
    }

    /** Its model-based standard error (as {@code coxph}'s {@code se(coef)}). */
    public double standardError() {
        return standardError;
    }

    /** The Wald interval \( \hat\gamma \pm z_{1-\alpha/2}\,\mathrm{SE} \). */
    public ConfidenceInterval confidenceInterval(double alpha) {
        SurvivalArguments.inRange(alpha, "alpha", 0, 1, false);
        double half = Normal.quantile(1 - alpha / 2) * standardError;
        return new ConfidenceInterval(estimate - half, estimate + half, alpha);
    }

    /** The two-sided Wald p-value of \( \gamma = 1 \). */
    public double pValue() {
        return Normal.twoSidedPValue((estimate - 1) / standardError);
    }

    @Override
    public String toString() {
        ConfidenceInterval ci = confidenceInterval(0.05);
        return String.format(Locale.ROOT, "calibration slope %.4f (SE %.4f, 95%% CI %.4f-%.4f)", estimate,
                standardError, ci.lower(), ci.upper());
    }
}
