package org.survival4j.examples.study;

import java.util.Arrays;

/**
 * Mean and sample standard deviation of a few numbers (one per seed).
 *
 * <p>\( \bar{x} = \frac{1}{n} \sum_i x_i \), \( s = \sqrt{\frac{1}{n-1} \sum_i (x_i - \bar{x})^2} \);
 * with one value \(s = 0\). NaN values (a metric that could not be computed) are skipped and
 * counted in {@link #missing()}.
 *
 * @param n number of finite values
 * @param mean their mean (NaN when {@code n = 0})
 * @param sd their sample standard deviation
 * @param missing number of NaN values skipped
 */
public record Spread(int n, double mean, double sd, int missing) {

    /** The spread of {@code values}. */
    public static Spread of(double... values) {
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        int n = finite.length;
        if (n == 0) {
            return new Spread(0, Double.NaN, Double.NaN, values.length);
        }
        double mean = Arrays.stream(finite).sum() / n;
        double squares = 0;
        for (double v : finite) {
            squares += (v - mean) * (v - mean);
        }
        double sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        return new Spread(n, mean, sd, values.length - n);
    }
}
