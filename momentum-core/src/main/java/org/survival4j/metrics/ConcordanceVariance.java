package org.survival4j.metrics;

/**
 * How the variance of a concordance index is estimated (see {@link ConcordanceResult}).
 *
 * @since 0.1
 */
public enum ConcordanceVariance {
    /**
     * Noether's U-statistic variance from each row's concordant and discordant pair counts, in the
     * form of Pencina and D'Agostino (2004), doi:10.1002/sim.1802. Tied risks count half
     * concordant, half discordant.
     */
    NOETHER,
    /**
     * The infinitesimal jackknife: the sum of squared influences of the rows, as R's
     * {@code survival::concordance()$var}. The Uno weights are held fixed, as R does.
     */
    INFINITESIMAL_JACKKNIFE
}
