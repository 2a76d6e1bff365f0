package org.survival4j.metrics;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * A seeded nonparametric bootstrap of a concordance index, or of the paired difference of two
 * (Efron and Tibshirani 1993, An Introduction to the Bootstrap, doi:10.1201/9780429246593).
 *
 * <p>Each replicate draws {@code n} rows with replacement (a {@link SplittableRandom} seeded once,
 * so results are reproducible) and recomputes the statistic on them; for Uno's C each row keeps
 * the weight it got from the fixed training set. A replicate without a comparable pair is drawn
 * again. From the replicates \( \theta^*_1..\theta^*_B \):
 * <ul>
 * <li>standard error: their sample standard deviation;</li>
 * <li>interval: the percentile interval, the \( \alpha/2 \) and \( 1-\alpha/2 \) sample quantiles
 *     (linear interpolation, R's type 7);</li>
 * <li>p-value of \( \theta = \theta_0 \) (0.5 for one index, 0 for a difference):
 *     \( \min\big(1,\ 2\min(1 + \#\{\theta^* \le \theta_0\},\ 1 + \#\{\theta^* \ge \theta_0\}) / (B + 1)\big) \).</li>
 * </ul>
 *
 * <p>Cost: {@code replicates} times that of the index. Immutable and thread-safe.
 *
 * <pre>{@code
 * ConcordanceBootstrap b = ConcordanceBootstrap.harrell(risk, time, event, 1000, 42L);
 * b.confidenceInterval(0.05);   // percentile 95% interval
 * }</pre>
 *
 * @since 0.1
 */
public final class ConcordanceBootstrap {
    private static final int MAX_REDRAWS_PER_REPLICATE = 100;

    private final double estimate;
    private final double nullValue;
    private final double[] replicates;

    private ConcordanceBootstrap(double estimate, double nullValue, double[] replicates) {
        this.estimate = estimate;
        this.nullValue = nullValue;
        this.replicates = replicates;
    }

    /** Bootstraps Harrell's C. */
    public static ConcordanceBootstrap harrell(INDArray risk, INDArray time, INDArray event, int replicates, long seed) {
        ConcordanceIndex.Data d = ConcordanceIndex.Data.of(risk, time, event);
        return run(new double[][] {d.risk}, d.time, d.event, ConcordanceIndex.ones(d.time.length), replicates, seed);
    }

    /** Bootstraps Uno's C (censoring weights from the fixed training set, truncated at {@code tmax}). */
    public static ConcordanceBootstrap uno(INDArray risk, INDArray time, INDArray event, INDArray trainTime,
                                           INDArray trainEvent, double tmax, int replicates, long seed) {
        ConcordanceIndex.Data d = ConcordanceIndex.Data.of(risk, time, event);
        double[] w = ConcordanceIndex.unoWeights(d.time, d.event, ConcordanceIndex.censoring(trainTime, trainEvent),
                tmax);
        return run(new double[][] {d.risk}, d.time, d.event, w, replicates, seed);
    }

    /** Bootstraps the paired difference of Harrell's C of two scores, \( C_A - C_B \) (same rows per replicate). */
    public static ConcordanceBootstrap harrellDifference(INDArray riskA, INDArray riskB, INDArray time, INDArray event,
                                                         int replicates, long seed) {
        ConcordanceIndex.Data a = ConcordanceIndex.Data.of(riskA, time, event);
        double[] b = SurvivalArguments.finiteVector(riskB, "riskB");
        SurvivalArguments.inRange(b.length, "riskB rows", a.risk.length, a.risk.length, true);
        return run(new double[][] {a.risk, b}, a.time, a.event, ConcordanceIndex.ones(a.time.length), replicates,
                seed);
    }

    /** One score: the index; two scores: the difference of their indices. */
    private static ConcordanceBootstrap run(double[][] risks, double[] time, boolean[] event, double[] weight,
                                            int replicates, long seed) {
        SurvivalArguments.atLeast(replicates, "replicates", 2);
        double estimate = statistic(risks, time, event, weight);
        SurvivalArguments.checkDefined(!Double.isNaN(estimate), ConcordanceIndex.STATISTIC, "no comparable pair");
        int n = time.length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = new double[replicates];
        double[][] r = new double[risks.length][n];
        double[] t = new double[n];
        boolean[] e = new boolean[n];
        double[] w = new double[n];
        for (int b = 0; b < replicates; b++) {
            double value = Double.NaN;
            for (int attempt = 0; Double.isNaN(value); attempt++) {
                SurvivalArguments.checkDefined(attempt < MAX_REDRAWS_PER_REPLICATE, "the bootstrap",
                        "resampled rows almost never contain a comparable pair; too few events");
                for (int i = 0; i < n; i++) {
                    int row = rng.nextInt(n);
                    for (int k = 0; k < risks.length; k++) {
                        r[k][i] = risks[k][row];
                    }
                    t[i] = time[row];
                    e[i] = event[row];
                    w[i] = weight[row];
                }
                value = statistic(r, t, e, w);
            }
            out[b] = value;
        }
        return new ConcordanceBootstrap(estimate, risks.length == 1 ? 0.5 : 0, out);
    }

    /** The index of one score, or the difference of two; NaN without a comparable pair. */
    private static double statistic(double[][] risks, double[] time, boolean[] event, double[] weight) {
        double value = 0;
        for (int k = 0; k < risks.length; k++) {
            ConcordanceKernel.Counts c = ConcordanceKernel.count(risks[k], time, event, weight, false);
            if (!(c.comparable() > 0)) {
                return Double.NaN;
            }
            value += k == 0 ? c.estimate() : -c.estimate();
        }
        return value;
    }

    /** The statistic on the original rows. */
    public double estimate() {
        return estimate;
    }

    /** The value tested by {@link #pValue()}: 0.5 for an index, 0 for a difference. */
    public double nullValue() {
        return nullValue;
    }

    /** The replicates, in the order drawn (a copy). */
    public double[] replicates() {
        return replicates.clone();
    }

    /** The sample standard deviation of the replicates. */
    public double standardError() {
        return BootstrapReplicates.sampleStandardDeviation(replicates);
    }

    /** The percentile interval, e.g. {@code alpha = 0.05} for 95%. */
    public ConfidenceInterval confidenceInterval(double alpha) {
        return BootstrapReplicates.percentileInterval(replicates, alpha);
    }

    /** Two-sided bootstrap p-value of the hypothesis that the statistic equals {@link #nullValue()}. */
    public double pValue() {
        return BootstrapReplicates.pValue(replicates, nullValue);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "ConcordanceBootstrap(estimate = %.6f, replicates = %d, se = %.6f)",
                estimate, replicates.length, standardError());
    }
}
