package org.survival4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * A paired comparison of two risk scores' concordance on the same rows: the difference
 * \( C_A - C_B \), its standard error, an interval and a two-sided test of no difference.
 *
 * <p>Both indices use the same comparable pairs (comparability depends only on times and events),
 * so they are strongly correlated and a paired variance is needed. With \( D^A_i \), \( D^B_i \)
 * the infinitesimal-jackknife influences of row \( i \) (see {@link ConcordanceResult}),
 * \[ \mathrm{Var}(C_A - C_B) = \sum_i (D^A_i - D^B_i)^2 , \]
 * which is the contrast R computes from {@code concordance(fitA, fitB)$var}. For a resampling
 * alternative see {@link ConcordanceBootstrap#harrellDifference}.
 *
 * <pre>{@code
 * ConcordanceComparison cmp = ConcordanceComparison.harrell(riskA, riskB, time, event);
 * cmp.difference(); cmp.pValue(); cmp.confidenceInterval(0.05);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ConcordanceComparison {
    private final ConcordanceResult first;
    private final ConcordanceResult second;
    private final double standardError;

    private ConcordanceComparison(ConcordanceResult first, ConcordanceResult second) {
        this.first = first;
        this.second = second;
        double[] a = first.influence();
        double[] b = second.influence();
        double v = 0;
        for (int i = 0; i < a.length; i++) {
            v += (a[i] - b[i]) * (a[i] - b[i]);
        }
        this.standardError = Math.sqrt(v);
    }

    /** Compares Harrell's C of two risk scores on the same rows. */
    public static ConcordanceComparison harrell(INDArray riskA, INDArray riskB, INDArray time, INDArray event) {
        checkSameRows(riskA, riskB);
        return new ConcordanceComparison(ConcordanceIndex.harrellResult(riskA, time, event),
                ConcordanceIndex.harrellResult(riskB, time, event));
    }

    /** Compares Uno's C of two risk scores on the same rows, with the same censoring weights. */
    public static ConcordanceComparison uno(INDArray riskA, INDArray riskB, INDArray time, INDArray event,
                                            INDArray trainTime, INDArray trainEvent, double tmax) {
        checkSameRows(riskA, riskB);
        return new ConcordanceComparison(ConcordanceIndex.unoResult(riskA, time, event, trainTime, trainEvent, tmax),
                ConcordanceIndex.unoResult(riskB, time, event, trainTime, trainEvent, tmax));
    }

    private static void checkSameRows(INDArray riskA, INDArray riskB) {
        long a = SurvivalArguments.checkNotNull(riskA, "riskA").length();
        long b = SurvivalArguments.checkNotNull(riskB, "riskB").length();
        SurvivalArguments.inRange(b, "riskB rows", a, a, true);
    }

    /** The result of the first score. */
    public ConcordanceResult first() {
        return first;
    }

    /** The result of the second score. */
    public ConcordanceResult second() {
        return second;
    }

    /** \( C_A - C_B \). */
    public double difference() {
        return first.estimate() - second.estimate();
    }

    /** Paired standard error of the difference. */
    public double standardError() {
        return standardError;
    }

    /** Normal-approximation interval of the difference, e.g. {@code alpha = 0.05} for 95%. */
    public ConfidenceInterval confidenceInterval(double alpha) {
        SurvivalArguments.inRange(alpha, "alpha", 0, 1, false);
        double half = Normal.quantile(1 - alpha / 2) * standardError;
        return new ConfidenceInterval(difference() - half, difference() + half, alpha);
    }

    /** Two-sided p-value of the hypothesis \( C_A = C_B \). */
    public double pValue() {
        return pValue(difference(), standardError);
    }

    /** Two-sided normal p-value of {@code effect / se}; 1 for a zero effect, 0 for a nonzero effect with zero se. */
    static double pValue(double effect, double se) {
        if (se == 0) {
            return effect == 0 ? 1 : 0;
        }
        return Normal.twoSidedPValue(effect / se);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "ConcordanceComparison(difference = %.6f, se = %.6f, p = %.4g)",
                difference(), standardError, pValue());
    }
}
