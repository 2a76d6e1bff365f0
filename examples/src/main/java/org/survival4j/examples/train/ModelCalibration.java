package org.survival4j.examples.train;

import java.util.Arrays;
import org.survival4j.metrics.CalibrationCurve;
import org.survival4j.metrics.CalibrationInTheLarge;
import org.survival4j.metrics.CalibrationSlope;
import org.survival4j.metrics.DCalibration;
import org.survival4j.metrics.GroupedCalibration;
import org.survival4j.metrics.SmoothCalibration;
import org.survival4j.model.SurvivalModel;

/**
 * Whether a model's predicted probabilities come true on test data: calibration of the predicted
 * risk \( \hat F_i(t) = 1 - \hat S(t \mid x_i) \) at a horizon \( t \), and D-calibration of the
 * whole predicted curves (all from {@code org.survival4j.metrics}; definitions in docs/metrics.md).
 *
 * <ul>
 *   <li>the smooth calibration curve with its ICI, E50 and E90 ({@link SmoothCalibration}, Austin,
 *       Harrell and van Klaveren 2020), and the curve on {@value #CURVE_POINTS} points with its
 *       pointwise 95 % band;</li>
 *   <li>the calibration slope ({@link CalibrationSlope}) and the observed/expected ratio
 *       ({@link CalibrationInTheLarge});</li>
 *   <li>groups of predicted risk with the Greenwood-Nam-D'Agostino test ({@link #grouped}: deciles,
 *       or fewer groups when a decile has too few events by \( t \));</li>
 *   <li>D-calibration ({@link DCalibration}, 10 bins) of \( \hat S(T_i \mid x_i) \) at each row's
 *       own observed time.</li>
 * </ul>
 * A statistic that the test data do not define (see {@link Outcome}) carries its reason instead.
 *
 * @param horizon the horizon \( t \)
 * @param predictedRisk each test row's \( \hat F_i(t) \)
 * @param smooth the smooth calibration curve's fit
 * @param curve the smooth curve on its grid with the 95 % band
 * @param slope the calibration slope
 * @param inTheLarge observed / expected risk
 * @param grouped grouped observed vs predicted risk and the GND test
 * @param dCalibration D-calibration of the whole curves
 */
public record ModelCalibration(double horizon, double[] predictedRisk, Outcome<SmoothCalibration> smooth,
                               Outcome<CalibrationCurve> curve, Outcome<CalibrationSlope> slope,
                               Outcome<CalibrationInTheLarge> inTheLarge, Outcome<GroupedCalibration> grouped,
                               Outcome<DCalibration> dCalibration) {
    /** Points of the smooth curve, from the 1st to the 99th percentile of the predicted risks (Austin et al.). */
    public static final int CURVE_POINTS = 100;
    /** Error rate of the curve's band. */
    public static final double ALPHA = 0.05;
    /** Rows per call of the model in {@link #survivalAtOwnTime}. */
    private static final int CHUNK = 1024;

    /** Copies the risks. */
    public ModelCalibration {
        predictedRisk = predictedRisk.clone();
    }

    @Override
    public double[] predictedRisk() {
        return predictedRisk.clone();
    }

    /**
     * Assesses a model's calibration on test rows.
     *
     * @param test rows whose covariates are the model's inputs (standardized as in training)
     * @param horizon the horizon \( t \), finite and {@code > 0}
     * @throws IllegalArgumentException if the horizon is not finite and positive
     */
    public static ModelCalibration of(SurvivalModel model, SurvivalData test, double horizon) {
        if (!(horizon > 0) || Double.isInfinite(horizon)) {
            throw new IllegalArgumentException("the calibration horizon must be finite and > 0, got " + horizon);
        }
        double[][] s = model.survival(test.x(), horizon);
        double[] risk = new double[s.length];
        for (int i = 0; i < risk.length; i++) {
            risk[i] = 1 - s[i][0];
        }
        double[] time = test.time();
        double[] event = test.event();
        Outcome<SmoothCalibration> smooth = Outcome.of("the smooth calibration curve",
                () -> SmoothCalibration.fit(risk, horizon, time, event));
        Outcome<CalibrationCurve> curve = smooth.defined()
                ? Outcome.of("the smooth calibration curve", () -> smooth.value().curve(CURVE_POINTS, ALPHA))
                : new Outcome<>(null, smooth.reason());
        return new ModelCalibration(horizon, risk, smooth, curve,
                Outcome.of("the calibration slope", () -> CalibrationSlope.fit(risk, horizon, time, event)),
                Outcome.of("the observed/expected ratio", () -> CalibrationInTheLarge.of(risk, horizon, time, event)),
                grouped(risk, horizon, time, event),
                Outcome.of("D-calibration", () -> DCalibration.test(survivalAtOwnTime(model, test), event)));
    }

    /**
     * Groups of predicted risk and the Greenwood-Nam-D'Agostino test: the most groups, from
     * {@value GroupedCalibration#DEFAULT_GROUPS} (deciles) down to 2, that each have at least
     * {@value GroupedCalibration#RECOMMENDED_EVENTS} events by the horizon (the paper's advice); if
     * none has, the most groups that each have the test's minimum of 2.
     */
    static Outcome<GroupedCalibration> grouped(double[] risk, double horizon, double[] time, double[] event) {
        Outcome<GroupedCalibration> most = null;
        Outcome<GroupedCalibration> fewest = null;
        for (int g = GroupedCalibration.DEFAULT_GROUPS; g >= 2; g--) {
            int groups = g;
            fewest = Outcome.of("the Greenwood-Nam-D'Agostino test",
                    () -> GroupedCalibration.test(risk, horizon, time, event, groups));
            if (fewest.defined() && !fewest.value().fewEvents()) {
                return fewest;
            }
            if (most == null && fewest.defined()) {
                most = fewest;
            }
        }
        return most != null ? most : fewest;
    }

    /**
     * \( \hat S(T_i \mid x_i) \): each row's predicted survival at its own observed time. The model
     * gives a rows-by-times matrix, so the rows go in chunks of {@value #CHUNK}, each at its own
     * times only: memory and work stay linear in the number of rows.
     */
    static double[] survivalAtOwnTime(SurvivalModel model, SurvivalData data) {
        double[] time = data.time();
        double[][] x = data.x();
        double[] own = new double[time.length];
        for (int from = 0; from < own.length; from += CHUNK) {
            int to = Math.min(own.length, from + CHUNK);
            double[] distinct = Arrays.stream(time, from, to).distinct().sorted().toArray();
            double[][] s = model.survival(Arrays.copyOfRange(x, from, to), distinct);
            for (int i = from; i < to; i++) {
                own[i] = s[i - from][Arrays.binarySearch(distinct, time[i])];
            }
        }
        return own;
    }
}
