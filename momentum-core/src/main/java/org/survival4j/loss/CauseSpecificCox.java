package org.survival4j.loss;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * The cause-specific Cox loss for competing risks: one log hazard per cause, and the sum over the
 * causes of the Cox partial likelihood of that cause, in which the other causes count as censored
 * (Prentice et al. 1978, doi:10.2307/2530374; Putter, Fiocco and Geskus 2007, doi:10.1002/sim.2712).
 *
 * <p>Rows have a time \( T_i \), a cause \( c_i \in \{0, 1, \dots, K\} \) (0 = censored) and log
 * hazards \( \eta_{ik} \), one per cause \( k \). With \( -\ell_k \) the negative Cox partial
 * log-likelihood of {@link CoxPartialLikelihood} for the log hazards \( \eta_{\cdot k} \) and the
 * events \( \delta_{ik} = \mathbf 1[c_i = k] \),
 * \[ L(\eta) = \sum_{k=1}^K -\ell_k(\eta_{\cdot k}), \qquad
 *    \frac{\partial L}{\partial \eta_{ik}} = \frac{\partial(-\ell_k)}{\partial \eta_{ik}} . \]
 * Each cause has its own risk sets \( \{j : T_j \ge t\} \) (everyone still event-free), its own
 * ties (Efron or Breslow, as R's {@code coxph}) and, with strata, its own risk sets per stratum.
 * The terms are those of R's {@code coxph(Surv(time, cause == k) ~ offset(eta_k), ties = ...)}:
 * minus its log-likelihood and minus its martingale residuals, summed over \( k \).
 *
 * <p>{@link Reduction#SUM} returns \( L \). {@link Reduction#MEAN} divides \( L \) and its gradient
 * by the number of events of all causes together, \( \sum_k \sum_i \delta_{ik} \) (the rows with
 * \( c_i \ne 0 \)); with one cause it is {@link CoxPartialLikelihood}'s MEAN. A cause without
 * events adds 0 and a zero gradient column; a set without any event has loss 0 and a zero
 * gradient (the no-event rule of {@code docs/conventions.md}).
 *
 * <p>Cost: \( K \) Cox passes, \( O(K n \log n) \). Numerics as {@link CoxPartialLikelihood}: any
 * finite log hazards give finite, exact values in double; float inputs are computed in double and
 * the gradient returned in the input's type. Immutable and thread-safe.
 *
 * <pre>{@code
 * CauseSpecificCox loss = new CauseSpecificCox(Ties.EFRON, Reduction.SUM);
 * INDArray logHz = Nd4j.createFromArray(new double[][] {{0.5, 0.0}, {-0.2, 0.3}, {0.0, -0.1}});
 * INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0);
 * INDArray cause = Nd4j.createFromArray(1.0, 2.0, 0.0);
 * double v = loss.value(logHz, time, cause);
 * // cause 1: log(e^0.5 + e^-0.2 + 1) - 0.5; cause 2: log(e^0.3 + e^-0.1) - 0.3; v = 1.2564353
 * INDArray g = loss.gradient(logHz, time, cause); // [3, 2]
 * }</pre>
 *
 * @since 0.3
 */
public final class CauseSpecificCox {
    private final CoxPartialLikelihood perCause;
    private final Reduction reduction;

    /**
     * @param ties how tied event times of one cause are handled
     * @param reduction SUM, or MEAN over the events of all causes
     */
    public CauseSpecificCox(Ties ties, Reduction reduction) {
        this.perCause = new CoxPartialLikelihood(SurvivalArguments.checkNotNull(ties, "ties"), Reduction.SUM);
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
    }

    /** The tie method. */
    public Ties ties() {
        return perCause.ties();
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss value.
     *
     * @param logHz log hazards, {@code [n, K]}, column {@code k - 1} for cause {@code k} ({@code [n]}: one cause)
     * @param time observed times, {@code [n]}, finite and {@code >= 0}
     * @param cause 0 = censored, {@code 1..K} = the cause of the event, {@code [n]}
     * @return the summed negative partial log-likelihoods, reduced
     */
    public double value(INDArray logHz, INDArray time, INDArray cause) {
        return compute(logHz, null, time, cause, null).value();
    }

    /** As {@link #value(INDArray, INDArray, INDArray)}, each stratum with its own risk sets ({@code strata} may be null). */
    public double value(INDArray logHz, INDArray time, INDArray cause, int[] strata) {
        return compute(logHz, null, time, cause, strata).value();
    }

    /** d value / d logHz, same shape and data type as {@code logHz}. */
    public INDArray gradient(INDArray logHz, INDArray time, INDArray cause) {
        return compute(logHz, null, time, cause, null).gradient();
    }

    /** Stratified gradient ({@code strata} may be null). */
    public INDArray gradient(INDArray logHz, INDArray time, INDArray cause, int[] strata) {
        return compute(logHz, null, time, cause, strata).gradient();
    }

    /** Value and gradient in one pass. */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray time, INDArray cause) {
        return compute(logHz, null, time, cause, null);
    }

    /** Value and gradient in one pass, with strata ({@code strata} may be null). */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray time, INDArray cause, int[] strata) {
        return compute(logHz, null, time, cause, strata);
    }

    /**
     * The loss of data in counting-process form: row {@code j} covers {@code (start[j], stop[j]]}
     * and is at risk at {@code t} when {@code start[j] < t <= stop[j]}; {@code cause[j]} is the
     * cause of an event at {@code stop[j]} (0: none). Each cause's term is
     * {@link CoxPartialLikelihood#value(INDArray, INDArray, INDArray, INDArray)}, R's
     * {@code coxph(Surv(start, stop, cause == k) ~ offset(eta_k))}.
     */
    public double value(INDArray logHz, INDArray start, INDArray stop, INDArray cause) {
        return compute(logHz, start, stop, cause, null).value();
    }

    /** As {@link #value(INDArray, INDArray, INDArray, INDArray)}, each stratum with its own risk sets. */
    public double value(INDArray logHz, INDArray start, INDArray stop, INDArray cause, int[] strata) {
        return compute(logHz, start, stop, cause, strata).value();
    }

    /** d value / d logHz of counting-process data, same shape and data type as {@code logHz}. */
    public INDArray gradient(INDArray logHz, INDArray start, INDArray stop, INDArray cause) {
        return compute(logHz, start, stop, cause, null).gradient();
    }

    /** As {@link #gradient(INDArray, INDArray, INDArray, INDArray)} with strata. */
    public INDArray gradient(INDArray logHz, INDArray start, INDArray stop, INDArray cause, int[] strata) {
        return compute(logHz, start, stop, cause, strata).gradient();
    }

    /** Value and gradient of counting-process data in one pass ({@code strata} may be null). */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray start, INDArray stop, INDArray cause,
                                             int[] strata) {
        return compute(logHz, start, stop, cause, strata);
    }

    /**
     * Value over all rows, gradient only for rows {@code firstRow..n-1}, on Java arrays (the form a
     * training loop uses per step; the momentum path puts the memory-bank rows first). The gradient
     * is DOUBLE {@code [n - firstRow, K]}.
     *
     * @param logHz {@code [n][K]} log hazards
     * @param start entry times, or {@code null} for right-censored data (everyone at risk from 0)
     * @param time observed (exit) times
     * @param cause 0..K per row
     * @param strata a stratum label per row, or {@code null}
     * @param firstRow first row whose gradient is returned, in {@code [0, n]}
     */
    public ValueAndGradient valueAndGradient(double[][] logHz, double[] start, double[] time, double[] cause,
                                             int[] strata, int firstRow) {
        double[][] eta = SurvivalArguments.finiteCells(logHz, "logHz");
        int k = eta.length == 0 ? 1 : eta[0].length;
        for (int i = 1; i < eta.length; i++) {
            SurvivalArguments.inRange(eta[i].length, "logHz[" + i + "] length", k, k, true);
        }
        SurvivalArguments.inRange(firstRow, "firstRow", 0, eta.length, true);
        return compute(eta, start, time, cause, strata, firstRow, DataType.DOUBLE, 2);
    }

    private ValueAndGradient compute(INDArray logHz, INDArray start, INDArray time, INDArray cause, int[] strata) {
        SurvivalArguments.checkNotNull(logHz, "logHz");
        int causes = logHz.rank() == 2 ? (int) logHz.size(1) : 1;
        double[][] eta = SurvivalArguments.finiteMatrix(logHz, "logHz", causes);
        int n = eta.length;
        double[] t = SurvivalArguments.time(SurvivalArguments.checkNotNull(time, start == null ? "time" : "stop"),
                start == null ? "time" : "stop", n);
        double[] s = start == null ? null : SurvivalArguments.time(start, "start", n);
        double[] c = SurvivalArguments.finiteVector(cause, "cause");
        return compute(eta, s, t, c, strata, 0, logHz.dataType(), logHz.rank());
    }

    /** Checks the labels, then one {@link CoxPartialLikelihood} pass per cause. */
    private ValueAndGradient compute(double[][] eta, double[] start, double[] time, double[] cause, int[] strata,
                                     int firstRow, DataType type, int rank) {
        int n = eta.length;
        int causes = n == 0 ? 1 : eta[0].length;
        SurvivalArguments.time(time, start == null ? "time" : "stop", n);
        int[] c = SurvivalArguments.cause(cause, "cause", n, causes);
        SurvivalArguments.strata(strata, "strata", n);
        if (start != null) {
            SurvivalArguments.entryTimes(start, time);
        }
        double[] gradient = new double[(n - firstRow) * causes];
        double value = 0;
        int events = 0;
        double[] column = new double[n];
        double[] event = new double[n];
        for (int k = 0; k < causes; k++) {
            for (int i = 0; i < n; i++) {
                column[i] = eta[i][k];
                event[i] = c[i] == k + 1 ? 1 : 0;
            }
            ValueAndGradient term = start == null
                    ? perCause.valueAndGradient(column, time, event, strata, firstRow)
                    : perCause.valueAndGradient(column, start, time, event, strata, firstRow);
            value += term.value();
            events += term.events();
            double[] g = term.gradientValues();
            for (int i = 0; i < g.length; i++) {
                gradient[i * causes + k] = g[i];
            }
        }
        long[] shape = rank == 2 ? new long[] {n - firstRow, causes} : new long[] {n - firstRow};
        return ValueAndGradient.reduced(value, gradient, reduction, events, type, shape, firstRow);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CauseSpecificCox c && c.perCause.equals(perCause) && c.reduction == reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(perCause.ties(), reduction, CauseSpecificCox.class);
    }

    @Override
    public String toString() {
        return "CauseSpecificCox(ties=" + perCause.ties() + ", reduction=" + reduction + ")";
    }
}
