package org.survival4j.samediff;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.loss.WeibullLikelihood;

/**
 * The survival loss that {@link SameDiffMomentum} minimises over the pooled rows
 * [memory bank ; batch]: a Cox partial likelihood (one output column, the log relative hazard), a
 * Weibull likelihood (two output columns, log scale and log shape; one column for the exponential
 * model) or the likelihood of log hazards on a time grid (one column per knot).
 *
 * <p>It names a graph function ({@link SameDiffCoxLoss}, {@link SameDiffWeibullLoss},
 * {@link SameDiffGridHazardLoss}) and the closed-form kernel of the same function
 * ({@link CoxPartialLikelihood}, {@link WeibullLikelihood}, {@link GridHazardLikelihood}), which the
 * momentum listener uses to report the loss of each iteration. The reduction defaults to MEAN: over
 * the events of the pooled rows (Cox) or over the pooled rows (the others). Weibull and grid hazards
 * are sums over rows: the bank only adds constants to their loss (see the user guide).
 *
 * <pre>{@code
 * SurvivalLoss cox = SurvivalLoss.cox(Ties.EFRON);                       // 1 output column
 * SurvivalLoss weibull = SurvivalLoss.weibull();                         // 2 output columns
 * SurvivalLoss grid = SurvivalLoss.gridHazard(new double[] {0, 1, 2, 5}); // 4 output columns
 * cox.columns();                                                         // 1
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SurvivalLoss {
    /** Which family a loss belongs to; its name is what a checkpoint stores. */
    enum Kind { COX, WEIBULL, EXPONENTIAL, GRID }

    private final Kind kind;
    private final Ties ties;
    private final Reduction reduction;
    private final double[] knots; // GRID only

    private SurvivalLoss(Kind kind, Ties ties, Reduction reduction, double[] knots) {
        this.kind = kind;
        this.ties = ties;
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
        this.knots = knots;
        if (kind == Kind.GRID) {
            new GridHazardLikelihood(knots, reduction); // checks the knots
        }
    }

    /** The Cox partial likelihood with the given ties, MEAN over events. */
    public static SurvivalLoss cox(Ties ties) {
        return cox(ties, Reduction.MEAN);
    }

    /** The Cox partial likelihood. */
    public static SurvivalLoss cox(Ties ties, Reduction reduction) {
        return new SurvivalLoss(Kind.COX, SurvivalArguments.checkNotNull(ties, "ties"), reduction, null);
    }

    /** The Weibull likelihood on (log scale, log shape), MEAN over rows. */
    public static SurvivalLoss weibull() {
        return weibull(Reduction.MEAN);
    }

    /** The Weibull likelihood on (log scale, log shape). */
    public static SurvivalLoss weibull(Reduction reduction) {
        return new SurvivalLoss(Kind.WEIBULL, null, reduction, null);
    }

    /** The exponential likelihood (Weibull with shape 1) on one column, the log scale; MEAN over rows. */
    public static SurvivalLoss exponential() {
        return exponential(Reduction.MEAN);
    }

    /** The exponential likelihood (Weibull with shape 1) on one column, the log scale. */
    public static SurvivalLoss exponential(Reduction reduction) {
        return new SurvivalLoss(Kind.EXPONENTIAL, null, reduction, null);
    }

    /**
     * The likelihood of log hazards at the knots, MEAN over rows: the output has one column per knot
     * ({@link GridHazardLikelihood}).
     *
     * @param knots strictly increasing, finite, {@code knots[0] == 0}
     */
    public static SurvivalLoss gridHazard(double[] knots) {
        return gridHazard(knots, Reduction.MEAN);
    }

    /** The likelihood of log hazards at the knots ({@link GridHazardLikelihood}). */
    public static SurvivalLoss gridHazard(double[] knots, Reduction reduction) {
        return new SurvivalLoss(Kind.GRID, null, reduction, SurvivalArguments.checkNotNull(knots, "knots").clone());
    }

    /**
     * Rebuilds a loss from its {@link #kind}, ties (null unless Cox), reduction and knots (null
     * unless grid); for checkpoints.
     */
    static SurvivalLoss of(Kind kind, Ties ties, Reduction reduction, double[] knots) {
        return kind == Kind.COX ? cox(ties, reduction)
                : kind == Kind.GRID ? gridHazard(knots, reduction) : new SurvivalLoss(kind, null, reduction, null);
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

    /** A copy of the knots of a grid-hazard loss; {@code null} for the others. */
    public double[] knots() {
        return knots == null ? null : knots.clone();
    }

    /** The number of output columns the loss reads: 1 (Cox, exponential), 2 (Weibull) or one per knot. */
    public int columns() {
        return kind == Kind.WEIBULL ? 2 : kind == Kind.GRID ? knots.length : 1;
    }

    /** Whether this is a Cox loss (whose labels enter the graph as risk-set arrays). */
    boolean isCox() {
        return kind == Kind.COX;
    }

    SameDiffCoxLoss coxGraph() {
        return new SameDiffCoxLoss(ties, reduction);
    }

    /** The graph of a loss that is a sum over rows (not Cox), on [output rows ; their labels]. */
    SDVariable rowGraph(SameDiff sd, SDVariable output, SDVariable labels) {
        return switch (kind) {
            case EXPONENTIAL -> SameDiffWeibullLoss.exponential(reduction).negativeLogLikelihood(sd, output, labels);
            case WEIBULL -> new SameDiffWeibullLoss(reduction).negativeLogLikelihood(sd, output, labels);
            case GRID -> new SameDiffGridHazardLoss(knots, reduction).negativeLogLikelihood(sd, output, labels);
            case COX -> throw new IllegalStateException("the Cox likelihood is not a sum over rows");
        };
    }

    /**
     * Refuses pooled outputs that would overflow the graph in {@code type}, before the step (a
     * sum-over-rows loss; the Cox range check needs the risk sets, see {@link SameDiffCoxLoss}).
     *
     * @param outputs {@code [n, columns()]} outputs, row-major
     */
    void checkRowRange(double[] outputs, double[] time, DataType type) {
        if (kind == Kind.GRID) {
            SameDiffGridHazardLoss.checkRange(rows(outputs, time.length), type);
        } else {
            SameDiffWeibullLoss.checkRange(rows(outputs, time.length), time, type);
        }
    }

    /**
     * The loss value by the closed-form kernel, in double precision.
     *
     * @param outputs {@code [n, columns()]} model outputs, row-major
     * @param start {@code [n]} entry times (Cox with counting-process labels), or null
     * @param time {@code [n]} times
     * @param event {@code [n]} events, 1 or 0
     */
    double value(double[] outputs, double[] start, double[] time, double[] event) {
        return valueAndGradient(outputs, start, time, event, null, time.length).value();
    }

    /**
     * The loss value over all rows and its gradient with respect to the outputs of rows
     * {@code firstRow..n-1}, by the closed-form kernel in double precision: what the kernel-gradient
     * form of {@link SameDiffMomentum} and {@link KernelGradientLoss} feed into the graph.
     *
     * @param outputs {@code [n, columns()]} model outputs, row-major
     * @param start {@code [n]} entry times (Cox with counting-process labels), or null
     * @param time {@code [n]} times
     * @param event {@code [n]} events, 1 or 0
     * @param strata a stratum label per row (Cox only), or null
     * @param firstRow the first row whose gradient is wanted (momentum: the number of bank rows)
     * @return the gradient values are row-major, {@code (n - firstRow) * columns()} of them
     */
    ValueAndGradient valueAndGradient(double[] outputs, double[] start, double[] time, double[] event, int[] strata,
                                      int firstRow) {
        if (kind == Kind.COX) {
            CoxPartialLikelihood cox = new CoxPartialLikelihood(ties, reduction);
            return start == null ? cox.valueAndGradient(outputs, time, event, strata, firstRow)
                    : cox.valueAndGradient(outputs, start, time, event, strata, firstRow);
        }
        if (strata != null) {
            throw new IllegalArgumentException("strata are for the Cox loss, not " + this);
        }
        double[][] rows = rows(outputs, time.length);
        return kind == Kind.GRID ? new GridHazardLikelihood(knots, reduction).valueAndGradient(rows, time, event, firstRow)
                : new WeibullLikelihood(reduction).valueAndGradient(rows, time, event, firstRow);
    }

    /** Row-major values as {@code n} rows of {@link #columns()}. */
    private double[][] rows(double[] flat, int n) {
        int columns = columns();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * columns, (i + 1) * columns);
        }
        return rows;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SurvivalLoss l && l.kind == kind && l.ties == ties && l.reduction == reduction
                && Arrays.equals(l.knots, knots);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ties, reduction, Arrays.hashCode(knots));
    }

    @Override
    public String toString() {
        return "SurvivalLoss(" + kind + (ties != null ? ", ties=" + ties : "")
                + (knots != null ? ", knots=" + Arrays.toString(knots) : "") + ", reduction=" + reduction + ")";
    }
}
