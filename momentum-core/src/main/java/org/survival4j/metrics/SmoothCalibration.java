package org.survival4j.metrics;

import java.util.Arrays;
import org.survival4j.data.SurvivalArguments;

/**
 * The smooth calibration curve of predicted risks at a horizon \( t \), with the integrated
 * calibration index (ICI), E50 and E90 (Austin, Harrell and van Klaveren 2020, "Graphical
 * calibration curves and the integrated calibration index (ICI) for survival models", Stat. Med.
 * 39, 2714-2742, doi:10.1002/sim.8570, their restricted-cubic-spline method).
 *
 * <p>With the predicted risks \( \hat F_i = \hat F(t \mid x_i) = 1 - \hat S(t \mid x_i) \) of any
 * model, let \( c_i = \log(-\log(1 - \hat F_i)) \). A Cox model of the observed outcome on a
 * restricted cubic spline of \( c \) ({@code RestrictedCubicSpline}: \( K = 3 \) knots by default,
 * at the 10th, 50th and 90th percentiles of \( c \); Breslow ties; all follow-up, as in the paper's
 * code) gives, for each row, the <em>observed</em> risk
 * \[ \tilde F_i = 1 - \exp\big(-\hat H_0(t)\, e^{\hat\beta^\top B(c_i)}\big), \]
 * the risk of the rows with that prediction as the data say it is. Then
 * \[ \mathrm{ICI} = \frac1n \sum_i |\hat F_i - \tilde F_i|, \qquad
 *    \mathrm{E50}, \mathrm{E90} = \text{the 50th, 90th percentiles of } |\hat F_i - \tilde F_i| \]
 * (type-7 quantiles, as R's {@code quantile}). A perfectly calibrated model has
 * \( \tilde F = \hat F \); the curve \( \hat F \mapsto \tilde F \) is plotted against the diagonal
 * ({@link #curve(int, double)}: by default on 100 points from the 1st to the 99th percentile of
 * \( \hat F \), as the paper).
 *
 * <p><b>Pointwise band.</b> At a predicted risk \( p \) with spline basis \( z = B(c(p)) \), the
 * Cox fit gives \( \hat H(t \mid z) \) and its variance (Tsiatis' formula, which counts both the
 * coefficients' and the baseline's uncertainty; R's {@code survfit(fit, newdata)$std.err}); the band
 * is the log-log interval \( \hat S^{\exp(\pm z_{1-\alpha/2}\,\mathrm{se}/\hat H)} \) of
 * \( \hat S = e^{-\hat H} \) ({@code conf.type = "log-log"}), turned into risks. It is pointwise,
 * conditional on the knots, and does not cover the model that made the predictions.
 *
 * <p>The golden tests compare with R ({@code golden-own/calibration.R}: {@code coxph} on Harrell's
 * {@code rcspline.eval} basis and on {@code splines::ns} with the same knots, {@code survfit} with
 * {@code ctype = 1}): observed risks, ICI, E50, E90 and the band to 1e-9. R's {@code rms::cph}
 * fits Efron's ties by default, which moves the curve slightly when event times are tied.
 *
 * <pre>{@code
 * double[] risk = ...;                          // 1 - S(t | x_i) from any model, in (0, 1)
 * SmoothCalibration c = SmoothCalibration.fit(risk, 365, time, event);
 * c.ici(); c.e50(); c.e90();
 * CalibrationCurve curve = c.curve(100, 0.05);  // observed vs predicted, 95 % band
 * }</pre>
 *
 * <p>Errors: risks not strictly between 0 and 1, a horizon {@code <= 0}, no event, knots that
 * coincide (too few distinct predictions) or a calibration model that cannot be fitted throw
 * {@link org.survival4j.data.SurvivalArgumentException} (or {@link IllegalStateException} when
 * Newton-Raphson does not converge). Cost: \( O(n \log n + n K^2) \) per Newton iteration.
 * Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class SmoothCalibration {
    static final String STATISTIC = "the smooth calibration curve";
    /** Knots of the paper's spline. */
    public static final int DEFAULT_KNOTS = 3;

    private final double horizon;
    private final double[] predicted;
    private final double[] observed;
    private final RestrictedCubicSpline spline;
    private final CoxRegression model;
    private final double ici;
    private final double e50;
    private final double e90;

    private SmoothCalibration(CalibrationData data, RestrictedCubicSpline spline, CoxRegression model) {
        this.horizon = data.horizon;
        this.predicted = data.risk;
        this.spline = spline;
        this.model = model;
        int n = predicted.length;
        observed = new double[n];
        double[] error = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            observed[i] = observedAt(predicted[i]);
            error[i] = Math.abs(predicted[i] - observed[i]);
            sum += error[i];
        }
        ici = sum / n;
        e50 = CalibrationData.quantile(error, 0.5);
        e90 = CalibrationData.quantile(error, 0.9);
    }

    /** Fits the curve with {@value #DEFAULT_KNOTS} knots. */
    public static SmoothCalibration fit(double[] predictedRisk, double t, double[] time, double[] event) {
        return fit(predictedRisk, t, time, event, DEFAULT_KNOTS);
    }

    /**
     * Fits the curve.
     *
     * @param predictedRisk each row's predicted risk \( \hat F_i(t) \), in (0, 1)
     * @param t the horizon, {@code > 0}
     * @param time observed times, finite and {@code >= 0}
     * @param event 1 = event, 0 = censored
     * @param knots the spline's knots, 3 to 7 (at Harrell's default quantiles of the complementary log-log)
     */
    public static SmoothCalibration fit(double[] predictedRisk, double t, double[] time, double[] event, int knots) {
        CalibrationData data = CalibrationData.of(predictedRisk, t, time, event, STATISTIC, true);
        double[] cll = new double[data.risk.length];
        for (int i = 0; i < cll.length; i++) {
            cll[i] = CalibrationData.cll(data.risk[i]);
        }
        RestrictedCubicSpline spline = new RestrictedCubicSpline(RestrictedCubicSpline.defaultKnots(cll, knots));
        double[][] basis = new double[cll.length][];
        for (int i = 0; i < cll.length; i++) {
            basis[i] = spline.basis(cll[i]);
        }
        return new SmoothCalibration(data, spline, CoxRegression.fit(basis, data.time, data.event));
    }

    /** The horizon \( t \). */
    public double horizon() {
        return horizon;
    }

    /** The spline's knots on the complementary log-log scale of the predicted risk. */
    public double[] knots() {
        return spline.knots();
    }

    /** Each row's predicted risk \( \hat F_i \) (a copy). */
    public double[] predictedRisk() {
        return predicted.clone();
    }

    /** Each row's observed risk \( \tilde F_i \) (a copy). */
    public double[] observedRisk() {
        return observed.clone();
    }

    /** The observed risk where the predicted risk is {@code predictedRisk}, in (0, 1). */
    public double observedRisk(double predictedRisk) {
        SurvivalArguments.inRange(predictedRisk, "predictedRisk", 0, 1, false);
        return observedAt(predictedRisk);
    }

    /** The integrated calibration index: the mean of \( |\hat F_i - \tilde F_i| \). */
    public double ici() {
        return ici;
    }

    /** The median of \( |\hat F_i - \tilde F_i| \). */
    public double e50() {
        return e50;
    }

    /** The 90th percentile of \( |\hat F_i - \tilde F_i| \). */
    public double e90() {
        return e90;
    }

    /**
     * The curve with its pointwise band at the given predicted risks.
     *
     * @param predictedRisks where to evaluate it, each in (0, 1)
     * @param alpha the band's error rate, in (0, 1)
     */
    public CalibrationCurve curve(double[] predictedRisks, double alpha) {
        SurvivalArguments.checkNotNull(predictedRisks, "predictedRisks");
        SurvivalArguments.inRange(alpha, "alpha", 0, 1, false);
        for (int k = 0; k < predictedRisks.length; k++) {
            SurvivalArguments.inRange(predictedRisks[k], "predictedRisks[" + k + "]", 0, 1, false);
        }
        double zq = Normal.quantile(1 - alpha / 2);
        int m = predictedRisks.length;
        double[] obs = new double[m];
        double[] lower = new double[m];
        double[] upper = new double[m];
        for (int k = 0; k < m; k++) {
            double[] z = spline.basis(CalibrationData.cll(predictedRisks[k]));
            double h = model.cumulativeHazard(z, horizon);
            double se = Math.sqrt(model.cumulativeHazardVariance(z, horizon));
            obs[k] = -Math.expm1(-h);
            // log-log interval of S = exp(-H): H exp(+-z se / H); no band where H = 0 (no event by t)
            double factor = h > 0 ? Math.exp(zq * se / h) : 1;
            lower[k] = -Math.expm1(-h / factor);
            upper[k] = -Math.expm1(-h * factor);
        }
        return new CalibrationCurve(predictedRisks, obs, lower, upper, alpha);
    }

    /**
     * The curve on {@code points} equally spaced predicted risks from the 1st to the 99th
     * percentile of the rows' predictions (the paper's grid).
     *
     * @param points at least 2
     * @param alpha the band's error rate, in (0, 1)
     */
    public CalibrationCurve curve(int points, double alpha) {
        SurvivalArguments.atLeast(points, "points", 2);
        double from = CalibrationData.quantile(predicted, 0.01);
        double to = CalibrationData.quantile(predicted, 0.99);
        double[] grid = new double[points];
        for (int k = 0; k < points; k++) {
            grid[k] = from + (to - from) * k / (points - 1);
        }
        return curve(grid, alpha);
    }

    private double observedAt(double risk) {
        return -Math.expm1(-model.cumulativeHazard(spline.basis(CalibrationData.cll(risk)), horizon));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "SmoothCalibration(t = %s, %d rows, knots %s: ICI %.4f, E50 %.4f,"
                + " E90 %.4f)", horizon, predicted.length, Arrays.toString(spline.knots()), ici, e50, e90);
    }
}
