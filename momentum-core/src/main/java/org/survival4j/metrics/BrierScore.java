package org.survival4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * The Brier score of predicted survival probabilities under right censoring, with inverse
 * probability of censoring weights (Graf et al. 1999, doi:10.1002/(SICI)1097-0258(19990915/30)18:17/18&lt;2529::AID-SIM274&gt;3.0.CO;2-5),
 * and its integral over time.
 *
 * <p>For predictions \( \hat S_i(t) \) and \( \hat G \) the Kaplan-Meier estimate of the censoring
 * distribution of a training set ({@link KaplanMeier#fitCensoring}),
 * \[ \mathrm{BS}(t) = \frac1n \sum_{i=1}^n \Big[ \frac{\hat S_i(t)^2\, \mathbf 1[T_i \le t, \delta_i = 1]}{\hat G(T_i-)}
 *      + \frac{(1 - \hat S_i(t))^2\, \mathbf 1[T_i > t]}{\hat G(t)} \Big] . \]
 * Rows censored at or before \( t \) contribute 0 but stay in \( n \). Lower is better; 0.25 is
 * what the constant prediction 0.5 scores without censoring. These are the values of
 * {@code riskRegression::Score(..., metrics = "brier", cens.model = "km")}; the golden tests
 * match them to 1e-12.
 *
 * <p>The integrated Brier score over a grid \( t_1 < \dots < t_K \) is the trapezoidal mean
 * \( \frac{1}{t_K - t_1} \int_{t_1}^{t_K} \mathrm{BS}(t)\,dt \) (as scikit-survival and torchsurv
 * compute it; R's {@code pec::crps} integrates a step function instead).
 *
 * <p>Errors: a horizon where \( \hat G(t) = 0 \) (after the last training time at which a row could
 * still be censored) is not estimable and throws {@link org.survival4j.data.SurvivalArgumentException},
 * as do predictions outside [0, 1]. Cost: \( O(n \log m) \) per time. Stateless and thread-safe.
 *
 * <pre>{@code
 * // no censoring: G = 1, the Brier score is the mean squared error of the survival indicator
 * INDArray time = Nd4j.createFromArray(1.0, 3.0);
 * INDArray event = Nd4j.createFromArray(1.0, 1.0);
 * BrierScore.at(Nd4j.createFromArray(0.2, 0.6), 2.0, time, event, time, event); // (0.2^2 + 0.4^2) / 2 = 0.1
 * }</pre>
 *
 * @since 0.1
 */
public final class BrierScore {
    static final String STATISTIC = "the Brier score";

    private BrierScore() {
    }

    /**
     * The Brier score at one time.
     *
     * @param survivalAtT predicted \( \hat S_i(t) \), {@code [n]} or {@code [n, 1]}, in [0, 1]
     * @param t the horizon, {@code >= 0}
     * @param time observed times of the test rows
     * @param event their event indicators
     * @param trainTime times of the set the censoring distribution is estimated from (the test set itself is fine)
     * @param trainEvent its event indicators
     * @return \( \mathrm{BS}(t) \)
     */
    public static double at(INDArray survivalAtT, double t, INDArray time, INDArray event, INDArray trainTime,
                            INDArray trainEvent) {
        int n = (int) SurvivalArguments.checkNotNull(survivalAtT, "survivalAtT").length();
        double[] s = SurvivalArguments.probabilities(survivalAtT, "survivalAtT", n);
        return score(s, t, IpcwData.of(time, event, n, trainTime, trainEvent));
    }

    /**
     * The Brier score at several times.
     *
     * @param survival predicted \( \hat S_i(t_k) \), {@code [n, times.length]}, in [0, 1]
     * @param times the horizons
     * @return \( \mathrm{BS}(t_k) \) per time
     */
    public static double[] atTimes(INDArray survival, double[] times, INDArray time, INDArray event,
                                   INDArray trainTime, INDArray trainEvent) {
        double[][] s = Columns.probabilities(survival, "survival", SurvivalArguments.checkNotNull(times, "times").length);
        IpcwData data = IpcwData.of(time, event, s.length == 0 ? 0 : s[0].length, trainTime, trainEvent);
        double[] out = new double[times.length];
        for (int k = 0; k < times.length; k++) {
            out[k] = score(s[k], times[k], data);
        }
        return out;
    }

    /**
     * The integrated Brier score over a grid (trapezoidal rule, divided by the grid's length).
     *
     * @param survival predicted \( \hat S_i(t_k) \), {@code [n, times.length]}, in [0, 1]
     * @param times at least two strictly increasing horizons
     */
    public static double integrated(INDArray survival, double[] times, INDArray time, INDArray event,
                                    INDArray trainTime, INDArray trainEvent) {
        IpcwData.checkGrid(times);
        return IpcwData.trapezoidMean(times, atTimes(survival, times, time, event, trainTime, trainEvent));
    }

    /**
     * The Brier score at one time with its influence function, standard error, interval and tests
     * ({@link InfluenceEstimate}); the censoring distribution is estimated on the same rows, as
     * riskRegression's {@code Score(..., metrics = "brier", cens.model = "km", se.fit = TRUE)} does.
     *
     * <p>With \( r_i \) the weighted squared residual of row \( i \) (the summand above, so that
     * \( \mathrm{BS} = \bar r \)), the influence of row \( k \) is
     * \( \mathrm{IF}_k = r_k - \mathrm{BS} + \frac1n \big(\sum_{i\ \mathrm{case}} r_i \Lambda'_k(T_i-)
     * + \sum_{j\ \mathrm{control}} r_j \Lambda'_k(t)\big) \), the second part being how the
     * Kaplan-Meier weights move ({@code CensoringInfluence}); it matches riskRegression's
     * {@code IF.Brier} (and its standard error) to 1e-10 in the golden tests.
     *
     * @param survivalAtT predicted \( \hat S_i(t) \), {@code [n]}, in [0, 1]
     * @param t the horizon
     * @param time observed times of the test rows
     * @param event their event indicators
     */
    public static InfluenceEstimate inference(INDArray survivalAtT, double t, INDArray time, INDArray event) {
        int n = (int) SurvivalArguments.checkNotNull(survivalAtT, "survivalAtT").length();
        double[] s = SurvivalArguments.probabilities(survivalAtT, "survivalAtT", n);
        IpcwData data = IpcwData.of(time, event, n, time, event);
        return inference(s, t, data, CensoringInfluence.of(data.time, data.event));
    }

    /**
     * The integrated Brier score (trapezoidal mean over the grid, as {@link #integrated}) with its
     * influence function: the same mean of the per-time influences.
     *
     * @param survival predicted \( \hat S_i(t_k) \), {@code [n, times.length]}, in [0, 1]
     * @param times at least two strictly increasing horizons
     */
    public static InfluenceEstimate integratedInference(INDArray survival, double[] times, INDArray time,
                                                        INDArray event) {
        IpcwData.checkGrid(times);
        double[][] s = Columns.probabilities(survival, "survival", times.length);
        IpcwData data = IpcwData.of(time, event, s[0].length, time, event);
        CensoringInfluence censoring = CensoringInfluence.of(data.time, data.event);
        return InfluenceEstimate.trapezoidMean("the integrated Brier score over [" + SurvivalArguments.format(times[0])
                + ", " + SurvivalArguments.format(times[times.length - 1]) + "]", times,
                k -> inference(s[k], times[k], data, censoring));
    }

    /**
     * The Brier score of the predicted cumulative incidence of cause {@code k} under competing risks:
     * \[ \mathrm{BS}_k(t) = \frac1n \sum_i \Big[ \frac{(1 - \hat F_{ik}(t))^2\, \mathbf 1[T_i \le t, c_i = k]
     *      + \hat F_{ik}(t)^2\, \mathbf 1[T_i \le t, c_i \notin \{0, k\}]}{\hat G(T_i-)}
     *      + \frac{\hat F_{ik}(t)^2\, \mathbf 1[T_i > t]}{\hat G(t)} \Big] , \]
     * \( \hat G \) the Kaplan-Meier estimate of the censoring distribution of the training rows (an
     * event of any cause is not a censoring): riskRegression's {@code Score(..., cause = k,
     * metrics = "brier")}. With one cause it is {@link #at} of \( 1 - \hat F \).
     *
     * @param incidenceAtT predicted \( \hat F_{ik}(t) \), {@code [n]}, in [0, 1]
     * @param t the horizon
     * @param time observed times of the test rows
     * @param cause their causes, 0 = censored
     * @param k the cause of interest, {@code >= 1}
     * @param trainTime times of the set the censoring distribution is estimated from (the test set itself is fine)
     * @param trainCause its causes
     */
    public static double causeSpecific(INDArray incidenceAtT, double t, INDArray time, INDArray cause, int k,
                                       INDArray trainTime, INDArray trainCause) {
        SurvivalArguments.checkNotNull(trainTime, "trainTime");
        int n = (int) SurvivalArguments.checkNotNull(incidenceAtT, "incidenceAtT").length();
        double[] f = SurvivalArguments.probabilities(incidenceAtT, "incidenceAtT", n);
        return mean(residuals(f, oneMinus(f), t, IpcwData.ofCause(time, cause, k, n, trainTime, trainCause)));
    }

    /**
     * {@link #causeSpecific} with its influence function, standard error and interval, the
     * censoring distribution estimated on the same rows: riskRegression's {@code Score(..., cause
     * = k, metrics = "brier", cens.model = "km", se.fit = TRUE, conservative = FALSE)}, matched to
     * 1e-10 in the golden tests. The influence has the form of {@link #inference}'s, the rows with
     * an event of another cause by \( t \) weighted at their own time as the cases are.
     */
    public static InfluenceEstimate causeSpecificInference(INDArray incidenceAtT, double t, INDArray time,
                                                           INDArray cause, int k) {
        int n = (int) SurvivalArguments.checkNotNull(incidenceAtT, "incidenceAtT").length();
        double[] f = SurvivalArguments.probabilities(incidenceAtT, "incidenceAtT", n);
        IpcwData data = IpcwData.ofCause(time, cause, k, n, null, null);
        return inference(f, oneMinus(f), t, data, CensoringInfluence.of(data.time, data.event),
                "the Brier score of cause " + k + " at t = " + SurvivalArguments.format(t));
    }

    private static InfluenceEstimate inference(double[] s, double t, IpcwData data, CensoringInfluence censoring) {
        return inference(oneMinus(s), s, t, data, censoring, STATISTIC + " at t = " + SurvivalArguments.format(t));
    }

    /** @param p predicted probability of the event of interest by t; @param q its complement */
    private static InfluenceEstimate inference(double[] p, double[] q, double t, IpcwData data,
                                               CensoringInfluence censoring, String statistic) {
        int n = p.length;
        double[] r = residuals(p, q, t, data);
        double score = 0;
        double beyond = 0;
        for (int i = 0; i < n; i++) {
            score += r[i];
            if (data.beyond(i, t)) {
                beyond += r[i];
            }
        }
        score /= n;
        double[] weights = censoring.term(t, r, beyond);
        double[] influence = new double[n];
        for (int k = 0; k < n; k++) {
            influence[k] = r[k] - score + weights[k] / n;
        }
        return new InfluenceEstimate(statistic, score, influence, true);
    }

    /**
     * Each row's weighted squared residual; their mean is the score. {@code p} is the predicted
     * probability of the event of interest by {@code t} (\( 1 - \hat S \), or \( \hat F_k \)) and
     * {@code q} its complement, both given so that neither is recomputed as a difference.
     */
    private static double[] residuals(double[] p, double[] q, double t, IpcwData data) {
        double horizonWeight = 1 / data.censoringSurvivalAt(t, STATISTIC);
        double[] r = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            if (data.isCase(i, t)) {
                r[i] = q[i] * q[i] * data.caseWeight(i);
            } else if (data.isControl(i, t)) {
                r[i] = p[i] * p[i] * (data.beyond(i, t) ? horizonWeight : data.caseWeight(i));
            }
        }
        return r;
    }

    static double score(double[] s, double t, IpcwData data) {
        return mean(residuals(oneMinus(s), s, t, data));
    }

    private static double mean(double[] r) {
        double sum = 0;
        for (double v : r) {
            sum += v;
        }
        return sum / r.length;
    }

    private static double[] oneMinus(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = 1 - v[i];
        }
        return out;
    }
}
