package org.survival4j.metrics;

import org.survival4j.data.SurvivalArguments;

/**
 * A concordance index with its pair counts, standard errors, confidence intervals and a test
 * against 0.5 (no discrimination). Built by {@link ConcordanceIndex#harrellResult} and
 * {@link ConcordanceIndex#unoResult}.
 *
 * <p>With weighted pair totals \( N_c \) (concordant), \( N_d \) (discordant) and \( N_t \) (tied
 * risk), \( C = (N_c + N_t/2) / (N_c + N_d + N_t) \). Let \( c_i \), \( d_i \), \( t_i \) be the
 * same totals over the pairs that contain row \( i \) (in either role), \( n \) the number of rows.
 *
 * <p><b>Noether</b> (the default; Pencina and D'Agostino 2004, doi:10.1002/sim.1802): with
 * \( a_i = c_i + t_i/2 \), \( b_i = d_i + t_i/2 \),
 * \( p_a = \sum a_i / (n(n-1)) \), \( p_b = \sum b_i / (n(n-1)) \),
 * \( p_{aa} = \sum a_i(a_i - 1) / (n(n-1)(n-2)) \), \( p_{bb} \) likewise,
 * \( p_{ab} = \sum a_i b_i / (n(n-1)(n-2)) \):
 * \[ \mathrm{Var}(C) = \frac{4\,(p_b^2 p_{aa} - 2 p_a p_b p_{ab} + p_a^2 p_{bb})}{n\,(p_a + p_b)^4}. \]
 * For Uno's weighted counts the same formula is applied to the weighted totals, an approximation.
 *
 * <p><b>Infinitesimal jackknife</b> (R's {@code concordance()$var}): with
 * \( M = N_c + N_d + N_t \), row \( i \)'s influence is \( D_i = (c_i + t_i/2 - C\,(c_i + d_i + t_i)) / M \)
 * and \( \mathrm{Var}(C) = \sum_i D_i^2 \).
 *
 * <p>Intervals are \( C \pm z_{1-\alpha/2}\,\mathrm{SE} \), clipped to \( [0, 1] \); the p-value is
 * two-sided, \( 2\Phi(-|C - 0.5|/\mathrm{SE}) \) (1 when the standard error is 0 and C = 0.5, 0 when
 * it is 0 and C differs). For percentile intervals see {@link ConcordanceBootstrap}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ConcordanceResult {
    private final double estimate;
    private final double concordant;
    private final double discordant;
    private final double tiedRisk;
    private final int rows;
    private final double noetherVariance;
    private final double jackknifeVariance;
    private final double[] influence;

    ConcordanceResult(ConcordanceKernel.Counts counts) {
        this.estimate = counts.estimate();
        this.concordant = counts.concordant();
        this.discordant = counts.discordant();
        this.tiedRisk = counts.tied();
        this.rows = counts.rows();
        int n = rows;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = counts.rowConcordant()[i] + 0.5 * counts.rowTied()[i];
            b[i] = counts.rowDiscordant()[i] + 0.5 * counts.rowTied()[i];
        }
        this.noetherVariance = noetherVariance(a, b);
        this.influence = influence(a, b, estimate, counts.comparable());
        double ij = 0;
        for (double d : influence) {
            ij += d * d;
        }
        this.jackknifeVariance = ij;
    }

    // The sums below are kept in separate small loops: one loop accumulating six sums while storing
    // the influences crashed the C2 compiler of OpenJDK 17.0.15 (TypeVect::xmeet, ShouldNotReachHere).

    /** Noether's variance from the per-row counts a_i (concordant) and b_i (discordant). */
    private static double noetherVariance(double[] a, double[] b) {
        double n = a.length;
        if (a.length < 3) {
            return 0;
        }
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < a.length; i++) {
            sa += a[i];
            sb += b[i];
        }
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int i = 0; i < a.length; i++) {
            saa += a[i] * (a[i] - 1);
            sbb += b[i] * (b[i] - 1);
            sab += a[i] * b[i];
        }
        double pairs = n * (n - 1);
        double triples = pairs * (n - 2);
        double pa = sa / pairs;
        double pb = sb / pairs;
        double v = 4 * (pb * pb * saa / triples - 2 * pa * pb * sab / triples + pa * pa * sbb / triples)
                / (n * Math.pow(pa + pb, 4));
        return Math.max(0, v);
    }

    /** Infinitesimal-jackknife influences (a_i - C (a_i + b_i)) / M. */
    private static double[] influence(double[] a, double[] b, double estimate, double comparable) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (a[i] - estimate * (a[i] + b[i])) / comparable;
        }
        return d;
    }

    /** The concordance index. */
    public double estimate() {
        return estimate;
    }

    /** Weighted number of concordant comparable pairs (the earlier event has the higher risk). */
    public double concordant() {
        return concordant;
    }

    /** Weighted number of discordant comparable pairs. */
    public double discordant() {
        return discordant;
    }

    /** Weighted number of comparable pairs with equal risks (each counts 1/2 in the estimate). */
    public double tiedRisk() {
        return tiedRisk;
    }

    /** Weighted number of comparable pairs. */
    public double comparable() {
        return concordant + discordant + tiedRisk;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Noether's standard error. */
    public double standardError() {
        return standardError(ConcordanceVariance.NOETHER);
    }

    /** The standard error by the chosen method. */
    public double standardError(ConcordanceVariance method) {
        SurvivalArguments.checkNotNull(method, "method");
        return Math.sqrt(method == ConcordanceVariance.NOETHER ? noetherVariance : jackknifeVariance);
    }

    /** Normal-approximation interval with Noether's standard error, e.g. {@code alpha = 0.05} for 95%. */
    public ConfidenceInterval confidenceInterval(double alpha) {
        return confidenceInterval(alpha, ConcordanceVariance.NOETHER);
    }

    /** Normal-approximation interval with the chosen standard error, clipped to [0, 1]. */
    public ConfidenceInterval confidenceInterval(double alpha, ConcordanceVariance method) {
        SurvivalArguments.inRange(alpha, "alpha", 0, 1, false);
        double half = Normal.quantile(1 - alpha / 2) * standardError(method);
        return new ConfidenceInterval(Math.max(0, estimate - half), Math.min(1, estimate + half), alpha);
    }

    /** Two-sided p-value of the hypothesis C = 0.5, with Noether's standard error. */
    public double pValue() {
        return pValue(ConcordanceVariance.NOETHER);
    }

    /** Two-sided p-value of the hypothesis C = 0.5, with the chosen standard error. */
    public double pValue(ConcordanceVariance method) {
        return ConcordanceComparison.pValue(estimate - 0.5, standardError(method));
    }

    /** Each row's influence on the estimate, for paired comparisons (not copied). */
    double[] influence() {
        return influence;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "ConcordanceResult(C = %.6f, se = %.6f, comparable = %.1f, n = %d)",
                estimate, standardError(), comparable(), rows);
    }
}
