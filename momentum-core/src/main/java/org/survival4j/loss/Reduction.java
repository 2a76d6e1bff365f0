package org.survival4j.loss;

/**
 * How per-row losses are combined into one number.
 *
 * @since 0.1
 */
public enum Reduction {
    /** The plain sum over the batch. */
    SUM,
    /**
     * The sum divided by its natural count: the number of events for the Cox partial likelihood,
     * the number of rows for the Weibull likelihood. (torchsurv's Cox mean divides by the number of
     * distinct event times when event times are tied; we do not, see docs/math/cox.md.)
     */
    MEAN
}
