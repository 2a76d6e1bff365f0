package org.survival4j.loss;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SubdistributionRiskSets;
import org.survival4j.data.SurvivalArguments;

/**
 * The negative partial log-likelihood of a Fine-Gray model: a Cox model of the subdistribution
 * hazard of one cause of interest, in which rows that had a competing event stay at risk with
 * inverse-probability-of-censoring weights (Fine and Gray 1999, doi:10.1080/01621459.1999.10474144;
 * Geskus 2011, doi:10.1111/j.1541-0420.2010.01420.x).
 *
 * <p>The user gives the original rows: a log subdistribution hazard \( \eta_j \), a time
 * \( T_j \) and a cause \( c_j \) (0 = censored, any other whole number = the cause of the event);
 * \( k \) is the cause of interest. The loss builds the weights itself, from the Kaplan-Meier
 * estimate \( \hat G \) of the censoring distribution of the rows it is given (per stratum), as
 * R's {@code finegray()} does: at an event time \( t \) of cause \( k \) a row with
 * \( T_j \ge t \) counts with weight 1 and a row that had a competing event before \( t \) with
 * weight \( \hat G(t-)/\hat G(T_j-) \) (see {@link SubdistributionRiskSets}). With the weighted
 * risk-set sums \( S_g \) and the events \( D_g \) of cause \( k \) at time \( t_g \),
 * \[ -\ell(\eta) = \sum_g \Big[ \sum_{l=0}^{d_g-1} \log\big(S_g - \tfrac{l}{d_g} E_g\big) - \sum_{i \in D_g} \eta_i \Big] \]
 * (Efron; Breslow drops \( \tfrac{l}{d_g} E_g \)). Value and gradient are those of
 * {@code coxph(Surv(fgstart, fgstop, fgstatus) ~ offset(eta), weights = fgwt, ties = ...)} on
 * {@code finegray(Surv(time, factor(cause)) ~ ., etype = k)}'s output, the gradient of a row being
 * the sum over its expanded rows; the golden tests match R to 1e-11. The weights depend on the
 * labels only and are held constant in the gradient, as in R.
 *
 * <p>The censoring estimate comes from the rows of the call. In mini-batch training that is the
 * batch (or, with momentum, the bank and the batch): an estimate from fewer rows than the whole
 * training set, as every other part of a mini-batch partial likelihood is.
 *
 * <p>{@link Reduction#SUM} returns \( -\ell \); {@link Reduction#MEAN} divides it and its gradient
 * by the number of events of cause \( k \). Without such an event the loss is 0 with a zero
 * gradient. With strata, each stratum has its own \( \hat G \) and its own risk sets
 * ({@code strata()} in both {@code finegray} and {@code coxph}). Cost: \( O(n \log n) \); the
 * expanded data are never built. Any finite log hazards give finite values in double. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * FineGray fg = new FineGray(1, Ties.EFRON, Reduction.SUM);
 * INDArray logHz = Nd4j.createFromArray(0.2, -0.4, 0.1, 0.0);
 * INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0);
 * INDArray cause = Nd4j.createFromArray(2.0, 0.0, 1.0, 0.0);
 * // at t = 3 the risk set is rows 2, 3 and row 0 (competing at 1) with weight G(3-)/G(1-) = 2/3
 * double v = fg.value(logHz, time, cause); // log(e^0.1 + 1 + 2/3 e^0.2) - 0.1 = 0.9713916
 * }</pre>
 *
 * @since 0.3
 */
public final class FineGray {
    private final int cause;
    private final Ties ties;
    private final Reduction reduction;

    /**
     * @param cause the cause of interest, {@code >= 1}
     * @param ties how tied event times of that cause are handled
     * @param reduction SUM, or MEAN over the events of the cause of interest
     */
    public FineGray(int cause, Ties ties, Reduction reduction) {
        this.cause = SurvivalArguments.atLeast(cause, "cause", 1);
        this.ties = SurvivalArguments.checkNotNull(ties, "ties");
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
    }

    /** The cause of interest. */
    public int cause() {
        return cause;
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
     * @param logHz log subdistribution hazards of the cause of interest, {@code [n]} or {@code [n, 1]}
     * @param time observed times, {@code [n]}, finite and {@code >= 0}
     * @param cause 0 = censored, otherwise the cause of the event (a whole number), {@code [n]}
     * @return the negative partial log-likelihood, reduced
     */
    public double value(INDArray logHz, INDArray time, INDArray cause) {
        return compute(logHz, time, cause, null, false).value();
    }

    /** As {@link #value(INDArray, INDArray, INDArray)}, each stratum with its own censoring estimate and risk sets. */
    public double value(INDArray logHz, INDArray time, INDArray cause, int[] strata) {
        return compute(logHz, time, cause, strata, false).value();
    }

    /** d value / d logHz, same shape and data type as {@code logHz}. */
    public INDArray gradient(INDArray logHz, INDArray time, INDArray cause) {
        return compute(logHz, time, cause, null, true).gradient();
    }

    /** Stratified gradient ({@code strata} may be null). */
    public INDArray gradient(INDArray logHz, INDArray time, INDArray cause, int[] strata) {
        return compute(logHz, time, cause, strata, true).gradient();
    }

    /** Value and gradient in one pass ({@code strata} may be null). */
    public ValueAndGradient valueAndGradient(INDArray logHz, INDArray time, INDArray cause, int[] strata) {
        return compute(logHz, time, cause, strata, true);
    }

    /**
     * Value over all rows, gradient only for rows {@code firstRow..n-1}, on Java arrays (the form a
     * training loop uses per step; the momentum path puts the memory-bank rows first). The gradient
     * is DOUBLE {@code [n - firstRow]}.
     */
    public ValueAndGradient valueAndGradient(double[] logHz, double[] time, double[] cause, int[] strata,
                                             int firstRow) {
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        SurvivalArguments.inRange(firstRow, "firstRow", 0, eta.length, true);
        return compute(eta, time, cause, strata, firstRow, DataType.DOUBLE, 1);
    }

    private ValueAndGradient compute(INDArray logHz, INDArray time, INDArray cause, int[] strata, boolean gradient) {
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        int n = eta.length;
        return compute(eta, SurvivalArguments.time(time, "time", n), SurvivalArguments.finiteVector(cause, "cause"),
                strata, gradient ? 0 : -1, logHz.dataType(), logHz.rank());
    }

    /** firstRow &lt; 0: no gradient. */
    private ValueAndGradient compute(double[] eta, double[] time, double[] cause, int[] strata, int firstRow,
                                     DataType type, int rank) {
        int n = eta.length;
        SurvivalArguments.time(time, "time", n);
        int[] c = SurvivalArguments.anyCause(cause, "cause", n);
        SurvivalArguments.strata(strata, "strata", n);
        SubdistributionRiskSets riskSets = SubdistributionRiskSets.of(time, c, this.cause, strata);
        double[] grad = firstRow < 0 ? null : new double[n - firstRow];
        double value = FineGrayKernel.negativeLogLikelihood(eta, riskSets, ties, grad, Math.max(firstRow, 0));
        long[] shape = grad == null ? null : rank == 2 ? new long[] {grad.length, 1} : new long[] {grad.length};
        return ValueAndGradient.reduced(value, grad, reduction, riskSets.groups().events(), type, shape,
                Math.max(firstRow, 0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FineGray f && f.cause == cause && f.ties == ties && f.reduction == reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cause, ties, reduction);
    }

    @Override
    public String toString() {
        return "FineGray(cause=" + cause + ", ties=" + ties + ", reduction=" + reduction + ")";
    }
}
