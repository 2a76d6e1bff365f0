package org.survival4j.loss;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;

/**
 * The negative log-likelihood of a model whose network outputs, per row, the log hazard at
 * {@code K} knot times \( 0 = \tau_1 < \dots < \tau_K \): a hazard that need not be proportional
 * (torchsurv's {@code loss.survival.neg_log_likelihood}, made exact between knots).
 *
 * <p>Row \( i \) outputs \( \eta_{ik} = \log h_i(\tau_k) \). Its hazard is linear in
 * \( h \) between knots and constant after the last one:
 * \( h_i(t) = (1 - u)\,e^{\eta_{ij}} + u\,e^{\eta_{i,j+1}} \) for \( t = \tau_j + u\,\Delta_j \),
 * \( \Delta_j = \tau_{j+1} - \tau_j \), \( u \in [0, 1) \); \( h_i(t) = e^{\eta_{iK}} \) for
 * \( t \ge \tau_K \). The cumulative hazard is its exact integral (the trapezoid rule, exact for a
 * linear function):
 * \[ H_i(T) = \sum_{k < j} \tfrac{\Delta_k}{2}\big(e^{\eta_{ik}} + e^{\eta_{i,k+1}}\big)
 *    + \tfrac{u\,\Delta_j}{2}\big((2 - u)\,e^{\eta_{ij}} + u\,e^{\eta_{i,j+1}}\big) , \]
 * plus \( (T - \tau_K)\,e^{\eta_{iK}} \) beyond the last knot. A row contributes
 * \( H_i(T_i) - \delta_i \log h_i(T_i) \), censored or not; \( \log h_i(T_i) \) is a log-sum-exp
 * of the two neighbouring knots' log hazards, so large outputs do not overflow it.
 * {@link Reduction#MEAN} divides by the number of rows.
 *
 * <p>At times on a knot this is torchsurv's value. Off the knots torchsurv stops the integral at
 * the last knot \( \le T_i \) and takes \( \log h \) there; and it returns 0 for a batch without
 * events, although censored rows still contribute \( H_i(T_i) \). Both are exact here.
 *
 * <p>Cost: \( O(nK) \) (a binary search per row, then its knots). Immutable and thread-safe.
 *
 * <pre>{@code
 * GridHazardLikelihood g = new GridHazardLikelihood(new double[] {0, 1, 2}, Reduction.SUM);
 * INDArray logHz = Nd4j.createFromArray(new double[][] {{0, 0, 0}});              // h = 1 throughout
 * g.value(logHz, Nd4j.createFromArray(1.5), Nd4j.createFromArray(1.0));            // H = 1.5, log h = 0: 1.5
 * g.survival(logHz, 1.0, 3.0);                                                     // [[e^-1, e^-3]]
 * }</pre>
 *
 * @since 0.2
 */
public final class GridHazardLikelihood {
    private final double[] knots;
    private final Reduction reduction;

    /**
     * @param knots strictly increasing, finite, {@code knots[0] == 0}, at least one
     * @param reduction SUM, or MEAN over rows
     */
    public GridHazardLikelihood(double[] knots, Reduction reduction) {
        SurvivalArguments.checkNotNull(knots, "knots");
        SurvivalArguments.atLeast(knots.length, "number of knots", 1);
        if (knots[0] != 0) {
            throw new IllegalArgumentException("knots[0] must be 0 (the hazard starts at time 0), got " + knots[0]);
        }
        for (int k = 1; k < knots.length; k++) {
            if (!(knots[k] > knots[k - 1]) || !Double.isFinite(knots[k])) {
                throw new IllegalArgumentException("knots must be finite and strictly increasing: knots[" + (k - 1)
                        + "] = " + knots[k - 1] + ", knots[" + k + "] = " + knots[k]);
            }
        }
        this.knots = knots.clone();
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
    }

    /** The knots (a copy). */
    public double[] knots() {
        return knots.clone();
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss value.
     *
     * @param logHz {@code [n, K]}: each row's log hazard at the knots
     * @param time observed times, {@code [n]}, finite and {@code >= 0}
     * @param event 1 = event, 0 = censored, {@code [n]}
     */
    public double value(INDArray logHz, INDArray time, INDArray event) {
        return compute(logHz, time, event, false).value();
    }

    /** d value / d logHz, {@code [n, K]}, the data type of {@code logHz}. */
    public INDArray gradient(INDArray logHz, INDArray time, INDArray event) {
        return compute(logHz, time, event, true).gradient();
    }

    /** Value and gradient in one pass. */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray time, INDArray event) {
        return compute(logHz, time, event, true);
    }

    /**
     * Each row's survival \( S_i(t) = e^{-H_i(t)} \) at the given times.
     *
     * @param logHz {@code [n, K]}
     * @param times finite, {@code >= 0}
     * @return {@code [n, times.length]}, DOUBLE
     */
    public INDArray survival(INDArray logHz, double... times) {
        return Nd4j.math().exp(cumulativeHazard(logHz, times).negi());
    }

    /**
     * Each row's cumulative hazard \( H_i(t) \) at the given times.
     *
     * @param logHz {@code [n, K]}
     * @param times finite, {@code >= 0}
     * @return {@code [n, times.length]}, DOUBLE
     */
    public INDArray cumulativeHazard(INDArray logHz, double... times) {
        double[][] eta = logHazards(logHz);
        return Nd4j.createFromArray(curves(eta, checkedTimes(times))).reshape(eta.length, times.length);
    }

    /**
     * As {@link #cumulativeHazard(INDArray, double...)} for Java arrays, without ND4J: what a
     * deployed model calls for many rows at once. Cost \( O(n(K + T)) \) for \( T \) times (each
     * row's knot integrals once, then each time from its interval).
     *
     * @param logHz {@code [n][K]}, finite
     * @return {@code [n][times.length]}
     */
    public double[][] cumulativeHazard(double[][] logHz, double... times) {
        double[][] eta = SurvivalArguments.finiteCells(SurvivalArguments.checkNotNull(logHz, "logHz"), "logHz");
        for (int i = 0; i < eta.length; i++) {
            if (eta[i].length != knots.length) {
                throw new IllegalArgumentException("logHz row " + i + " has " + eta[i].length + " columns, expected "
                        + knots.length + " (one log hazard per knot)");
            }
        }
        return curves(eta, checkedTimes(times));
    }

    private static double[] checkedTimes(double[] times) {
        return SurvivalArguments.time(times, "times", SurvivalArguments.checkNotNull(times, "times").length);
    }

    /**
     * \( H_i(t_m) \) on checked inputs: the same additions, in the same order, as the likelihood's
     * per-row kernel (the private cumulativeHazard(eta, t, grad)), with each row's exponentials and knot
     * integrals computed once.
     */
    private double[][] curves(double[][] eta, double[] t) {
        int last = knots.length - 1;
        int[] at = new int[t.length];
        for (int m = 0; m < t.length; m++) {
            at[m] = interval(t[m]);
        }
        double[] hz = new double[knots.length];
        double[] atKnot = new double[knots.length]; // H at each knot
        double[][] h = new double[eta.length][t.length];
        for (int i = 0; i < eta.length; i++) {
            for (int k = 0; k <= last; k++) {
                hz[k] = Math.exp(eta[i][k]);
            }
            for (int k = 0; k < last; k++) {
                atKnot[k + 1] = atKnot[k] + (knots[k + 1] - knots[k]) / 2 * (hz[k] + hz[k + 1]);
            }
            for (int m = 0; m < t.length; m++) {
                int j = at[m];
                double v = atKnot[j];
                if (j == last) {
                    v += (t[m] - knots[last]) * hz[last];
                } else if (t[m] > knots[j]) {
                    double delta = knots[j + 1] - knots[j];
                    double u = (t[m] - knots[j]) / delta;
                    v += u * delta / 2 * ((2 - u) * hz[j] + u * hz[j + 1]);
                }
                h[i][m] = v;
            }
        }
        return h;
    }

    /**
     * Value over all rows, gradient ({@code [n - firstRow, K]}, DOUBLE) for rows
     * {@code firstRow..n-1} only, from Java arrays: the form a training loop (and momentum's pooled
     * rows) uses per step.
     *
     * @param logHz {@code [n][K]}
     */
    public ValueAndGradient valueAndGradient(double[][] logHz, double[] time, double[] event, int firstRow) {
        double[][] eta = SurvivalArguments.finiteCells(logHz, "logHz");
        for (int i = 0; i < eta.length; i++) {
            if (eta[i].length != knots.length) {
                throw new IllegalArgumentException("logHz row " + i + " has " + eta[i].length + " columns, expected "
                        + knots.length + " (one log hazard per knot)");
            }
        }
        SurvivalArguments.inRange(firstRow, "firstRow", 0, eta.length, true);
        return compute(eta, SurvivalArguments.time(time, "time", eta.length),
                SurvivalArguments.event(event, "event", eta.length), firstRow, DataType.DOUBLE);
    }

    private ValueAndGradient compute(INDArray logHz, INDArray time, INDArray event, boolean withGradient) {
        double[][] eta = logHazards(logHz);
        int n = eta.length;
        return compute(eta, SurvivalArguments.time(time, "time", n), SurvivalArguments.event(event, "event", n),
                withGradient ? 0 : -1, logHz.dataType());
    }

    /** The likelihood on checked inputs; gradient rows from {@code firstRow} (none if negative). */
    private ValueAndGradient compute(double[][] eta, double[] t, boolean[] e, int firstRow, DataType type) {
        int n = eta.length;
        int k = knots.length;
        double[] grad = firstRow >= 0 ? new double[(n - firstRow) * k] : null;
        double[] rowGrad = new double[k];
        double sum = 0;
        int events = 0;
        for (int i = 0; i < n; i++) {
            Arrays.fill(rowGrad, 0);
            double h = cumulativeHazard(eta[i], t[i], rowGrad);
            double value = h;
            if (e[i]) {
                events++;
                value -= logHazardAt(eta[i], t[i], rowGrad);
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "grid hazard likelihood overflows at row"
                        + " %d (time %s, largest log hazard %s): the cumulative hazard is not finite in double", i,
                        t[i], Arrays.stream(eta[i]).max().orElse(0)));
            }
            sum += value;
            if (grad != null && i >= firstRow) {
                System.arraycopy(rowGrad, 0, grad, (i - firstRow) * k, k);
            }
        }
        double scale = reduction == Reduction.MEAN && n > 0 ? 1.0 / n : 1.0;
        if (grad != null) {
            for (int j = 0; j < grad.length; j++) {
                grad[j] *= scale;
            }
        }
        return new ValueAndGradient(sum * scale, grad, type, grad == null ? null : new long[] {n - firstRow, k},
                Math.max(firstRow, 0), events);
    }

    private double[][] logHazards(INDArray logHz) {
        SurvivalArguments.checkNotNull(logHz, "logHz");
        int k = knots.length;
        if (logHz.rank() != 2 || logHz.size(1) != k) {
            throw new IllegalArgumentException("logHz must be [n, " + k + "] (one log hazard per knot), got "
                    + Arrays.toString(logHz.shape()));
        }
        return SurvivalArguments.finiteColumns(logHz, "logHz", k);
    }

    /** Index j of the knot interval [tau_j, tau_{j+1}) holding t; the last knot for t beyond it. */
    private int interval(double t) {
        int j = Arrays.binarySearch(knots, t);
        return j >= 0 ? j : -j - 2;
    }

    /**
     * \( H(t) \) of one row; with {@code grad}, adds \( \partial H / \partial \eta_k \) to it.
     */
    private double cumulativeHazard(double[] eta, double t, double[] grad) {
        int j = interval(t);
        int last = knots.length - 1;
        double h = 0;
        for (int k = 0; k < j; k++) {
            double half = (knots[k + 1] - knots[k]) / 2;
            double a = Math.exp(eta[k]);
            double b = Math.exp(eta[k + 1]);
            h += half * (a + b);
            if (grad != null) {
                grad[k] += half * a;
                grad[k + 1] += half * b;
            }
        }
        double a = Math.exp(eta[j]);
        if (j == last) {
            h += (t - knots[last]) * a;
            if (grad != null) {
                grad[last] += (t - knots[last]) * a;
            }
        } else if (t > knots[j]) {
            double delta = knots[j + 1] - knots[j];
            double u = (t - knots[j]) / delta;
            double b = Math.exp(eta[j + 1]);
            h += u * delta / 2 * ((2 - u) * a + u * b);
            if (grad != null) {
                grad[j] += u * delta / 2 * (2 - u) * a;
                grad[j + 1] += u * delta / 2 * u * b;
            }
        }
        return h;
    }

    /**
     * \( \log h(t) \) of one row; with {@code grad}, subtracts \( \partial \log h / \partial \eta_k \)
     * from it (the event term enters the loss with a minus sign).
     */
    private double logHazardAt(double[] eta, double t, double[] grad) {
        int j = interval(t);
        if (j == knots.length - 1 || t == knots[j]) {
            grad[j] -= 1;
            return eta[j];
        }
        double u = (t - knots[j]) / (knots[j + 1] - knots[j]);
        // log((1 - u) e^a + u e^b) as a log-sum-exp around the larger exponent
        double la = Math.log1p(-u) + eta[j];
        double lb = Math.log(u) + eta[j + 1];
        double top = Math.max(la, lb);
        double wa = Math.exp(la - top);
        double wb = Math.exp(lb - top);
        double total = wa + wb;
        grad[j] -= wa / total;
        grad[j + 1] -= wb / total;
        return top + Math.log(total);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GridHazardLikelihood g && Arrays.equals(g.knots, knots) && g.reduction == reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(knots), reduction);
    }

    @Override
    public String toString() {
        return "GridHazardLikelihood(knots=" + Arrays.toString(knots) + ", reduction=" + reduction + ")";
    }
}
