package org.survival4j.loss;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.TimeGroups;

/**
 * The negative Cox partial log-likelihood of log relative hazards, with Efron or Breslow ties and
 * optional strata (Cox 1972; Breslow 1974; Efron 1977).
 *
 * <p>For rows with log hazard \( \eta_i \), time \( T_i \) and event indicator \( \delta_i \), the
 * risk set at time \( t \) is \( R(t) = \{ j : T_j \ge t \} \) by value: a censored row whose
 * time equals an event time is at risk for that event. Without ties,
 * \[ -\ell(\eta) = \sum_{i : \delta_i = 1} \Big[ \log \sum_{j \in R(T_i)} e^{\eta_j} - \eta_i \Big]. \]
 * With \( d \) events at one time, Breslow's method uses the full risk set for each of them and
 * Efron's removes \( l/d \) of the tied events' hazard for the \( l \)-th
 * (\( l = 0, \dots, d-1 \)); both give the values of R's {@code coxph(ties = ...)}. With strata, each
 * stratum has its own risk sets and the log-likelihoods add up. The formulas of the value and the
 * gradient are derived in {@code docs/math/cox.md}.
 *
 * <p>{@link Reduction#SUM} returns \( -\ell \); {@link Reduction#MEAN} divides it (and the gradient)
 * by the number of events. A set without events has loss 0 and a zero gradient, never NaN; check
 * {@link ValueAndGradient#events()} to notice it.
 *
 * <p>Cost: \( O(n \log n) \) time (one sort) and \( O(n) \) memory. Sums are accumulated in a shifted,
 * scaled form, so any finite log hazard (e.g. \( \pm 1000 \)) gives finite, exact results in double
 * precision, and the result is invariant to adding a constant to every log hazard. Float inputs are
 * computed in double and the gradient is returned in the input's data type.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * CoxPartialLikelihood cox = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM);
 * INDArray logHz = Nd4j.createFromArray(0.5, -0.2, 0.0);
 * INDArray time = Nd4j.createFromArray(1.0, 2.0, 2.0);
 * INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0);
 * double v = cox.value(logHz, time, event);      // log(e^0.5 + e^-0.2 + 1) - 0.5 + log(e^-0.2 + 1) + 0.2 = 1.5415589
 * INDArray g = cox.gradient(logHz, time, event); // d v / d logHz, shape [3]
 * }</pre>
 *
 * @since 0.1
 */
public final class CoxPartialLikelihood {
    private final Ties ties;
    private final Reduction reduction;

    /**
     * @param ties how tied event times are handled
     * @param reduction SUM, or MEAN over events
     */
    public CoxPartialLikelihood(Ties ties, Reduction reduction) {
        this.ties = SurvivalArguments.checkNotNull(ties, "ties");
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
    }

    /** Efron ties, MEAN reduction: the usual training loss. */
    public static CoxPartialLikelihood efron() {
        return new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN);
    }

    /** The tie method. */
    public Ties ties() {
        return ties;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss value.
     *
     * @param logHz log relative hazards, {@code [n]} or {@code [n, 1]}
     * @param time observed times, {@code [n]}, finite and {@code >= 0}
     * @param event 1 = event, 0 = censored, {@code [n]}
     * @return the negative partial log-likelihood, reduced
     */
    public double value(INDArray logHz, INDArray time, INDArray event) {
        return value(logHz, time, event, (int[]) null);
    }

    /** As {@link #value(INDArray, INDArray, INDArray)}, each stratum with its own risk sets ({@code strata} may be null). */
    public double value(INDArray logHz, INDArray time, INDArray event, int[] strata) {
        return compute(logHz, time, event, strata, -1).value();
    }

    /** d value / d logHz, same shape and data type as {@code logHz}. */
    public INDArray gradient(INDArray logHz, INDArray time, INDArray event) {
        return gradient(logHz, time, event, (int[]) null);
    }

    /** Stratified gradient ({@code strata} may be null). */
    public INDArray gradient(INDArray logHz, INDArray time, INDArray event, int[] strata) {
        return compute(logHz, time, event, strata, 0).gradient();
    }

    /** Value and gradient in one pass. */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray time, INDArray event) {
        return compute(logHz, time, event, null, 0);
    }

    /**
     * Value over all rows, gradient only for rows {@code firstRow..n-1}: the momentum path puts the
     * memory-bank rows (constants) first and the batch rows last.
     *
     * @param strata a stratum label per row, or {@code null}
     * @param firstRow first row whose gradient is returned, in {@code [0, n]}
     */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray time, INDArray event, int[] strata,
                                             int firstRow) {
        SurvivalArguments.checkNotNull(logHz, "logHz");
        SurvivalArguments.inRange(firstRow, "firstRow", 0, logHz.length(), true);
        return compute(logHz, time, event, strata, firstRow);
    }

    /**
     * As {@link #valueAndGradient(INDArray, INDArray, INDArray, int[], int)} for Java arrays: no
     * ND4J array is read or made (the gradient is {@code [n - firstRow]}, DOUBLE, built only if
     * {@link ValueAndGradient#gradient()} is called). The form a training loop uses per step.
     */
    public ValueAndGradient valueAndGradient(double[] logHz, double[] time, double[] event, int[] strata,
                                             int firstRow) {
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        SurvivalArguments.inRange(firstRow, "firstRow", 0, eta.length, true);
        return compute(eta, SurvivalArguments.time(time, "time", eta.length),
                SurvivalArguments.event(event, "event", eta.length), strata, firstRow, DataType.DOUBLE, 1);
    }

    /**
     * The negative partial log-likelihood of data in counting-process form: row {@code j} covers
     * the interval {@code (start[j], stop[j]]} and is at risk at an event time {@code t} when
     * {@code start[j] < t <= stop[j]}; {@code event[j] = 1} if its event happens at {@code stop[j]}.
     * This is R's {@code coxph(Surv(start, stop, event) ~ ...)}: delayed entry (left truncation) and
     * covariates that change over time (one row per stretch where they are constant). With all
     * starts 0 it equals {@link #value(INDArray, INDArray, INDArray)} with {@code time = stop}.
     *
     * <pre>{@code
     * // subject 1 enters at 2 and has its event at 5; subject 2 is followed from 0 to 4, then from 4 to 9
     * double v = CoxPartialLikelihood.efron().value(Nd4j.createFromArray(0.3, -0.1, 0.2),
     *         Nd4j.createFromArray(2.0, 0.0, 4.0), Nd4j.createFromArray(5.0, 4.0, 9.0),
     *         Nd4j.createFromArray(1.0, 0.0, 0.0));
     * }</pre>
     *
     * @throws IllegalArgumentException naming the row, if a start is negative or not below its stop,
     *     a value is not finite, or an event is not 0 or 1
     */
    public double value(INDArray logHz, INDArray start, INDArray stop, INDArray event) {
        return countingProcess(logHz, start, stop, event, null, false).value();
    }

    /** As {@link #value(INDArray, INDArray, INDArray, INDArray)}, each stratum with its own risk sets. */
    public double value(INDArray logHz, INDArray start, INDArray stop, INDArray event, int[] strata) {
        return countingProcess(logHz, start, stop, event, strata, false).value();
    }

    /** d(value)/d(logHz) for counting-process data, same shape and data type as {@code logHz}. */
    public INDArray gradient(INDArray logHz, INDArray start, INDArray stop, INDArray event) {
        return countingProcess(logHz, start, stop, event, null, true).gradient();
    }

    /** As {@link #gradient(INDArray, INDArray, INDArray, INDArray)} with strata. */
    public INDArray gradient(INDArray logHz, INDArray start, INDArray stop, INDArray event, int[] strata) {
        return countingProcess(logHz, start, stop, event, strata, true).gradient();
    }

    /** Value and gradient of counting-process data in one pass. */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray start, INDArray stop, INDArray event) {
        return countingProcess(logHz, start, stop, event, null, true);
    }

    /** As {@link #valueAndGradient(INDArray, INDArray, INDArray, INDArray)} with strata. */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray start, INDArray stop, INDArray event,
                                             int[] strata) {
        return countingProcess(logHz, start, stop, event, strata, true);
    }

    /**
     * As {@link #valueAndGradient(INDArray, INDArray, INDArray, INDArray, int[])} for Java arrays
     * (the gradient is DOUBLE {@code [n]}): the form a training loop uses per step.
     */
    public ValueAndGradient valueAndGradient(double[] logHz, double[] start, double[] stop, double[] event,
                                             int[] strata) {
        return valueAndGradient(logHz, start, stop, event, strata, 0);
    }

    /**
     * As {@link #valueAndGradient(double[], double[], double[], double[], int[])}, the gradient only
     * for rows {@code firstRow..n-1} (the momentum path: memory-bank rows first, batch rows last).
     */
    public ValueAndGradient valueAndGradient(double[] logHz, double[] start, double[] stop, double[] event,
                                             int[] strata, int firstRow) {
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        int n = eta.length;
        SurvivalArguments.inRange(firstRow, "firstRow", 0, n, true);
        ValueAndGradient all = countingProcess(eta, SurvivalArguments.time(start, "start", n),
                SurvivalArguments.time(stop, "stop", n), SurvivalArguments.event(event, "event", n), strata, true,
                DataType.DOUBLE, 1);
        return firstRow == 0 ? all : all.fromRow(firstRow);
    }

    private ValueAndGradient countingProcess(INDArray logHz, INDArray start, INDArray stop, INDArray event,
                                             int[] strata, boolean withGradient) {
        double[] eta = SurvivalArguments.finiteVector(SurvivalArguments.checkNotNull(logHz, "logHz"), "logHz");
        int n = eta.length;
        return countingProcess(eta, SurvivalArguments.time(start, "start", n), SurvivalArguments.time(stop, "stop", n),
                SurvivalArguments.event(event, "event", n), strata, withGradient, logHz.dataType(), logHz.rank());
    }

    /** The counting-process kernel on checked values. */
    private ValueAndGradient countingProcess(double[] eta, double[] s, double[] t, boolean[] e, int[] strata,
                                             boolean withGradient, DataType type, int rank) {
        int n = eta.length;
        SurvivalArguments.strata(strata, "strata", n);
        SurvivalArguments.entryTimes(s, t);
        double[] grad = withGradient ? new double[n] : null;
        int[] events = new int[1];
        double value = CountingProcessKernel.negativeLogLikelihood(eta, s, t, e, strata, ties, grad, events);
        long[] shape = grad == null ? null : rank == 2 ? new long[] {n, 1} : new long[] {n};
        return ValueAndGradient.reduced(value, grad, reduction, events[0], type, shape, 0);
    }

    /** firstRow &lt; 0 means: no gradient. */
    private ValueAndGradient compute(INDArray logHz, INDArray time, INDArray event, int[] strata, int firstRow) {
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        int n = eta.length;
        return compute(eta, SurvivalArguments.time(time, "time", n), SurvivalArguments.event(event, "event", n),
                strata, firstRow, logHz.dataType(), logHz.rank());
    }

    /** The kernel on checked inputs; the gradient gets the given data type and rank (1 or 2). */
    private ValueAndGradient compute(double[] eta, double[] t, boolean[] e, int[] strata, int firstRow,
                                     DataType type, int rank) {
        SurvivalArguments.strata(strata, "strata", eta.length);
        TimeGroups groups = TimeGroups.of(t, e, strata);
        double[] grad = firstRow < 0 ? null : new double[eta.length - firstRow];
        double value = CoxKernel.negativeLogLikelihood(eta, e, groups, ties, grad, Math.max(firstRow, 0));
        // Without events the kernel's sums are empty: value 0, gradient 0.
        long[] shape = grad == null ? null : rank == 2 ? new long[] {grad.length, 1} : new long[] {grad.length};
        return ValueAndGradient.reduced(value, grad, reduction, groups.events(), type, shape, Math.max(firstRow, 0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoxPartialLikelihood c && c.ties == ties && c.reduction == reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ties, reduction);
    }

    @Override
    public String toString() {
        return "CoxPartialLikelihood(ties=" + ties + ", reduction=" + reduction + ")";
    }
}
