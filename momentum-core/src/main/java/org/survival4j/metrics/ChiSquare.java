package org.survival4j.metrics;

/**
 * The upper tail of the chi-square distribution, for the calibration tests
 * ({@link GroupedCalibration}, {@link DCalibration}).
 *
 * <p>\( P(\chi^2_k > x) = Q(k/2, x/2) \), the regularized upper incomplete gamma function, from
 * its power series for \( x < a + 1 \) and Lentz's continued fraction otherwise (Press et al.,
 * Numerical Recipes, 3rd ed., section 6.2), with \( \log\Gamma \) by Lanczos' approximation
 * (g = 7, nine terms; relative error about 1e-15). Both expansions run to full double precision;
 * the golden tests compare with R's {@code pchisq(x, k, lower.tail = FALSE)} to 1e-12 relative.
 */
final class ChiSquare {
    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};
    static final double EPSILON = 1e-16;
    static final int MAX_TERMS = 10_000;
    private static final double TINY = 1e-300;

    private ChiSquare() {
    }

    /** \( P(\chi^2_{df} > x) \); 1 for \( x \le 0 \). */
    static double upperTail(double x, double df) {
        if (x <= 0) {
            return 1;
        }
        double a = df / 2;
        double z = x / 2;
        return z < a + 1 ? 1 - lowerSeries(a, z) : upperFraction(a, z);
    }

    /** \( P(a, z) \) by its series \( e^{-z} z^a / \Gamma(a) \sum_n z^n / (a (a+1) \cdots (a+n)) \). */
    private static double lowerSeries(double a, double z) {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < MAX_TERMS && Math.abs(term) > Math.abs(sum) * EPSILON; n++) {
            term *= z / (a + n);
            sum += term;
        }
        return sum * Math.exp(-z + a * Math.log(z) - logGamma(a));
    }

    /** \( Q(a, z) \) by the continued fraction of Legendre, evaluated with the modified Lentz method. */
    private static double upperFraction(double a, double z) {
        double b = z + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_TERMS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = 1 / nonZero(an * d + b);
            c = nonZero(b + an / c);
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return Math.exp(-z + a * Math.log(z) - logGamma(a)) * h;
    }

    /** Lentz's guard: a denominator of a continued fraction moved off 0 to a tiny value. */
    static double nonZero(double v) {
        return Math.abs(v) < TINY ? TINY : v;
    }

    /** \( \log\Gamma(a) \) for \( a > 0 \) (Lanczos). */
    static double logGamma(double a) {
        if (a < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - logGamma(1 - a); // reflection
        }
        double x = a - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
