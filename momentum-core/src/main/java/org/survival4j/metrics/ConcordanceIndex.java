package org.survival4j.metrics;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * The concordance index of a risk score: Harrell's C (Harrell et al. 1982,
 * doi:10.1001/jama.1982.03320430047030) and Uno's C with inverse-probability-of-censoring weights
 * (Uno et al. 2011, doi:10.1002/sim.4154).
 *
 * <p>A higher risk \( r_i \) means a shorter expected survival (a Cox log hazard, or minus a
 * predicted median time). Rows \( i \) and \( j \) form a <em>comparable</em> pair when \( i \) had
 * an event and \( j \) is known to have lived longer: \( T_j > T_i \), or \( T_j = T_i \) with
 * \( j \) censored. Two events at the same time are not comparable. With time weights \( w \),
 * \[ C = \frac{\sum_{i,j\ \mathrm{comparable}} w(T_i)\,\big(\mathbf 1[r_i > r_j] + \tfrac12 \mathbf 1[r_i = r_j]\big)}
 *             {\sum_{i,j\ \mathrm{comparable}} w(T_i)} . \]
 * Harrell's C has \( w = 1 \). Uno's C has \( w(t) = 1 / \hat G(t-)^2 \), \( \hat G \) the
 * Kaplan-Meier estimate of the censoring distribution of a training set
 * ({@link KaplanMeier#fitCensoring}) taken just before \( t \), and optionally \( w(t) = 0 \) for
 * \( t > \tau \) (the truncation time {@code tmax}). An event at a time where \( \hat G(t-) = 0 \)
 * (later than any training row that could have been censored) gets weight 0, as in R.
 *
 * <p>These are the conventions of R's {@code survival::concordance(Surv(time, event) ~ risk,
 * reverse = TRUE)} and, for Uno, {@code timewt = "n/G2"} (with {@code ymax = tmax}); the golden
 * tests match them to 1e-12. 0.5 means no discrimination, 1 a perfect ranking, 0 a perfectly
 * reversed one; C is invariant to strictly increasing transforms of the risk.
 *
 * <p>Cost: \( O(n \log n) \) (a sort and a sweep over a {@link FenwickTree}); 100,000 rows take a
 * few tens of milliseconds. The {@code ...Result} methods add a second sweep for per-row counts.
 *
 * <p>Errors: non-finite risks (e.g. NaN outputs), bad times or events, no event, or no comparable
 * pair throw {@link org.survival4j.data.SurvivalArgumentException}. Thread-safe (stateless).
 *
 * <pre>{@code
 * INDArray risk = Nd4j.createFromArray(2.0, 1.0, 1.0, 1.0);
 * INDArray time = Nd4j.createFromArray(1.0, 1.0, 2.0, 3.0);
 * INDArray event = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0);
 * ConcordanceIndex.harrell(risk, time, event); // pairs (0,1) (0,2) (0,3) concordant, (2,3) tied: 3.5 / 4 = 0.875
 * }</pre>
 *
 * @since 0.1
 */
public final class ConcordanceIndex {
    static final String STATISTIC = "the concordance index";

    private ConcordanceIndex() {
    }

    /**
     * Harrell's C.
     *
     * @param risk risk scores, {@code [n]} or {@code [n, 1]}, finite; higher = shorter survival
     * @param time observed times, {@code [n]}
     * @param event 1 = event, 0 = censored, {@code [n]}
     * @return C in [0, 1]
     */
    public static double harrell(INDArray risk, INDArray time, INDArray event) {
        Data d = Data.of(risk, time, event);
        return check(ConcordanceKernel.count(d.risk, d.time, d.event, ones(d.risk.length), false)).estimate();
    }

    /**
     * Uno's C with censoring weights from a training set, without truncation.
     *
     * @param trainTime observed times of the set the censoring distribution is estimated from
     * @param trainEvent its event indicators
     * @see #uno(INDArray, INDArray, INDArray, INDArray, INDArray, double)
     */
    public static double uno(INDArray risk, INDArray time, INDArray event, INDArray trainTime, INDArray trainEvent) {
        return uno(risk, time, event, trainTime, trainEvent, Double.POSITIVE_INFINITY);
    }

    /**
     * Uno's C truncated at {@code tmax}: only events at times {@code <= tmax} are compared.
     *
     * @param risk risk scores, {@code [n]} or {@code [n, 1]}, finite; higher = shorter survival
     * @param time observed times, {@code [n]}
     * @param event 1 = event, 0 = censored, {@code [n]}
     * @param trainTime observed times of the set the censoring distribution is estimated from
     *                  (pass {@code time} itself when there is no separate training set)
     * @param trainEvent its event indicators
     * @param tmax truncation time \( \tau > 0 \), or {@code Double.POSITIVE_INFINITY}
     * @return C in [0, 1]
     */
    public static double uno(INDArray risk, INDArray time, INDArray event, INDArray trainTime, INDArray trainEvent,
                             double tmax) {
        Data d = Data.of(risk, time, event);
        double[] w = unoWeights(d.time, d.event, censoring(trainTime, trainEvent), tmax);
        return check(ConcordanceKernel.count(d.risk, d.time, d.event, w, false)).estimate();
    }

    /** Harrell's C with its pair counts, standard errors, intervals and p-value. */
    public static ConcordanceResult harrellResult(INDArray risk, INDArray time, INDArray event) {
        Data d = Data.of(risk, time, event);
        return new ConcordanceResult(check(ConcordanceKernel.count(d.risk, d.time, d.event, ones(d.risk.length), true)));
    }

    /** Uno's C (truncated at {@code tmax}, or infinity) with its pair counts, standard errors, intervals and p-value. */
    public static ConcordanceResult unoResult(INDArray risk, INDArray time, INDArray event, INDArray trainTime,
                                              INDArray trainEvent, double tmax) {
        Data d = Data.of(risk, time, event);
        double[] w = unoWeights(d.time, d.event, censoring(trainTime, trainEvent), tmax);
        return new ConcordanceResult(check(ConcordanceKernel.count(d.risk, d.time, d.event, w, true)));
    }

    /**
     * The cause-specific concordance of a risk of cause {@code k} under competing risks (Wolbers,
     * Koller, Witteman and Steyerberg 2009, doi:10.1097/EDE.0b013e3181a39056): Harrell's C in which
     * row \( i \) with an event of cause \( k \) at \( T_i \) is compared with every row known to
     * be free of that event at \( T_i \): \( T_j > T_i \), \( T_j = T_i \) and censored, or an
     * event of another cause at any time (such a row can never have an event of cause \( k \)).
     * \[ C_k = \frac{\sum_{i,j\ \mathrm{comparable}} \mathbf 1[r_i > r_j] + \tfrac12 \mathbf 1[r_i = r_j]}
     *              {\#\{\text{comparable pairs}\}} . \]
     * It is Harrell's C of the data in which the rows with another cause's event are censored after
     * every observed time, which is how it is computed and how the golden test gets it from R
     * ({@code concordance(Surv(time2, cause == k) ~ risk, reverse = TRUE)}). Unweighted: the
     * censoring of the data biases it as it biases Harrell's C.
     *
     * @param risk risk scores of cause {@code k} (a cause-specific log hazard, or a predicted cumulative incidence)
     * @param time observed times
     * @param cause 0 = censored, otherwise the cause of the event
     * @param k the cause of interest, {@code >= 1}; at least one of its events
     */
    public static double causeSpecific(INDArray risk, INDArray time, INDArray cause, int k) {
        Data d = Data.ofCause(risk, time, cause, k);
        return check(ConcordanceKernel.count(d.risk, d.time, d.event, ones(d.risk.length), false)).estimate();
    }

    /** {@link #causeSpecific} with its pair counts, standard errors (those of Harrell's C, as R's), intervals and p-value. */
    public static ConcordanceResult causeSpecificResult(INDArray risk, INDArray time, INDArray cause, int k) {
        Data d = Data.ofCause(risk, time, cause, k);
        return new ConcordanceResult(check(ConcordanceKernel.count(d.risk, d.time, d.event, ones(d.risk.length), true)));
    }

    /** The censoring estimate of a training set, validated. */
    static KaplanMeier censoring(INDArray trainTime, INDArray trainEvent) {
        return KaplanMeier.fitCensoring(trainTime, trainEvent);
    }

    /** \( w_i = 1/\hat G(T_i-)^2 \) for events at or before {@code tmax}, else 0. */
    static double[] unoWeights(double[] time, boolean[] event, KaplanMeier censoring, double tmax) {
        if (tmax != Double.POSITIVE_INFINITY) {
            SurvivalArguments.inRange(tmax, "tmax", 0, Double.POSITIVE_INFINITY, false);
        }
        double[] w = new double[time.length];
        for (int i = 0; i < w.length; i++) {
            if (event[i] && time[i] <= tmax) {
                double g = censoring.survivalBefore(time[i]);
                w[i] = g > 0 ? 1 / (g * g) : 0;
            }
        }
        return w;
    }

    static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }

    static ConcordanceKernel.Counts check(ConcordanceKernel.Counts counts) {
        SurvivalArguments.checkDefined(counts.comparable() > 0, STATISTIC,
                "no comparable pair (an event followed by a longer observed time, with a positive weight)");
        return counts;
    }

    /** Validated inputs of one data set. */
    static final class Data {
        final double[] risk;
        final double[] time;
        final boolean[] event;

        private Data(double[] risk, double[] time, boolean[] event) {
            this.risk = risk;
            this.time = time;
            this.event = event;
        }

        static Data of(INDArray risk, INDArray time, INDArray event) {
            double[] r = SurvivalArguments.finiteVector(risk, "risk");
            double[] t = SurvivalArguments.time(time, "time", r.length);
            boolean[] e = SurvivalArguments.event(event, "event", r.length);
            SurvivalArguments.hasEvent(e, "event", STATISTIC);
            return new Data(r, t, e);
        }

        /** Events of cause {@code k}; rows with another cause's event censored after every observed time. */
        static Data ofCause(INDArray risk, INDArray time, INDArray cause, int k) {
            double[] r = SurvivalArguments.finiteVector(risk, "risk");
            double[] t = SurvivalArguments.time(time, "time", r.length); // a copy of the input
            int[] c = SurvivalArguments.anyCause(SurvivalArguments.finiteVector(cause, "cause"), "cause", r.length);
            SurvivalArguments.atLeast(k, "k", 1);
            double beyond = Math.nextUp(Arrays.stream(t).max().orElse(0));
            boolean[] e = new boolean[r.length];
            for (int i = 0; i < r.length; i++) {
                e[i] = c[i] == k;
                if (c[i] != 0 && c[i] != k) {
                    t[i] = beyond;
                }
            }
            SurvivalArguments.hasEvent(e, "cause", STATISTIC + " of cause " + k);
            return new Data(r, t, e);
        }
    }
}
