package org.survival4j.metrics;

/**
 * The standard normal distribution function and its inverse, for confidence intervals and
 * p-values (the core module has no statistics library to borrow them from).
 *
 * <p>\( \Phi(x) \) uses Marsaglia's series \( \Phi(x) = \tfrac12 + \varphi(x)\,(x + x^3/3 + x^5/(3\cdot5) + \dots) \)
 * for \( |x| \le 8 \), which converges to about 1e-15 absolute error, and 0 or 1 beyond (Marsaglia
 * 2004, "Evaluating the normal distribution", J. Stat. Softw. 11(4), doi:10.18637/jss.v011.i04).
 * \( \Phi^{-1}(p) \) starts from Acklam's rational approximation (relative error below 1.2e-9) and
 * takes one Halley step on \( \Phi \), which brings it to about 1e-15.
 *
 * <p>NaN in gives NaN out; \( \Phi(\pm\infty) \) is 1 or 0 and \( \Phi^{-1} \) of 0 or 1 is
 * \( \mp\infty \). The series is bounded (200 terms; 89 reach full precision at
 * \( |x| = 8 \)), so no input can keep it running.
 */
final class Normal {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double TAIL = 8;
    /** Far more terms than the series needs anywhere in [-8, 8] (89 at the ends): a guard, never reached. */
    private static final int MAX_TERMS = 200;

    // Acklam's coefficients for the central region and the tails.
    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    private static final double P_LOW = 0.02425;

    private Normal() {
    }

    /** \( \Phi(x) = P(Z \le x) \) for a standard normal \( Z \). */
    static double cdf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < -TAIL) {
            return 0;
        }
        if (x > TAIL) {
            return 1;
        }
        double sum = x;
        double term = x;
        double x2 = x * x;
        for (int k = 3; sum + term != sum && k < 2 * MAX_TERMS; k += 2) {
            term *= x2 / k;
            sum += term;
        }
        return 0.5 + sum * Math.exp(-0.5 * x2 - LOG_SQRT_2PI);
    }

    /** Two-sided p-value of a standard normal statistic: \( 2\,\Phi(-|z|) \). */
    static double twoSidedPValue(double z) {
        return Math.min(1, 2 * cdf(-Math.abs(z)));
    }

    /** \( \Phi^{-1}(p) \) for \( 0 \le p \le 1 \); NaN for NaN or p outside [0, 1]. */
    static double quantile(double p) {
        if (!(p >= 0 && p <= 1)) {
            return Double.NaN;
        }
        if (p == 0 || p == 1) {
            return p == 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double x;
        if (p < P_LOW) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        } else if (p <= 1 - P_LOW) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
                    / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        if (Math.abs(x) < TAIL) {
            double e = cdf(x) - p;
            double u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
            x -= u / (1 + 0.5 * x * u);
        }
        return x;
    }
}
