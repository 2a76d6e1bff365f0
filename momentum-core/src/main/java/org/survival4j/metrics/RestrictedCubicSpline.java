package org.survival4j.metrics;

import java.util.Arrays;
import org.survival4j.data.SurvivalArguments;

/**
 * Harrell's restricted (natural) cubic spline basis: cubic between knots, linear beyond the outer
 * ones (Stone and Koo 1985; Harrell, Regression Modeling Strategies, 2nd ed. 2015, section 2.4.5,
 * doi:10.1007/978-3-319-19425-7). With knots \( k_1 < \dots < k_K \) the basis of \( x \) is
 * \( x \) and, for \( j = 1..K-2 \),
 * \[ \frac{(x - k_j)_+^3 - (x - k_{K-1})_+^3 \frac{k_K - k_j}{k_K - k_{K-1}} + (x - k_K)_+^3 \frac{k_{K-1} - k_j}{k_K - k_{K-1}}}{(k_K - k_1)^2}, \]
 * the columns of {@code Hmisc::rcspline.eval(x, knots, inclx = TRUE)} (its default {@code norm =
 * 2}), i.e. of {@code rms::rcs(x, knots)}.
 *
 * <p>Default knots: the type-7 quantiles of \( x \) at Harrell's probabilities for \( K = 3..7 \)
 * ({@link #defaultKnots}); {@code rcspline.eval} uses the same for \( n \ge 100 \) and moves the
 * outer knots to the 5th smallest and largest values below that.
 */
final class RestrictedCubicSpline {
    /** Harrell's knot quantiles for 3 to 7 knots ({@code rcspline.eval}). */
    private static final double[][] QUANTILES = {
        {0.1, 0.5, 0.9},
        {0.05, 0.35, 0.65, 0.95},
        {0.05, 0.275, 0.5, 0.725, 0.95},
        {0.05, 0.23, 0.41, 0.59, 0.77, 0.95},
        {0.025, 0.1833, 0.3417, 0.5, 0.6583, 0.8167, 0.975}};
    static final int MIN_KNOTS = 3;
    static final int MAX_KNOTS = 7;

    private final double[] knots;

    RestrictedCubicSpline(double[] knots) {
        this.knots = knots.clone();
    }

    /**
     * The type-7 quantiles of {@code x} at Harrell's probabilities for {@code count} knots.
     *
     * @throws IllegalArgumentException if two knots coincide (too few distinct values)
     */
    static double[] defaultKnots(double[] x, int count) {
        SurvivalArguments.inRange(count, "knots", MIN_KNOTS, MAX_KNOTS, true);
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double[] q = QUANTILES[count - MIN_KNOTS];
        double[] k = new double[count];
        for (int j = 0; j < count; j++) {
            k[j] = BootstrapReplicates.quantile(sorted, q[j]);
            SurvivalArguments.checkDefined(j == 0 || k[j] > k[j - 1], "a restricted cubic spline with " + count
                    + " knots", "its knots (quantiles of the complementary log-log of the predicted risks) are not"
                    + " distinct: " + Arrays.toString(Arrays.copyOf(k, j + 1)) + "; use fewer knots or predictions"
                    + " with more distinct values");
        }
        return k;
    }

    /** The knots (a copy). */
    double[] knots() {
        return knots.clone();
    }

    /** The basis of {@code x}: {@code K - 1} values. */
    double[] basis(double x) {
        int kk = knots.length;
        double last = knots[kk - 1];
        double penultimate = knots[kk - 2];
        double norm = (last - knots[0]) * (last - knots[0]);
        double[] b = new double[kk - 1];
        b[0] = x;
        for (int j = 0; j < kk - 2; j++) {
            b[j + 1] = (cube(x - knots[j]) - cube(x - penultimate) * (last - knots[j]) / (last - penultimate)
                    + cube(x - last) * (penultimate - knots[j]) / (last - penultimate)) / norm;
        }
        return b;
    }

    private static double cube(double v) {
        return v > 0 ? v * v * v : 0;
    }
}
