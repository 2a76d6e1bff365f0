package org.survival4j.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.Ties;

/**
 * The predicted cumulative incidence of each cause under cause-specific Cox models: a Breslow
 * baseline per cause and the product integral over all causes (Andersen, Borgan, Gill and Keiding
 * 1993, section IV.4; riskRegression's {@code CSC} with {@code predictRisk(..., product.limit = TRUE)}).
 *
 * <p>With \( \Delta\hat H_{0k}(u) \) the increment of the baseline of cause \( k \)
 * ({@link BreslowBaseline}, fitted on the events of cause \( k \) with the other causes censored)
 * and a row's log hazards \( \eta_k \), the hazard increments are
 * \( \Delta\Lambda_k(u) = e^{\eta_k}\,\Delta\hat H_{0k}(u) \) and
 * \[ \hat S(u) = \prod_{v \le u} \Big(1 - \sum_k \Delta\Lambda_k(v)\Big), \qquad
 *    \hat F_k(t) = \sum_{u \le t} \hat S(u-)\,\Delta\Lambda_k(u) , \]
 * over the event times \( u \) of every cause (of the row's stratum). The golden tests match
 * {@code predictRisk} of a fitted {@code CSC} (Efron and Breslow ties, with and without strata) to
 * 1e-12. As in riskRegression, a hazard increment above 1 (a very large \( \eta \)) is not clipped,
 * so \( \hat S \) can leave [0, 1] there.
 *
 * <p>Cost: fitting is \( K \) Breslow fits; a row costs \( O(J K) \) for \( J \) event times.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * CauseSpecificIncidence csc = CauseSpecificIncidence.fit(trainLogHz, trainTime, trainCause, null, Ties.EFRON);
 * INDArray f1 = csc.cumulativeIncidence(testLogHz, null, 1, 12.0, 24.0); // [m, 2]
 * }</pre>
 *
 * @since 0.3
 */
public final class CauseSpecificIncidence {
    private final BreslowBaseline[] baselines; // per cause; null for a cause without events
    private final boolean stratified;
    private final Map<Integer, double[]> unionTimes = new HashMap<>();
    private final Map<Integer, double[][]> increments = new HashMap<>(); // [cause][union time]

    private CauseSpecificIncidence(BreslowBaseline[] baselines, boolean stratified, int[] labels) {
        this.baselines = baselines;
        this.stratified = stratified;
        for (int s : labels) {
            TreeSet<Double> all = new TreeSet<>();
            for (BreslowBaseline b : baselines) {
                if (b != null) {
                    Arrays.stream(b.eventTimes(s)).forEach(all::add);
                }
            }
            double[] u = all.stream().mapToDouble(Double::doubleValue).toArray();
            double[][] inc = new double[baselines.length][u.length];
            for (int k = 0; k < baselines.length; k++) {
                if (baselines[k] != null) {
                    double[] t = baselines[k].eventTimes(s);
                    double[] h = baselines[k].cumulativeHazards(s);
                    for (int j = 0; j < t.length; j++) {
                        inc[k][Arrays.binarySearch(u, t[j])] = h[j] - (j == 0 ? 0 : h[j - 1]);
                    }
                }
            }
            unionTimes.put(s, u);
            increments.put(s, inc);
        }
    }

    /**
     * Fits a baseline per cause from the training rows.
     *
     * @param logHz the model's log hazards of the training rows, {@code [n, K]} (column {@code k - 1}: cause {@code k})
     * @param time their observed times
     * @param cause 0 = censored, {@code 1..K}; at least one event
     * @param strata a stratum label per row, or {@code null}
     * @param ties {@link Ties#EFRON} or {@link Ties#BRESLOW} increments, as the model was trained
     *     (riskRegression uses Efron's increments for a {@code coxph} fitted with Efron's ties)
     */
    public static CauseSpecificIncidence fit(INDArray logHz, INDArray time, INDArray cause, int[] strata, Ties ties) {
        SurvivalArguments.checkNotNull(logHz, "logHz");
        int causes = logHz.rank() == 2 ? (int) logHz.size(1) : 1;
        double[][] eta = SurvivalArguments.finiteMatrix(logHz, "logHz", causes);
        int n = eta.length;
        SurvivalArguments.time(time, "time", n);
        int[] c = SurvivalArguments.cause(SurvivalArguments.finiteVector(cause, "cause"), "cause", n, causes);
        SurvivalArguments.hasEvent(toEvent(c, -1), "cause", "the cause-specific baselines");
        BreslowBaseline[] baselines = new BreslowBaseline[causes];
        int[] labels = null;
        for (int k = 0; k < causes; k++) {
            boolean[] event = toEvent(c, k + 1);
            double[] column = new double[n];
            double[] indicator = new double[n];
            boolean any = false;
            for (int i = 0; i < n; i++) {
                column[i] = eta[i][k];
                indicator[i] = event[i] ? 1 : 0;
                any |= event[i];
            }
            if (any) {
                baselines[k] = BreslowBaseline.fit(Nd4j.createFromArray(column), time, Nd4j.createFromArray(indicator),
                        strata, ties);
                labels = baselines[k].strata();
            }
        }
        return new CauseSpecificIncidence(baselines, strata != null, labels);
    }

    /**
     * Rebuilds a fit from its baselines (as {@link #baseline(int)} gives them, e.g. read back from a
     * file): the same predictions as the fit they came from.
     *
     * @param baselines per cause {@code 1..K} (index {@code k - 1}), {@code null} for a cause
     *     without training events; at least one, all stratified alike, with the same strata
     * @throws IllegalArgumentException if there is no baseline or they disagree on the strata
     */
    public static CauseSpecificIncidence of(BreslowBaseline... baselines) {
        SurvivalArguments.checkNotNull(baselines, "baselines");
        BreslowBaseline first = Arrays.stream(baselines).filter(b -> b != null).findFirst().orElse(null);
        SurvivalArguments.checkDefined(first != null, "the cause-specific incidence", "no cause has a baseline");
        for (int k = 0; k < baselines.length; k++) {
            BreslowBaseline b = baselines[k];
            if (b != null && (b.stratified() != first.stratified() || !Arrays.equals(b.strata(), first.strata()))) {
                throw new IllegalArgumentException("the baseline of cause " + (k + 1) + " has strata "
                        + Arrays.toString(b.strata()) + (b.stratified() ? "" : " (unstratified)") + ", another cause's "
                        + Arrays.toString(first.strata()) + (first.stratified() ? "" : " (unstratified)")
                        + ": every cause's baseline comes from the same rows");
            }
        }
        return new CauseSpecificIncidence(baselines.clone(), first.stratified(), first.strata());
    }

    /** The number of causes. */
    public int causes() {
        return baselines.length;
    }

    /** Whether cause {@code k} has a baseline: the training rows had an event of it. */
    public boolean hasBaseline(int k) {
        SurvivalArguments.inRange(k, "k", 1, baselines.length, true);
        return baselines[k - 1] != null;
    }

    /** Whether the baselines were fitted per stratum. */
    public boolean stratified() {
        return stratified;
    }

    /**
     * The Breslow baseline of one cause (for saving or inspection).
     *
     * @throws IllegalArgumentException if the training rows had no event of that cause
     */
    public BreslowBaseline baseline(int k) {
        SurvivalArguments.inRange(k, "k", 1, baselines.length, true);
        SurvivalArguments.checkDefined(baselines[k - 1] != null, "the baseline of cause " + k,
                "the training rows had no event of that cause");
        return baselines[k - 1];
    }

    /**
     * Predicted cumulative incidence curves of one cause.
     *
     * @param logHz the rows' log hazards of every cause, {@code [m, K]}, finite
     * @param strata each row's fitted stratum, or {@code null} for an unstratified fit
     * @param k the cause, {@code 1..K}
     * @param times where to evaluate, each finite and {@code >= 0}
     * @return \( \hat F_k(t_j \mid \eta_i) \), double {@code [m, times.length]}
     */
    public INDArray cumulativeIncidence(INDArray logHz, int[] strata, int k, double... times) {
        double[][] eta = SurvivalArguments.finiteMatrix(logHz, "logHz", baselines.length);
        SurvivalArguments.inRange(k, "k", 1, baselines.length, true);
        SurvivalArguments.strata(strata, "strata", eta.length);
        SurvivalArguments.time(SurvivalArguments.checkNotNull(times, "times"), "times", times.length);
        SurvivalArguments.checkDefined(strata != null || !stratified, "the cumulative incidence",
                "the baselines are stratified: give each row's stratum");
        double[][] out = new double[eta.length][times.length];
        for (int i = 0; i < eta.length; i++) {
            int s = strata == null ? BreslowBaseline.NO_STRATA : strata[i];
            double[] u = unionTimes.get(s);
            SurvivalArguments.checkDefined(u != null, "the cumulative incidence of stratum " + s,
                    "no such stratum in the fit (strata " + unionTimes.keySet() + ")");
            double[] f = curve(eta[i], increments.get(s), k - 1);
            for (int j = 0; j < times.length; j++) {
                int at = Arrays.binarySearch(u, times[j]);
                at = at >= 0 ? at : -at - 2;
                out[i][j] = at < 0 ? 0 : f[at];
            }
        }
        return Nd4j.createFromArray(out);
    }

    /** \( \hat F_k \) at each union event time, by the product integral. */
    private static double[] curve(double[] eta, double[][] inc, int k) {
        int causes = inc.length;
        int m = inc[0].length;
        double[] hazardRatio = new double[causes];
        for (int c = 0; c < causes; c++) {
            hazardRatio[c] = Math.exp(eta[c]);
        }
        double[] f = new double[m];
        double survival = 1;
        double acc = 0;
        for (int j = 0; j < m; j++) {
            double total = 0;
            for (int c = 0; c < causes; c++) {
                total += hazardRatio[c] * inc[c][j];
            }
            acc += survival * hazardRatio[k] * inc[k][j];
            f[j] = acc;
            survival *= 1 - total;
        }
        return f;
    }

    private static boolean[] toEvent(int[] cause, int k) {
        boolean[] e = new boolean[cause.length];
        for (int i = 0; i < cause.length; i++) {
            e[i] = k < 0 ? cause[i] != 0 : cause[i] == k;
        }
        return e;
    }

    @Override
    public String toString() {
        return "CauseSpecificIncidence(" + baselines.length + " causes, strata = " + stratified + ")";
    }
}
