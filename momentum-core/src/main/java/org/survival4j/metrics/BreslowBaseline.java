package org.survival4j.metrics;

import java.util.Arrays;
import java.util.SortedMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.CountingRiskSets;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.TimeGroups;
import org.survival4j.loss.Ties;

/**
 * Breslow's estimate of the baseline cumulative hazard of a Cox model, from the log hazards of the
 * training rows, and the survival curves it implies (Breslow 1972, discussion of Cox 1972, JRSS B
 * 34(2), doi:10.1111/j.2517-6161.1972.tb00899.x).
 *
 * <p>With distinct event times \( t_k \), \( d_k \) events at \( t_k \) and risk set
 * \( R(t_k) = \{ j : T_j \ge t_k \} \),
 * \[ \hat H_0(t) = \sum_{t_k \le t} \frac{d_k}{\sum_{j \in R(t_k)} e^{\eta_j}}, \qquad
 *    \hat S_0(t) = e^{-\hat H_0(t)}, \qquad \hat S_i(t) = \hat S_0(t)^{\exp(\eta_i)} = e^{-\hat H_0(t)\,e^{\eta_i}} . \]
 * \( \hat H_0 \) is 0 before the first event time and constant after the last. These are R's
 * {@code survfit} values for {@code coxph(Surv(time, event) ~ offset(eta), ties = "breslow")} at
 * \( \eta = 0 \); the golden tests match them to 1e-12. With strata each stratum gets its own
 * \( \hat H_0 \) from its own rows; a stratum without events has \( \hat H_0 = 0 \).
 *
 * <p><b>Efron's ties.</b> The fits that take {@link Ties#EFRON} let the \( d_k \) tied events leave
 * the risk set gradually, as Efron's partial likelihood does, so that the curve belongs to the model
 * trained with it: with \( D_k \) the events at \( t_k \),
 * \[ \Delta\hat H_0(t_k) = \sum_{r=0}^{d_k - 1} \Big( \sum_{j \in R(t_k)} e^{\eta_j}
 *    - \tfrac{r}{d_k} \sum_{j \in D_k} e^{\eta_j} \Big)^{-1} \]
 * (Therneau and Grambsch 2000, <i>Modeling Survival Data</i>, section 10.2.2). It equals Breslow's
 * increment when no events share a time. These are R's {@code survfit} values for a fit with
 * {@code ties = "efron"} (its default {@code ctype = 2}).
 *
 * <p>Numerics: sums run in log space (log-sum-exp over each risk set, log-add-exp over times), so
 * log hazards of \( \pm 1000 \) give finite, exact curves; \( \hat S_i(t) \) is evaluated as
 * \( \exp(-\exp(\log \hat H_0(t) + \eta_i)) \).
 *
 * <p><b>Saving.</b> The estimate is plain numbers: {@link #strata()}, and per stratum
 * {@link #eventTimes(int)} and {@link #cumulativeHazards(int)}; {@link #of(int[], double[][], double[][])}
 * rebuilds it, so a model can store it as JSON next to its weights.
 *
 * <p>Cost: \( O(n \log n) \) to fit; a look-up is a binary search. Immutable and thread-safe.
 *
 * <pre>{@code
 * BreslowBaseline b = BreslowBaseline.fit(Nd4j.createFromArray(0.0, 0.0, 0.0),
 *         Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 0.0, 1.0));
 * b.baselineCumulativeHazard(2.5); // 1/3
 * b.baselineCumulativeHazard(3.0); // 1/3 + 1/1
 * }</pre>
 *
 * @since 0.1
 */
public final class BreslowBaseline {
    /** The stratum label used for an unstratified fit. */
    public static final int NO_STRATA = 0;
    /** Internal marker: "the caller gave no stratum". */
    private static final int NO_STRATA_CALL = Integer.MIN_VALUE;

    private final boolean stratified;
    private final int[] strata;          // ascending labels
    private final double[][] eventTimes; // per stratum, ascending
    private final double[][] logCumHazard;

    private BreslowBaseline(boolean stratified, int[] strata, double[][] eventTimes, double[][] logCumHazard) {
        this.stratified = stratified;
        this.strata = strata;
        this.eventTimes = eventTimes;
        this.logCumHazard = logCumHazard;
    }

    /**
     * Fits the baseline of an unstratified model.
     *
     * @param logHz log relative hazards of the training rows, {@code [n]} or {@code [n, 1]}, finite
     * @param time their observed times
     * @param event 1 = event, 0 = censored; at least one event
     */
    public static BreslowBaseline fit(INDArray logHz, INDArray time, INDArray event) {
        return fit(logHz, time, event, (int[]) null);
    }

    /**
     * Fits one baseline per stratum.
     *
     * @param strata a stratum label per row, or {@code null} for one stratum
     */
    public static BreslowBaseline fit(INDArray logHz, INDArray time, INDArray event, int[] strata) {
        return fit(logHz, time, event, strata, Ties.BRESLOW);
    }

    /**
     * Fits one baseline per stratum, with the increments of the given ties method.
     *
     * @param strata a stratum label per row, or {@code null} for one stratum
     * @param ties {@link Ties#BRESLOW} for Breslow's increments, {@link Ties#EFRON} for Efron's
     */
    public static BreslowBaseline fit(INDArray logHz, INDArray time, INDArray event, int[] strata, Ties ties) {
        SurvivalArguments.checkNotNull(ties, "ties");
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        int n = eta.length;
        double[] t = SurvivalArguments.time(time, "time", n);
        boolean[] e = SurvivalArguments.event(event, "event", n);
        SurvivalArguments.strata(strata, "strata", n);
        SurvivalArguments.hasEvent(e, "event", "the Breslow baseline hazard");
        TimeGroups groups = TimeGroups.of(t, e, strata);
        double[] logRisk = new double[groups.groupCount()]; // log sum of e^eta over T >= t_g, per stratum
        for (int k = 0; k < groups.strataCount(); k++) {
            double acc = Double.NEGATIVE_INFINITY;
            for (int g = groups.stratumEnd(k) - 1; g >= groups.stratumStart(k); g--) {
                for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                    acc = logAddExp(acc, eta[groups.row(p)]);
                }
                logRisk[g] = acc;
            }
        }
        return fromGroups(groups, strata, eta, e, logRisk, ties);
    }

    /**
     * The baseline of grouped rows, given the log of each group's risk-set sum: per stratum, the
     * times of the groups with events and the cumulative sum of their increments. Shared by the
     * right-censored fit and the Fine-Gray baseline ({@link FineGrayIncidence}), whose risk sets
     * are weighted.
     *
     * @param event the events the baseline counts
     */
    static BreslowBaseline fromGroups(TimeGroups groups, int[] strata, double[] eta, boolean[] event, double[] logRisk,
                                      Ties ties) {
        int s = groups.strataCount();
        int[] labels = new int[s];
        double[][] times = new double[s][];
        double[][] logH = new double[s][];
        for (int k = 0; k < s; k++) {
            int first = groups.stratumStart(k);
            int end = groups.stratumEnd(k);
            labels[k] = strata == null ? NO_STRATA : strata[groups.row(groups.groupStart(first))];
            int eventGroups = 0;
            for (int g = first; g < end; g++) {
                eventGroups += groups.eventsInGroup(g) > 0 ? 1 : 0;
            }
            times[k] = new double[eventGroups];
            logH[k] = new double[eventGroups];
            double acc = Double.NEGATIVE_INFINITY;
            int slot = 0;
            for (int g = first; g < end; g++) {
                if (groups.eventsInGroup(g) == 0) {
                    continue;
                }
                double logDeaths = Double.NEGATIVE_INFINITY;
                for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                    int row = groups.row(p);
                    if (event[row]) {
                        logDeaths = logAddExp(logDeaths, eta[row]);
                    }
                }
                acc = logAddExp(acc, logIncrement(groups.eventsInGroup(g), logRisk[g], logDeaths, ties));
                times[k][slot] = groups.groupTime(g);
                logH[k][slot++] = acc;
            }
        }
        return new BreslowBaseline(strata != null, labels, times, logH);
    }

    /**
     * Fits the baseline of a model of counting-process data: row {@code j} covers
     * {@code (start[j], stop[j]]} and is at risk at {@code t} when {@code start[j] < t <= stop[j]}
     * (delayed entry, time-varying covariates). R's {@code survfit} of
     * {@code coxph(Surv(start, stop, event) ~ offset(eta), ties = "breslow")} at \( \eta = 0 \).
     *
     * @param strata a stratum label per row, or {@code null} for one stratum
     * @throws IllegalArgumentException naming the row, if a start is negative or not below its stop
     */
    public static BreslowBaseline fit(INDArray logHz, INDArray start, INDArray stop, INDArray event, int[] strata) {
        return fit(logHz, start, stop, event, strata, Ties.BRESLOW);
    }

    /**
     * As {@link #fit(INDArray, INDArray, INDArray, INDArray, int[])}, with the increments of the
     * given ties method (R's {@code survfit} of the fit with {@code ties = "efron"} for
     * {@link Ties#EFRON}).
     */
    public static BreslowBaseline fit(INDArray logHz, INDArray start, INDArray stop, INDArray event, int[] strata,
                                      Ties ties) {
        SurvivalArguments.checkNotNull(ties, "ties");
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        int n = eta.length;
        double[] t = SurvivalArguments.time(stop, "stop", n);
        double[] s = SurvivalArguments.entryTimes(SurvivalArguments.time(start, "start", n), t);
        boolean[] e = SurvivalArguments.event(event, "event", n);
        SurvivalArguments.strata(strata, "strata", n);
        SurvivalArguments.hasEvent(e, "event", "the Breslow baseline hazard");
        SortedMap<Integer, int[]> byStratum = CountingRiskSets.rowsByStratum(strata, n); // 0 = NO_STRATA without strata
        int[] labels = byStratum.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[][] times = new double[labels.length][];
        double[][] logH = new double[labels.length][];
        for (int k = 0; k < labels.length; k++) {
            int[] rows = byStratum.get(labels[k]);
            double[] tk = CountingRiskSets.eventTimes(rows, t, e);
            int[] d = new int[tk.length];
            double[] logDeaths = new double[tk.length];
            Arrays.fill(logDeaths, Double.NEGATIVE_INFINITY);
            for (int j : rows) {
                if (e[j]) {
                    int g = Arrays.binarySearch(tk, t[j]);
                    d[g]++;
                    logDeaths[g] = logAddExp(logDeaths[g], eta[j]);
                }
            }
            double[] logRisk = CountingRiskSets.logRiskSums(tk, eta, s, t, rows);
            double[] acc = new double[tk.length];
            double h = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < tk.length; g++) {
                h = logAddExp(h, logIncrement(d[g], logRisk[g], logDeaths[g], ties));
                acc[g] = h;
            }
            times[k] = tk;
            logH[k] = acc;
        }
        return new BreslowBaseline(strata != null, labels, times, logH);
    }

    /** As {@link #fit(INDArray, INDArray, INDArray, INDArray, int[])} without strata. */
    public static BreslowBaseline fit(INDArray logHz, INDArray start, INDArray stop, INDArray event) {
        return fit(logHz, start, stop, event, null);
    }

    /**
     * Rebuilds an unstratified baseline from its numbers.
     *
     * @param eventTimes strictly increasing event times
     * @param cumulativeHazards \( \hat H_0 \) at each, non-decreasing, finite, {@code >= 0}
     */
    public static BreslowBaseline of(double[] eventTimes, double[] cumulativeHazards) {
        BreslowBaseline b = of(new int[] {NO_STRATA}, new double[][] {eventTimes}, new double[][] {cumulativeHazards});
        return new BreslowBaseline(false, b.strata, b.eventTimes, b.logCumHazard);
    }

    /**
     * Rebuilds a stratified baseline from its numbers.
     *
     * @param strata distinct stratum labels
     * @param eventTimes per stratum, strictly increasing event times
     * @param cumulativeHazards per stratum, \( \hat H_0 \) at each event time, non-decreasing, finite, {@code >= 0}
     */
    public static BreslowBaseline of(int[] strata, double[][] eventTimes, double[][] cumulativeHazards) {
        SurvivalArguments.checkNotNull(strata, "strata");
        SurvivalArguments.checkNotNull(eventTimes, "eventTimes");
        SurvivalArguments.checkNotNull(cumulativeHazards, "cumulativeHazards");
        int s = strata.length;
        SurvivalArguments.inRange(eventTimes.length, "eventTimes.length", s, s, true);
        SurvivalArguments.inRange(cumulativeHazards.length, "cumulativeHazards.length", s, s, true);
        Integer[] order = new Integer[s];
        for (int k = 0; k < s; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(strata[a], strata[b]));
        int[] labels = new int[s];
        double[][] times = new double[s][];
        double[][] logH = new double[s][];
        for (int k = 0; k < s; k++) {
            int src = order[k];
            labels[k] = strata[src];
            SurvivalArguments.checkDefined(k == 0 || labels[k] != labels[k - 1], "the baseline",
                    "stratum " + labels[k] + " is given twice");
            double[] t = SurvivalArguments.checkNotNull(eventTimes[src], "eventTimes[" + src + "]").clone();
            double[] h = SurvivalArguments.checkNotNull(cumulativeHazards[src], "cumulativeHazards[" + src + "]");
            SurvivalArguments.time(t, "eventTimes[" + src + "]", t.length);
            SurvivalArguments.inRange(h.length, "cumulativeHazards[" + src + "].length", t.length, t.length, true);
            logH[k] = new double[t.length];
            for (int j = 0; j < t.length; j++) {
                String name = "cumulativeHazards[" + src + "][" + j + "]";
                if (j > 0) {
                    SurvivalArguments.inRange(t[j], "eventTimes[" + src + "][" + j + "]", t[j - 1], Double.MAX_VALUE,
                            false);
                }
                SurvivalArguments.inRange(h[j], name, j > 0 ? h[j - 1] : 0, Double.MAX_VALUE, true);
                logH[k][j] = Math.log(h[j]);
            }
            times[k] = t;
        }
        return new BreslowBaseline(true, labels, times, logH);
    }

    /** Whether the baseline was fitted per stratum. */
    public boolean stratified() {
        return stratified;
    }

    /** The stratum labels, ascending ({@code [NO_STRATA]} when unstratified). */
    public int[] strata() {
        return strata.clone();
    }

    /** The distinct event times of a stratum, ascending (a copy). */
    public double[] eventTimes(int stratum) {
        return eventTimes[index(stratum)].clone();
    }

    /** \( \hat H_0 \) at each of {@link #eventTimes(int)} (a new array). */
    public double[] cumulativeHazards(int stratum) {
        double[] logH = logCumHazard[index(stratum)];
        double[] h = new double[logH.length];
        for (int j = 0; j < h.length; j++) {
            h[j] = Math.exp(logH[j]);
        }
        return h;
    }

    /** \( \hat H_0(t) \) of an unstratified baseline. */
    public double baselineCumulativeHazard(double t) {
        return Math.exp(logCumulativeHazard(index(NO_STRATA_CALL), t));
    }

    /** \( \hat H_0(t) \) of a stratum. */
    public double baselineCumulativeHazard(double t, int stratum) {
        return Math.exp(logCumulativeHazard(index(stratum), t));
    }

    /** \( \hat S_0(t) = e^{-\hat H_0(t)} \) of an unstratified baseline. */
    public double baselineSurvival(double t) {
        return Math.exp(-baselineCumulativeHazard(t));
    }

    /** \( \hat S_0(t) \) of a stratum. */
    public double baselineSurvival(double t, int stratum) {
        return Math.exp(-baselineCumulativeHazard(t, stratum));
    }

    /**
     * Survival curves of an unstratified model.
     *
     * @param logHz log hazards of the rows to predict, {@code [n]} or {@code [n, 1]}, finite
     * @param times where to evaluate, each finite and {@code >= 0}
     * @return \( \hat S_i(t_j) \), double {@code [n, times.length]}
     */
    public INDArray survival(INDArray logHz, double... times) {
        return survival(logHz, null, times);
    }

    /**
     * Survival curves, each row with the baseline of its stratum.
     *
     * @param strata a fitted stratum label per row ({@code null} for an unstratified baseline)
     */
    public INDArray survival(INDArray logHz, int[] strata, double... times) {
        double[][] h = cumulativeHazards(logHz, strata, times);
        for (double[] row : h) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.exp(-row[j]);
            }
        }
        return Nd4j.createFromArray(h);
    }

    /** \( \hat H_0(t_j)\, e^{\eta_i} \) of each row at each time, {@code [n][times.length]}, after the checks of {@link #survival}. */
    double[][] cumulativeHazards(INDArray logHz, int[] strata, double... times) {
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        int n = eta.length;
        SurvivalArguments.strata(strata, "strata", n);
        SurvivalArguments.time(SurvivalArguments.checkNotNull(times, "times"), "times", times.length);
        SurvivalArguments.atLeast(n, "number of rows", 1);
        SurvivalArguments.atLeast(times.length, "number of times", 1);
        SurvivalArguments.checkDefined(strata != null || !stratified, "the survival curve",
                "this baseline is stratified: give each row's stratum");
        double[][] h = new double[n][times.length];
        int single = strata == null ? index(NO_STRATA_CALL) : -1;
        for (int i = 0; i < n; i++) {
            int k = strata == null ? single : index(strata[i]);
            for (int j = 0; j < times.length; j++) {
                h[i][j] = Math.exp(logCumulativeHazard(k, times[j]) + eta[i]);
            }
        }
        return h;
    }

    private double logCumulativeHazard(int k, double t) {
        SurvivalArguments.inRange(t, "t", 0, Double.MAX_VALUE, true);
        int j = Arrays.binarySearch(eventTimes[k], t);
        j = j >= 0 ? j : -j - 2;
        return j < 0 ? Double.NEGATIVE_INFINITY : logCumHazard[k][j];
    }

    private int index(int stratum) {
        if (stratum == NO_STRATA_CALL) {
            SurvivalArguments.checkDefined(!stratified, "the baseline", "this baseline is stratified: give a stratum");
            return 0;
        }
        int k = Arrays.binarySearch(strata, stratum);
        SurvivalArguments.checkDefined(k >= 0, "the baseline of stratum " + stratum,
                "no such stratum in the fit (strata " + Arrays.toString(strata) + ")");
        return k;
    }

    /**
     * The log of one event time's increment of \( \hat H_0 \): \( \log d - \log S_R \) (Breslow), or
     * the log of \( \sum_{r<d} 1 / (S_R - \tfrac{r}{d} S_D) \) (Efron), with \( S_R \), \( S_D \) the
     * risk set's and the events' sums of \( e^{\eta} \) given as logs. \( S_R - \tfrac{r}{d} S_D \ge
     * S_R - S_D \cdot (d-1)/d > 0 \), taken as \( \log S_R + \mathrm{log1p}(-\tfrac{r}{d} S_D/S_R) \).
     */
    private static double logIncrement(int d, double logRisk, double logDeaths, Ties ties) {
        if (ties == Ties.BRESLOW || d == 1) {
            return Math.log(d) - logRisk;
        }
        double share = Math.exp(logDeaths - logRisk); // S_D / S_R, in (0, 1]
        double acc = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < d; r++) {
            acc = logAddExp(acc, -(logRisk + Math.log1p(-share * r / d)));
        }
        return acc;
    }

    static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    @Override
    public String toString() {
        return "BreslowBaseline(strata = " + (stratified ? Arrays.toString(strata) : "none") + ", event times = "
                + Arrays.stream(eventTimes).mapToInt(a -> a.length).sum() + ")";
    }
}
