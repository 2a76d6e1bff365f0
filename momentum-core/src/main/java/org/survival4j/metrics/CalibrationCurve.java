package org.survival4j.metrics;

/**
 * A calibration curve at a horizon: at each predicted risk, the observed risk estimated by
 * {@link SmoothCalibration} and its pointwise confidence band. Arrays are copied in and out.
 *
 * @param predicted predicted risks \( \hat F(t) \), ascending as given
 * @param observed the observed risk at each
 * @param lower the band's lower bound at each
 * @param upper the band's upper bound at each
 * @param alpha the band's error rate, e.g. 0.05 for 95 %
 * @since 0.2
 */
public record CalibrationCurve(double[] predicted, double[] observed, double[] lower, double[] upper, double alpha) {
    /** Copies the arrays. */
    public CalibrationCurve {
        predicted = predicted.clone();
        observed = observed.clone();
        lower = lower.clone();
        upper = upper.clone();
    }

    @Override
    public double[] predicted() {
        return predicted.clone();
    }

    @Override
    public double[] observed() {
        return observed.clone();
    }

    @Override
    public double[] lower() {
        return lower.clone();
    }

    @Override
    public double[] upper() {
        return upper.clone();
    }
}
