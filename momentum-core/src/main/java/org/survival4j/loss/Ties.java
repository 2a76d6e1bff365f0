package org.survival4j.loss;

/**
 * How the Cox partial likelihood treats events that share a time.
 *
 * <p>Both methods agree when no two events share a time. They are the two methods of R's
 * {@code coxph(ties = ...)}, with the same results.
 *
 * @since 0.1
 */
public enum Ties {
    /**
     * Efron (1977): the {@code d} tied events leave the risk set gradually, each taking away
     * {@code 1/d} of their summed hazard per step. R's default, and ours.
     */
    EFRON,
    /** Breslow (1974): every tied event sees the full risk set. Cheaper, biased towards zero with many ties. */
    BRESLOW
}
