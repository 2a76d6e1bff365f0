package org.survival4j.examples.train;

import org.survival4j.loss.WeibullLikelihood;

/**
 * The covariate-free Weibull model fitted by maximum likelihood: one log scale and one log shape
 * for every row. The trainer starts a Weibull network from it (as output biases, with near-zero
 * output weights), so that the first steps neither search for the time unit nor start from random
 * shapes: a log shape of 4 at initialisation means a shape of 55 and a cumulative hazard of
 * {@code exp(55 z)}, which overflows in float within a few steps.
 *
 * <p>The fit profiles out the scale. For a fixed shape \( \rho \) the likelihood equation of the
 * scale gives \( \lambda^\rho = \sum_i t_i^\rho / d \) (\( d \) = number of events), and the
 * profile log-likelihood is
 * \[ \ell(\rho) = d\log\rho + (\rho - 1)\sum_{i:\delta_i = 1}\log t_i - d\log\Big(\frac{1}{d}\sum_i t_i^\rho\Big) - d \]
 * (e.g. Lawless, <i>Statistical Models and Methods for Lifetime Data</i>, 2nd ed., section 5.2),
 * which is maximised over \( \log\rho \in [-4, 4] \) by golden-section search.
 */
record MarginalWeibull(double logScale, double logShape) {
    private static final double LOWER = -4;
    private static final double UPPER = 4;
    private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

    /**
     * Fits times and events; times of 0 count as {@link WeibullLikelihood#TIME_FLOOR}.
     *
     * @throws InvalidInputException if there are no events
     */
    static MarginalWeibull fit(double[] time, double[] event) {
        double[] logT = new double[time.length];
        double eventLogTime = 0;
        int events = 0;
        for (int i = 0; i < time.length; i++) {
            logT[i] = Math.log(Math.max(time[i], WeibullLikelihood.TIME_FLOOR));
            if (event[i] == 1) {
                events++;
                eventLogTime += logT[i];
            }
        }
        if (events == 0) {
            throw new InvalidInputException("no events: the Weibull model cannot be fitted");
        }
        double lo = LOWER;
        double hi = UPPER;
        while (hi - lo > 1e-9) {
            double left = hi - GOLDEN * (hi - lo);
            double right = lo + GOLDEN * (hi - lo);
            if (profile(left, logT, eventLogTime, events) > profile(right, logT, eventLogTime, events)) {
                hi = right;
            } else {
                lo = left;
            }
        }
        double logShape = (lo + hi) / 2;
        double logScale = logMeanPower(Math.exp(logShape), logT, events) / Math.exp(logShape);
        return new MarginalWeibull(logScale, logShape);
    }

    /** The profile log-likelihood at shape {@code exp(logShape)}. */
    private static double profile(double logShape, double[] logT, double eventLogTime, int events) {
        double rho = Math.exp(logShape);
        return events * logShape + (rho - 1) * eventLogTime - events * logMeanPower(rho, logT, events) - events;
    }

    /** {@code log(sum_i t_i^rho / d)}, summed in log space so that large shapes do not overflow. */
    private static double logMeanPower(double rho, double[] logT, int events) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logT) {
            max = Math.max(max, rho * l);
        }
        double sum = 0;
        for (double l : logT) {
            sum += Math.exp(rho * l - max);
        }
        return max + Math.log(sum) - Math.log(events);
    }
}
