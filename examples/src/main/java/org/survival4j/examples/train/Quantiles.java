package org.survival4j.examples.train;

import java.util.Arrays;

/**
 * The simple sample quantile used for time grids and default times: the order statistic
 * \( x_{(\lfloor q (n - 1) \rfloor)} \) of the sorted values \( x_{(0)} \le \dots \le x_{(n-1)} \)
 * (no interpolation, so the result is always one of the values).
 *
 * <pre>{@code
 * Quantiles.lower(new double[] {40, 10, 30, 20}, 0.5);   // 20.0 (index floor(0.5 * 3) = 1 of 10, 20, 30, 40)
 * Quantiles.lower(new double[] {40, 10, 30, 20}, 0.9);   // 30.0 (index floor(0.9 * 3) = 2)
 * }</pre>
 */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * The {@code q}-quantile of {@code values} (not modified), as defined above.
     *
     * @param q in [0, 1]
     * @throws IllegalArgumentException if {@code values} is empty or {@code q} is outside [0, 1]
     */
    public static double lower(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the quantile of no values is undefined");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile's level must be in [0, 1], got " + q);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }
}
