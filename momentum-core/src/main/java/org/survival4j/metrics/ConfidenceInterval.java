package org.survival4j.metrics;

/**
 * A two-sided confidence interval {@code [lower, upper]} at level {@code 1 - alpha}.
 *
 * @param lower the lower bound
 * @param upper the upper bound
 * @param alpha the error rate the interval was built for, e.g. 0.05 for a 95% interval
 * @since 0.1
 */
public record ConfidenceInterval(double lower, double upper, double alpha) {
    /** Whether {@code value} lies in the closed interval. */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }
}
