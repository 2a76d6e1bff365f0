package org.survival4j.samediff;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.CauseSpecificCox;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.DeepHit;
import org.survival4j.loss.FineGray;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.loss.WeibullLikelihood;

/**
 * The survival loss that {@link SameDiffMomentum} minimises over the pooled rows
 * [memory bank ; batch], or {@link KernelGradientLoss} over each batch: a Cox partial likelihood
 * (one output column, the log relative hazard), a Weibull likelihood (two output columns, log scale
 * and log shape; one column for the exponential model) or the likelihood of log hazards on a time
 * grid (one column per knot); and, with the kernel gradient only ({@link KernelGradientLoss}, and
 * {@link SameDiffMomentum}'s default form), the competing-risks losses
 * ({@link CauseSpecificCox}, {@link FineGray}, {@link DeepHit}), whose labels carry a cause code
 * (0 = censored, 1..K) in place of the event indicator.
 *
 * <p>It names the closed-form kernel ({@link CoxPartialLikelihood}, {@link WeibullLikelihood},
 * {@link GridHazardLikelihood}, and the competing-risks ones), whose gradient the kernel-gradient
 * form feeds into the graph and whose value is reported, and for the first four a graph function
 * of the same likelihood ({@link SameDiffCoxLoss}, {@link SameDiffWeibullLoss},
 * {@link SameDiffGridHazardLoss}) for momentum's graph form. The reduction defaults to MEAN: over
 * the events of the pooled rows (Cox) or over the pooled rows (the others). Weibull and grid hazards
 * are sums over rows: the bank only adds constants to their loss (see the user guide).
 *
 * <pre>{@code
 * SurvivalLoss cox = SurvivalLoss.cox(Ties.EFRON);                       // 1 output column
 * SurvivalLoss weibull = SurvivalLoss.weibull();                         // 2 output columns
 * SurvivalLoss grid = SurvivalLoss.gridHazard(new double[] {0, 1, 2, 5}); // 4 output columns
 * SurvivalLoss csc = SurvivalLoss.causeSpecificCox(2, Ties.EFRON, Reduction.MEAN); // 2 columns, causes 0..2
 * cox.columns();                                                         // 1
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SurvivalLoss {
    /** Which family a loss belongs to; its name is what a checkpoint stores. */
    enum Kind { COX, WEIBULL, EXPONENTIAL, GRID, CAUSE_SPECIFIC_COX, FINE_GRAY, DEEP_HIT }

    private final Kind kind;
    private final Ties ties;
    private final Reduction reduction;
    private final double[] knots;    // GRID only
    private final Object competing;  // the competing-risks kernel, or null
    private final int columns;

    private SurvivalLoss(Kind kind, Ties ties, Reduction reduction, double[] knots) {
        this(kind, ties, reduction, knots, null, kind == Kind.WEIBULL ? 2 : kind == Kind.GRID ? knots.length : 1);
    }

    private SurvivalLoss(Kind kind, Ties ties, Reduction reduction, double[] knots, Object competing, int columns) {
        this.kind = kind;
        this.ties = ties;
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
        this.knots = knots;
        this.competing = competing;
        this.columns = columns;
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
     * Cause-specific Cox partial likelihoods of {@code causes} competing causes
     * ({@link CauseSpecificCox}): one log hazard column per cause; labels (time, cause) or, with a
     * 3-column labels placeholder, (start, stop, cause), the cause 0 (censored) to {@code causes}.
     * Kernel gradient only (no graph form).
     *
     * @param reduction SUM, or MEAN over the events of all causes
     */
    public static SurvivalLoss causeSpecificCox(int causes, Ties ties, Reduction reduction) {
        SurvivalArguments.atLeast(causes, "causes", 1);
        return new SurvivalLoss(Kind.CAUSE_SPECIFIC_COX, SurvivalArguments.checkNotNull(ties, "ties"), reduction, null,
                new CauseSpecificCox(ties, reduction), causes);
    }

    /**
     * The Fine-Gray partial likelihood of the subdistribution hazard of one cause ({@link FineGray}):
     * one column; labels (time, cause), any number of causes. Kernel
     * gradient only (no graph form).
     *
     * @param cause the cause of interest, at least 1
     * @param reduction SUM, or MEAN over the events of the cause of interest
     */
    public static SurvivalLoss fineGray(int cause, Ties ties, Reduction reduction) {
        return new SurvivalLoss(Kind.FINE_GRAY, SurvivalArguments.checkNotNull(ties, "ties"), reduction, null,
                new FineGray(cause, ties, reduction), 1);
    }

    /**
     * The DeepHit loss on a time grid ({@link DeepHit}): {@code causes * intervals} logit columns,
     * cause-major; labels (grid interval index 0 to {@code intervals - 1}, cause 0 to {@code causes}).
     * Kernel gradient only (no graph form).
     *
     * @param alpha the weight of the likelihood against the ranking term, in [0, 1]
     * @param sigma the ranking term's scale, positive
     */
    public static SurvivalLoss deepHit(int causes, int intervals, double alpha, double sigma, Reduction reduction) {
        SurvivalArguments.atLeast(intervals, "intervals", 1);
        DeepHit deepHit = new DeepHit(causes, alpha, sigma, reduction);
        return new SurvivalLoss(Kind.DEEP_HIT, null, reduction, null, deepHit, causes * intervals);
    }

    /**
     * Rebuilds a loss from its {@link #kind}, ties (null unless Cox-type), reduction, knots (null
     * unless grid) and, for the competing-risks losses, the {@link #competingSettings()} it was
     * saved with; for checkpoints.
     *
     * @param competing the competing-risks settings by name (an absent one is refused by name)
     */
    static SurvivalLoss of(Kind kind, Ties ties, Reduction reduction, double[] knots, Map<String, Double> competing) {
        return switch (kind) {
            case COX -> cox(ties, reduction);
            case GRID -> gridHazard(knots, reduction);
            case WEIBULL, EXPONENTIAL -> new SurvivalLoss(kind, null, reduction, null);
            case CAUSE_SPECIFIC_COX -> causeSpecificCox(wholeSetting(competing, "causes"), ties, reduction);
            case FINE_GRAY -> fineGray(wholeSetting(competing, "cause"), ties, reduction);
            case DEEP_HIT -> deepHit(wholeSetting(competing, "causes"), wholeSetting(competing, "intervals"),
                    setting(competing, "alpha"), setting(competing, "sigma"), reduction);
        };
    }

    /**
     * What a checkpoint must store besides kind, ties, reduction and knots to rebuild this loss with
     * {@link #of}: the causes (cause-specific Cox, DeepHit), the cause of interest (Fine-Gray),
     * DeepHit's intervals, alpha and sigma; empty for the other losses.
     */
    Map<String, Number> competingSettings() {
        Map<String, Number> settings = new LinkedHashMap<>();
        if (competing instanceof CauseSpecificCox) {
            settings.put("causes", columns);
        } else if (competing instanceof FineGray f) {
            settings.put("cause", f.cause());
        } else if (competing instanceof DeepHit d) {
            settings.put("causes", d.causes());
            settings.put("intervals", columns / d.causes());
            settings.put("alpha", d.alpha());
            settings.put("sigma", d.sigma());
        }
        return settings;
    }

    private static double setting(Map<String, Double> settings, String name) {
        Double value = settings.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the loss has no setting \"" + name + "\"");
        }
        return value;
    }

    private static int wholeSetting(Map<String, Double> settings, String name) {
        double value = setting(settings, name);
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the loss setting \"" + name + "\" is " + value + ", not a whole number");
        }
        return (int) value;
    }

    Kind kind() {
        return kind;
    }

    /** The tie method of a Cox-type loss; {@code null} for the others. */
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

    /**
     * The number of output columns the loss reads: 1 (Cox, exponential, Fine-Gray), 2 (Weibull), one
     * per knot (grid), one per cause (cause-specific Cox), causes times intervals (DeepHit).
     */
    public int columns() {
        return columns;
    }

    /** Whether this is a Cox loss (whose labels enter the graph as risk-set arrays). */
    boolean isCox() {
        return kind == Kind.COX;
    }

    /** Whether the labels' second column is a cause code (0 = censored, 1..K) rather than an event indicator. */
    boolean competingRisks() {
        return competing != null;
    }

    /**
     * The largest code the labels' event column may hold, as the memory bank keeps it: 1 (event
     * indicators), the causes of cause-specific Cox and DeepHit, or
     * {@link SurvivalArguments#ANY_CAUSE} for Fine-Gray (any other cause competes).
     */
    int eventCodes() {
        return switch (kind) {
            case CAUSE_SPECIFIC_COX -> columns;
            case DEEP_HIT -> ((DeepHit) competing).causes();
            case FINE_GRAY -> SurvivalArguments.ANY_CAUSE;
            default -> 1;
        };
    }

    /**
     * Whether the loss is a partial likelihood that is 0 with a zero gradient on rows without an
     * event of any cause (Cox, cause-specific Cox): momentum counts such steps, as the DL4J side does.
     */
    boolean partialLikelihood() {
        return kind == Kind.COX || kind == Kind.CAUSE_SPECIFIC_COX;
    }

    /** Whether labels may be counting-process (start, stop, event or cause): the Cox and cause-specific Cox losses. */
    boolean takesEntryTimes() {
        return kind == Kind.COX || kind == Kind.CAUSE_SPECIFIC_COX;
    }

    /** Whether the loss takes strata: the Cox-type losses. */
    boolean takesStrata() {
        return ties != null;
    }

    /**
     * Whether outputs can make the loss's gradient overflow a float graph: the losses of
     * {@code exp(output)} summed over time (Weibull, grid); the Cox-type gradients are bounded by
     * the events, DeepHit's by its softmax.
     */
    boolean mayOverflow() {
        return kind == Kind.WEIBULL || kind == Kind.EXPONENTIAL || kind == Kind.GRID;
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
            default -> throw new IllegalStateException(this + " has no graph function of the rows");
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
     * @param event {@code [n]} events, 1 or 0; for the competing-risks losses the cause codes
     * @param strata a stratum label per row (Cox-type losses only), or null
     * @param firstRow the first row whose gradient is wanted (momentum: the number of bank rows)
     * @return the gradient values are row-major, {@code (n - firstRow) * columns()} of them
     */
    ValueAndGradient valueAndGradient(double[] outputs, double[] start, double[] time, double[] event, int[] strata,
                                      int firstRow) {
        if (strata != null && !takesStrata() || start != null && !takesEntryTimes()) {
            throw new IllegalArgumentException((strata != null ? "strata" : "entry times") + " are not for " + this);
        }
        return switch (kind) {
            case COX -> start == null
                    ? new CoxPartialLikelihood(ties, reduction).valueAndGradient(outputs, time, event, strata, firstRow)
                    : new CoxPartialLikelihood(ties, reduction).valueAndGradient(outputs, start, time, event, strata,
                            firstRow);
            case FINE_GRAY -> ((FineGray) competing).valueAndGradient(outputs, time, event, strata, firstRow);
            case CAUSE_SPECIFIC_COX -> ((CauseSpecificCox) competing).valueAndGradient(rows(outputs, time.length), start,
                    time, event, strata, firstRow);
            case DEEP_HIT -> ((DeepHit) competing).valueAndGradient(rows(outputs, time.length), time, event, firstRow);
            case GRID -> new GridHazardLikelihood(knots, reduction).valueAndGradient(rows(outputs, time.length), time,
                    event, firstRow);
            case WEIBULL, EXPONENTIAL -> new WeibullLikelihood(reduction).valueAndGradient(rows(outputs, time.length),
                    time, event, firstRow);
        };
    }

    /** Row-major values as {@code n} rows of {@link #columns()}. */
    private double[][] rows(double[] flat, int n) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * columns, (i + 1) * columns);
        }
        return rows;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SurvivalLoss l && l.kind == kind && l.ties == ties && l.reduction == reduction
                && Arrays.equals(l.knots, knots) && Objects.equals(l.competing, competing) && l.columns == columns;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ties, reduction, Arrays.hashCode(knots), competing, columns);
    }

    @Override
    public String toString() {
        return "SurvivalLoss(" + kind + (ties != null ? ", ties=" + ties : "")
                + (knots != null ? ", knots=" + Arrays.toString(knots) : "")
                + (competing != null ? ", " + competing + ", columns=" + columns : "") + ", reduction=" + reduction + ")";
    }
}
