package org.survival4j.metrics;

import org.survival4j.data.SurvivalArguments;

/**
 * The validated inputs of a calibration estimator at a horizon: each row's predicted risk
 * \( \hat F_i(t) = 1 - \hat S_i(t) \), its observed time and event, and the horizon \( t > 0 \).
 * Arrays are copied, so a caller changing its own arrays later changes no result.
 */
final class CalibrationData {
    final double[] risk;
    final double[] time;
    final boolean[] event;
    final double horizon;

    private CalibrationData(double[] risk, double[] time, boolean[] event, double horizon) {
        this.risk = risk;
        this.time = time;
        this.event = event;
        this.horizon = horizon;
    }

    /**
     * Checks the inputs.
     *
     * @param predictedRisk \( \hat F_i(t) \) in [0, 1], or in (0, 1) with {@code strictlyInside}
     * @param t the horizon, finite and {@code > 0}
     * @param time observed times, finite and {@code >= 0}
     * @param event 1 = event, 0 = censored; at least one event
     * @param statistic what is computed, for the error messages
     * @param strictlyInside whether risks must avoid 0 and 1 (for their complementary log-log)
     */
    static CalibrationData of(double[] predictedRisk, double t, double[] time, double[] event, String statistic,
                              boolean strictlyInside) {
        double[] r = SurvivalArguments.checkNotNull(predictedRisk, "predictedRisk").clone();
        SurvivalArguments.atLeast(r.length, "number of rows", 1);
        SurvivalArguments.probabilities(r, "predictedRisk", r.length);
        if (strictlyInside) {
            for (int i = 0; i < r.length; i++) {
                SurvivalArguments.inRange(r[i], "predictedRisk[" + i + "] (its complementary log-log must be finite)",
                        0, 1, false);
            }
        }
        SurvivalArguments.inRange(t, "t", 0, Double.MAX_VALUE, false);
        double[] tt = SurvivalArguments.time(SurvivalArguments.checkNotNull(time, "time").clone(), "time", r.length);
        boolean[] e = SurvivalArguments.event(event, "event", r.length);
        SurvivalArguments.hasEvent(e, "event", statistic);
        return new CalibrationData(r, tt, e, t);
    }

    /** \( \log(-\log(1 - p)) \), the complementary log-log of a risk in (0, 1). */
    static double cll(double risk) {
        return Math.log(-Math.log1p(-risk));
    }

    /** The type-7 quantile of {@code values} (not modified). */
    static double quantile(double[] values, double p) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return BootstrapReplicates.quantile(sorted, p);
    }
}
