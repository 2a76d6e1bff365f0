package org.survival4j.metrics;

import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.data.SurvivalArguments;

/**
 * A seeded nonparametric bootstrap of the Brier score or the time-dependent AUC, at one time or
 * integrated over a grid, or of the paired difference between two models' values on the same rows
 * (Efron and Tibshirani 1993). The resampling alternative to the influence-function inference
 * of {@link BrierScore#inference} and {@link TimeDependentAuc#inference}.
 *
 * <p>Each replicate draws {@code n} rows with replacement (one {@link SplittableRandom} seeded
 * once: reproducible) and recomputes the metric on them, the Kaplan-Meier censoring weights
 * included, so the replicates carry the censoring estimate's variability as the influence
 * function does. A replicate where the metric is not defined (no case or no control at a time,
 * or \( \hat G(t) = 0 \)) is drawn again, at most 100 times. With one time the statistic is the
 * metric at that time; with two or more, its trapezoidal mean over the grid. The standard error,
 * percentile interval and p-value are those of {@link ConcordanceBootstrap}; the p-value tests
 * \( \theta = \theta_0 \) for a {@code nullValue} the caller gives (0.5 for an AUC, 0 for a
 * difference).
 *
 * <pre>{@code
 * MetricBootstrap b = MetricBootstrap.auc(risk, new double[] {365}, time, event, 1000, 42L);
 * b.confidenceInterval(0.05); b.pValue(0.5);
 * MetricBootstrap d = MetricBootstrap.brierDifference(survivalA, survivalB, grid, time, event, 1000, 42L);
 * d.estimate(); d.pValue(0);
 * }</pre>
 *
 * <p>Cost: {@code replicates} times that of the metric. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class MetricBootstrap {
    private static final int MAX_REDRAWS_PER_REPLICATE = 100;

    private final double estimate;
    private final double[] replicates;

    private MetricBootstrap(double estimate, double[] replicates) {
        this.estimate = estimate;
        this.replicates = replicates;
    }

    /**
     * Bootstraps the Brier score.
     *
     * @param survival predicted \( \hat S_i(t_k) \), {@code [n, times.length]} (or {@code [n]} for one time), in [0, 1]
     * @param times one horizon, or a strictly increasing grid to integrate over
     */
    public static MetricBootstrap brier(INDArray survival, double[] times, INDArray time, INDArray event,
                                        int replicates, long seed) {
        return run(new double[][][] {Columns.probabilities(survival, "survival", grid(times).length)}, times, time,
                event, true, replicates, seed);
    }

    /** Bootstraps the difference of two models' Brier scores, A minus B, on the same resampled rows. */
    public static MetricBootstrap brierDifference(INDArray survivalA, INDArray survivalB, double[] times,
                                                  INDArray time, INDArray event, int replicates, long seed) {
        int k = grid(times).length;
        return run(new double[][][] {Columns.probabilities(survivalA, "survivalA", k),
            Columns.probabilities(survivalB, "survivalB", k)}, times, time, event, true, replicates, seed);
    }

    /**
     * Bootstraps the time-dependent AUC.
     *
     * @param risk risk scores, {@code [n]} (one for all times) or {@code [n, times.length]}
     * @param times one horizon, or a strictly increasing grid to average over
     */
    public static MetricBootstrap auc(INDArray risk, double[] times, INDArray time, INDArray event, int replicates,
                                      long seed) {
        return run(new double[][][] {Columns.finite(risk, "risk", grid(times).length)}, times, time, event, false,
                replicates, seed);
    }

    /** Bootstraps the difference of two models' AUCs, A minus B, on the same resampled rows. */
    public static MetricBootstrap aucDifference(INDArray riskA, INDArray riskB, double[] times, INDArray time,
                                                INDArray event, int replicates, long seed) {
        int k = grid(times).length;
        return run(new double[][][] {Columns.finite(riskA, "riskA", k), Columns.finite(riskB, "riskB", k)}, times,
                time, event, false, replicates, seed);
    }

    private static double[] grid(double[] times) {
        SurvivalArguments.checkNotNull(times, "times");
        SurvivalArguments.atLeast(times.length, "number of times", 1);
        return times.length == 1 ? times : IpcwData.checkGrid(times);
    }

    /** predictions[model][time][row]; one model: the metric, two: their difference. */
    private static MetricBootstrap run(double[][][] predictions, double[] times, INDArray time, INDArray event,
                                       boolean brier, int replicates, long seed) {
        SurvivalArguments.atLeast(replicates, "replicates", 2);
        int n = predictions[0][0].length;
        for (double[][] model : predictions) {
            SurvivalArguments.inRange(model[0].length, "rows of the second model's predictions", n, n, true);
        }
        IpcwData data = IpcwData.of(time, event, n, time, event);
        double estimate = statistic(predictions, times, data.time, data.event, brier);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][][] p = new double[predictions.length][times.length][n];
        double[] t = new double[n];
        boolean[] e = new boolean[n];
        double[] out = new double[replicates];
        for (int b = 0; b < replicates; b++) {
            double value = Double.NaN;
            for (int attempt = 0; Double.isNaN(value); attempt++) {
                SurvivalArguments.checkDefined(attempt < MAX_REDRAWS_PER_REPLICATE, "the bootstrap",
                        "resampled rows almost never have a case and a control at every time; choose times "
                                + "inside the follow-up");
                for (int i = 0; i < n; i++) {
                    int row = rng.nextInt(n);
                    for (int m = 0; m < predictions.length; m++) {
                        for (int k = 0; k < times.length; k++) {
                            p[m][k][i] = predictions[m][k][row];
                        }
                    }
                    t[i] = data.time[row];
                    e[i] = data.event[row];
                }
                value = definedOrNaN(p, times, t, e, brier);
            }
            out[b] = value;
        }
        return new MetricBootstrap(estimate, out);
    }

    private static double definedOrNaN(double[][][] p, double[] times, double[] t, boolean[] e, boolean brier) {
        try {
            return statistic(p, times, t, e, brier);
        } catch (SurvivalArgumentException undefined) {
            return Double.NaN;
        }
    }

    private static double statistic(double[][][] p, double[] times, double[] time, boolean[] event, boolean brier) {
        IpcwData data = IpcwData.of(time, event, KaplanMeier.fitCensoring(time, event));
        double value = 0;
        for (int m = 0; m < p.length; m++) {
            double[] perTime = new double[times.length];
            for (int k = 0; k < times.length; k++) {
                perTime[k] = brier ? BrierScore.score(p[m][k], times[k], data)
                        : TimeDependentAuc.auc(p[m][k], times[k], data);
            }
            double v = times.length == 1 ? perTime[0] : IpcwData.trapezoidMean(times, perTime);
            value += m == 0 ? v : -v;
        }
        return value;
    }

    /** The statistic on the original rows. */
    public double estimate() {
        return estimate;
    }

    /** The replicates, in the order drawn (a copy). */
    public double[] replicates() {
        return replicates.clone();
    }

    /** The sample standard deviation of the replicates. */
    public double standardError() {
        return BootstrapReplicates.sampleStandardDeviation(replicates);
    }

    /** The percentile interval, e.g. {@code alpha = 0.05} for 95 %. */
    public ConfidenceInterval confidenceInterval(double alpha) {
        return BootstrapReplicates.percentileInterval(replicates, alpha);
    }

    /** Two-sided bootstrap p-value of \( \theta = \theta_0 \) (0.5 for an AUC against chance, 0 for a difference). */
    public double pValue(double nullValue) {
        return BootstrapReplicates.pValue(replicates, nullValue);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MetricBootstrap(estimate = %.6f, replicates = %d, se = %.6f)", estimate,
                replicates.length, standardError());
    }
}
