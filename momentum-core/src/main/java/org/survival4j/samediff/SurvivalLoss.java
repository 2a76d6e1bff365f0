package org.survival4j.samediff;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.WeibullLikelihood;

/**
 * The survival loss that {@link SameDiffMomentum} minimises over the pooled rows
 * [memory bank ; batch]: a Cox partial likelihood (one output column, the log relative hazard) or a
 * Weibull likelihood (two output columns, log scale and log shape; one column for the exponential
 * model).
 *
 * <p>It names a graph function ({@link SameDiffCoxLoss} or {@link SameDiffWeibullLoss}) and the
 * closed-form kernel of the same function ({@link CoxPartialLikelihood}, {@link WeibullLikelihood}),
 * which the momentum listener uses to report the loss of each iteration. The reduction defaults to
 * MEAN: over the events of the pooled rows (Cox) or over the pooled rows (Weibull).
 *
 * <pre>{@code
 * SurvivalLoss cox = SurvivalLoss.cox(Ties.EFRON);        // 1 output column
 * SurvivalLoss weibull = SurvivalLoss.weibull();          // 2 output columns
 * cox.columns();                                          // 1
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SurvivalLoss {
    /** Which family a loss belongs to; its name is what a checkpoint stores. */
    enum Kind { COX, WEIBULL, EXPONENTIAL }

    private final Kind kind;
    private final Ties ties;
    private final Reduction reduction;

    private SurvivalLoss(Kind kind, Ties ties, Reduction reduction) {
        this.kind = kind;
        this.ties = ties;
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
    }

    /** The Cox partial likelihood with the given ties, MEAN over events. */
    public static SurvivalLoss cox(Ties ties) {
        return cox(ties, Reduction.MEAN);
    }

    /** The Cox partial likelihood. */
    public static SurvivalLoss cox(Ties ties, Reduction reduction) {
        return new SurvivalLoss(Kind.COX, SurvivalArguments.checkNotNull(ties, "ties"), reduction);
    }

    /** The Weibull likelihood on (log scale, log shape), MEAN over rows. */
    public static SurvivalLoss weibull() {
        return weibull(Reduction.MEAN);
    }

    /** The Weibull likelihood on (log scale, log shape). */
    public static SurvivalLoss weibull(Reduction reduction) {
        return new SurvivalLoss(Kind.WEIBULL, null, reduction);
    }

    /** The exponential likelihood (Weibull with shape 1) on one column, the log scale; MEAN over rows. */
    public static SurvivalLoss exponential() {
        return exponential(Reduction.MEAN);
    }

    /** The exponential likelihood (Weibull with shape 1) on one column, the log scale. */
    public static SurvivalLoss exponential(Reduction reduction) {
        return new SurvivalLoss(Kind.EXPONENTIAL, null, reduction);
    }

    /** Rebuilds a loss from its {@link #kind}, ties (null unless Cox) and reduction; for checkpoints. */
    static SurvivalLoss of(Kind kind, Ties ties, Reduction reduction) {
        return kind == Kind.COX ? cox(ties, reduction) : new SurvivalLoss(kind, null, reduction);
    }

    Kind kind() {
        return kind;
    }

    /** The tie method of a Cox loss; {@code null} for the Weibull losses. */
    public Ties ties() {
        return ties;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /** The number of output columns the loss reads: 1 (Cox, exponential) or 2 (Weibull). */
    public int columns() {
        return kind == Kind.WEIBULL ? 2 : 1;
    }

    /** Whether this is a Cox loss (whose labels enter the graph as risk-set arrays). */
    boolean isCox() {
        return kind == Kind.COX;
    }

    SameDiffCoxLoss coxGraph() {
        return new SameDiffCoxLoss(ties, reduction);
    }

    SameDiffWeibullLoss weibullGraph() {
        return kind == Kind.EXPONENTIAL ? SameDiffWeibullLoss.exponential(reduction)
                : new SameDiffWeibullLoss(reduction);
    }

    /**
     * The loss value by the closed-form kernel, in double precision.
     *
     * @param outputs {@code [n, columns()]} model outputs (any floating-point type)
     * @param time {@code [n]} times
     * @param event {@code [n]} events, 1 or 0
     */
    double value(double[] outputs, double[] time, double[] event) {
        INDArray out = Nd4j.createFromArray(outputs).reshape(time.length, columns());
        INDArray t = Nd4j.createFromArray(time);
        INDArray e = Nd4j.createFromArray(event);
        return isCox() ? new CoxPartialLikelihood(ties, reduction).value(out, t, e)
                : new WeibullLikelihood(reduction).value(out, t, e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SurvivalLoss l && l.kind == kind && l.ties == ties && l.reduction == reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ties, reduction);
    }

    @Override
    public String toString() {
        return "SurvivalLoss(" + kind + (ties != null ? ", ties=" + ties : "") + ", reduction=" + reduction + ")";
    }
}
