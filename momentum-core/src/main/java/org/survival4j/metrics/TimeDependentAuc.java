package org.survival4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * The cumulative/dynamic time-dependent AUC of a risk score under right censoring, with inverse
 * probability of censoring weights (Uno et al. 2007, doi:10.1198/016214507000000149; Hung and
 * Chiang 2010, doi:10.1002/cjs.10046), and its mean over time.
 *
 * <p>At horizon \( t \), <em>cases</em> had the event by \( t \) (\( T_i \le t, \delta_i = 1 \))
 * and <em>controls</em> are still event-free (\( T_j > t \)). With case weights
 * \( \omega_i = 1/\hat G(T_i-) \) (\( \hat G \): Kaplan-Meier of the training set's censoring,
 * {@link KaplanMeier#fitCensoring}; the controls' common weight \( 1/\hat G(t) \) cancels),
 * \[ \mathrm{AUC}(t) = \frac{\sum_{i\ \mathrm{case}} \sum_{j\ \mathrm{control}} \omega_i
 *      \big(\mathbf 1[r_i > r_j] + \tfrac12 \mathbf 1[r_i = r_j]\big)}
 *      {\sum_{i\ \mathrm{case}} \omega_i \cdot \#\mathrm{controls}} , \]
 * the probability that a case has a higher risk than a control. These are the values of
 * {@code riskRegression::Score(..., metrics = "auc", cens.model = "km")}; the golden tests match
 * them to 1e-12. The mean over a grid \( t_1 < \dots < t_K \) is the trapezoidal mean
 * \( \frac{1}{t_K - t_1}\int_{t_1}^{t_K} \mathrm{AUC}(t)\,dt \) (scikit-survival instead weights
 * by the Kaplan-Meier decrements).
 *
 * <p>Errors: a horizon with no case or no control, or where \( \hat G(t) = 0 \), throws
 * {@link org.survival4j.data.SurvivalArgumentException}. Cost: \( O(n \log n) \) per time (sorted
 * controls, a binary search per case). Stateless and thread-safe.
 *
 * <pre>{@code
 * INDArray risk = Nd4j.createFromArray(3.0, 1.0, 2.0, 0.0);
 * INDArray time = Nd4j.createFromArray(1.0, 2.0, 5.0, 6.0);
 * INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0, 1.0);
 * TimeDependentAuc.at(risk, 2.5, time, event, time, event); // cases 0, 1; controls 2, 3: (2 + 1) / 4 = 0.75
 * }</pre>
 *
 * @since 0.1
 */
public final class TimeDependentAuc {
    static final String STATISTIC = "the time-dependent AUC";

    private TimeDependentAuc() {
    }

    /**
     * The AUC at one time.
     *
     * @param risk risk scores (higher = shorter survival, e.g. a log hazard or \( 1 - \hat S_i(t) \)), {@code [n]}, finite
     * @param t the horizon, {@code >= 0}
     * @param time observed times of the test rows
     * @param event their event indicators
     * @param trainTime times of the set the censoring distribution is estimated from (the test set itself is fine)
     * @param trainEvent its event indicators
     * @return \( \mathrm{AUC}(t) \) in [0, 1]
     */
    public static double at(INDArray risk, double t, INDArray time, INDArray event, INDArray trainTime,
                            INDArray trainEvent) {
        double[] r = SurvivalArguments.finiteVector(risk, "risk");
        return auc(r, t, IpcwData.of(time, event, r.length, trainTime, trainEvent));
    }

    /**
     * The AUC at several times.
     *
     * @param risk {@code [n]} (one score for all times) or {@code [n, times.length]} (a score per time)
     * @param times the horizons
     * @return \( \mathrm{AUC}(t_k) \) per time
     */
    public static double[] atTimes(INDArray risk, double[] times, INDArray time, INDArray event, INDArray trainTime,
                                   INDArray trainEvent) {
        double[][] r = Columns.finite(risk, "risk", SurvivalArguments.checkNotNull(times, "times").length);
        IpcwData data = IpcwData.of(time, event, r.length == 0 ? 0 : r[0].length, trainTime, trainEvent);
        double[] out = new double[times.length];
        for (int k = 0; k < times.length; k++) {
            out[k] = auc(r[k], times[k], data);
        }
        return out;
    }

    /**
     * The trapezoidal mean of the AUC over a grid.
     *
     * @param risk {@code [n]} or {@code [n, times.length]}
     * @param times at least two strictly increasing horizons
     */
    public static double integrated(INDArray risk, double[] times, INDArray time, INDArray event, INDArray trainTime,
                                    INDArray trainEvent) {
        IpcwData.checkGrid(times);
        return IpcwData.trapezoidMean(times, atTimes(risk, times, time, event, trainTime, trainEvent));
    }

    /**
     * The AUC at one time with its influence function, standard error, interval and tests
     * ({@link InfluenceEstimate}; test against chance with {@code pValue(0.5)}); the censoring
     * distribution is estimated on the same rows, as riskRegression's
     * {@code Score(..., metrics = "auc", cens.model = "km", se.fit = TRUE)} does.
     *
     * <p>Write the AUC as \( \nu / \mu \) with
     * \( \nu = n^{-2} \sum_{i\ \mathrm{case}} \sum_{j\ \mathrm{control}} \omega_i \omega_j h_{ij} \)
     * (\( h_{ij} = \mathbf 1[r_i > r_j] + \tfrac12 \mathbf 1[r_i = r_j] \), \( \omega_j = 1/\hat G(t) \))
     * and \( \mu = n^{-2} \sum_i \omega_i \sum_j \omega_j \). Row \( k \)'s influence on a
     * ratio of such sums is \( (\nu'_k \mu - \mu'_k \nu) / \mu^2 \) (Blanche et al. 2013,
     * doi:10.1002/sim.5958), where \( \nu'_k \), \( \mu'_k \) collect the pairs row \( k \) is in
     * (\( n^{-1}\omega_k \sum_j \omega_j h_{kj} \) for a case) plus how the Kaplan-Meier weights
     * move ({@code CensoringInfluence}). It matches riskRegression's {@code IF.AUC} and standard
     * error to 1e-10 in the golden tests.
     *
     * @param risk risk scores, {@code [n]}, finite
     * @param t the horizon
     * @param time observed times of the test rows
     * @param event their event indicators
     */
    public static InfluenceEstimate inference(INDArray risk, double t, INDArray time, INDArray event) {
        double[] r = SurvivalArguments.finiteVector(risk, "risk");
        IpcwData data = IpcwData.of(time, event, r.length, time, event);
        return inference(r, t, data, CensoringInfluence.of(data.time, data.event));
    }

    /**
     * The mean AUC over a grid (trapezoidal, as {@link #integrated}) with its influence function:
     * the same mean of the per-time influences.
     *
     * @param risk {@code [n]} or {@code [n, times.length]}
     * @param times at least two strictly increasing horizons
     */
    public static InfluenceEstimate integratedInference(INDArray risk, double[] times, INDArray time, INDArray event) {
        IpcwData.checkGrid(times);
        double[][] r = Columns.finite(risk, "risk", times.length);
        IpcwData data = IpcwData.of(time, event, r[0].length, time, event);
        CensoringInfluence censoring = CensoringInfluence.of(data.time, data.event);
        return InfluenceEstimate.trapezoidMean("the mean time-dependent AUC over [" + SurvivalArguments.format(times[0])
                + ", " + SurvivalArguments.format(times[times.length - 1]) + "]", times,
                k -> inference(r[k], times[k], data, censoring));
    }

    /**
     * The time-dependent AUC of a risk of cause {@code k} under competing risks (Blanche, Dartigues
     * and Jacqmin-Gadda 2013, doi:10.1002/sim.5958, their "definition 2"): cases had an event of
     * cause \( k \) by \( t \) (weight \( 1/\hat G(T_i-) \)); controls are event-free beyond
     * \( t \) (weight \( 1/\hat G(t) \)) or had an event of another cause by \( t \) (weight
     * \( 1/\hat G(T_j-) \)), and
     * \[ \mathrm{AUC}_k(t) = \frac{\sum_{i\ \mathrm{case}} \sum_{j\ \mathrm{control}} \omega_i \omega_j
     *      \big(\mathbf 1[r_i > r_j] + \tfrac12 \mathbf 1[r_i = r_j]\big)}{\sum_i \omega_i \sum_j \omega_j} . \]
     * These are riskRegression's {@code Score(..., cause = k, metrics = "auc", cens.model = "km")}.
     * With one cause it is {@link #at}.
     *
     * @param risk risk scores (e.g. the predicted cumulative incidence \( \hat F_{ik}(t) \)), {@code [n]}, finite
     * @param t the horizon
     * @param time observed times of the test rows
     * @param cause their causes, 0 = censored
     * @param k the cause of interest, {@code >= 1}
     * @param trainTime times of the set the censoring distribution is estimated from (the test set itself is fine)
     * @param trainCause its causes
     */
    public static double causeSpecific(INDArray risk, double t, INDArray time, INDArray cause, int k,
                                       INDArray trainTime, INDArray trainCause) {
        SurvivalArguments.checkNotNull(trainTime, "trainTime");
        double[] r = SurvivalArguments.finiteVector(risk, "risk");
        return auc(r, t, IpcwData.ofCause(time, cause, k, r.length, trainTime, trainCause));
    }

    /**
     * {@link #causeSpecific} with its influence function, standard error and interval, the
     * censoring distribution estimated on the same rows: riskRegression's {@code Score(..., cause
     * = k, metrics = "auc", cens.model = "km", se.fit = TRUE, conservative = FALSE)}. The influence
     * has {@link #inference}'s form; the controls with another cause's event move with
     * \( \hat G(T_j-) \) as the cases do.
     */
    public static InfluenceEstimate causeSpecificInference(INDArray risk, double t, INDArray time, INDArray cause,
                                                           int k) {
        double[] r = SurvivalArguments.finiteVector(risk, "risk");
        IpcwData data = IpcwData.ofCause(time, cause, k, r.length, null, null);
        return inference(r, t, data, CensoringInfluence.of(data.time, data.event),
                "the time-dependent AUC of cause " + k + " at t = " + SurvivalArguments.format(t));
    }

    private static InfluenceEstimate inference(double[] r, double t, IpcwData data, CensoringInfluence censoring) {
        return inference(r, t, data, censoring, STATISTIC + " at t = " + SurvivalArguments.format(t));
    }

    private static InfluenceEstimate inference(double[] r, double t, IpcwData data, CensoringInfluence censoring,
                                               String statistic) {
        int n = r.length;
        double auc = auc(r, t, data);
        double[] w = weights(r.length, t, data);
        WeightedRanks cases = new WeightedRanks(r, w, rows(n, i -> data.isCase(i, t)));
        WeightedRanks controls = new WeightedRanks(r, w, rows(n, i -> data.isControl(i, t)));
        double caseTotal = cases.total();
        double controlTotal = controls.total();
        // per row: the weighted pairs it is in (sum over the other group of w_j h)
        double[] pairs = new double[n];
        for (int i = 0; i < n; i++) {
            double x = r[i];
            if (data.isCase(i, t)) {
                double below = controls.below(x);
                pairs[i] = below + 0.5 * (controls.notAbove(x) - below);
            } else if (data.isControl(i, t)) {
                double notAbove = cases.notAbove(x);
                pairs[i] = caseTotal - notAbove + 0.5 * (notAbove - cases.below(x));
            }
        }
        double mu = caseTotal * controlTotal / ((double) n * n);
        double nu = auc * mu;
        // rows weighted at their own time (cases; controls with another cause's event) move with
        // G(T_i-), rows beyond t with G(t)
        double[] nuTerm = new double[n];
        double[] muTerm = new double[n];
        double nuBeyond = 0;
        double muBeyond = 0;
        for (int i = 0; i < n; i++) {
            double partners = data.isCase(i, t) ? controlTotal : caseTotal;
            if (data.beyond(i, t)) {
                nuBeyond += w[i] * pairs[i];
                muBeyond += w[i] * partners;
            } else if (w[i] > 0) {
                nuTerm[i] = w[i] * pairs[i];
                muTerm[i] = w[i] * partners;
            }
        }
        double[] nuWeights = censoring.term(t, nuTerm, nuBeyond);
        double[] muWeights = censoring.term(t, muTerm, muBeyond);
        double[] influence = new double[n];
        for (int k = 0; k < n; k++) {
            double partners = data.isCase(k, t) ? controlTotal : caseTotal;
            double nuK = w[k] * pairs[k] / n + nuWeights[k] / ((double) n * n);
            double muK = w[k] * partners / n + muWeights[k] / ((double) n * n);
            influence[k] = (nuK * mu - muK * nu) / (mu * mu);
        }
        return new InfluenceEstimate(statistic, auc, influence, true);
    }

    static double auc(double[] r, double t, IpcwData data) {
        double[] w = weights(r.length, t, data);
        WeightedRanks controls = new WeightedRanks(r, w, rows(r.length, i -> data.isControl(i, t)));
        double numerator = 0;
        double caseWeight = 0;
        for (int i = 0; i < r.length; i++) {
            if (data.isCase(i, t)) {
                double below = controls.below(r[i]);
                numerator += w[i] * (below + 0.5 * (controls.notAbove(r[i]) - below));
                caseWeight += w[i];
            }
        }
        SurvivalArguments.checkDefined(caseWeight > 0 && controls.size() > 0,
                STATISTIC + " at t = " + SurvivalArguments.format(t),
                caseWeight > 0 ? "no control (no row observed beyond t, nor with another cause's event by t)"
                        : "no case (no event at or before t)");
        return numerator / (caseWeight * controls.total());
    }

    /** Each row's IPCW weight at horizon {@code t}: 0 for a row censored by then. */
    private static double[] weights(int n, double t, IpcwData data) {
        double horizon = 1 / data.censoringSurvivalAt(t, STATISTIC);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            if (data.beyond(i, t)) {
                w[i] = horizon;
            } else if (data.isCase(i, t) || data.isControl(i, t)) {
                w[i] = data.caseWeight(i);
            }
        }
        return w;
    }

    private static boolean[] rows(int n, java.util.function.IntPredicate include) {
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = include.test(i);
        }
        return out;
    }
}
