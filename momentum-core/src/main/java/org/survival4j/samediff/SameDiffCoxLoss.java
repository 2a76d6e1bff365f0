package org.survival4j.samediff;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.TimeGroups;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;

/**
 * The negative Cox partial log-likelihood as a SameDiff graph function, differentiable by SameDiff's
 * autodiff with respect to the log relative hazards.
 *
 * <p>It computes the same function as {@link CoxPartialLikelihood} (risk sets by value, Efron or
 * Breslow ties as R's {@code coxph}, strata, SUM or MEAN over events): with \( \eta_i \) the log
 * hazards, \( t_j \) the distinct event times of a stratum, \( d_j \) their numbers of events,
 * \( S_j = \sum_{T_i \ge t_j} e^{\eta_i} \) and \( E_j \) the sum of \( e^{\eta_i} \) over the events
 * at \( t_j \),
 * \[ -\ell = \sum_j \sum_{l=0}^{d_j - 1} \log\Big(S_j - \tfrac{l}{d_j} E_j\Big) - \sum_{i:\delta_i = 1} \eta_i \]
 * (Efron 1977), or with \( \tfrac{l}{d_j} E_j \) dropped (Breslow 1974); the derivation is in
 * {@code docs/math/cox.md}.
 *
 * <p>How the graph is built (see {@link CoxRiskSets} for the label-derived arrays): with
 * \( c = \max_i \eta_i \) (held constant for the gradient; the loss does not depend on it), the
 * weights \( w_i = e^{\eta_i - c} \) are added into risk-set slots by {@code unsortedSegmentSum},
 * cumulative sums over each stratum's event times in descending order (a product with a constant
 * triangular matrix of ones) give the shifted \( S_j \), a second segment sum the shifted
 * \( E_j \), and
 * \[ -\ell = \sum_{l, j} W_{lj} \log\big(M_{lj}(S_j - F_{lj} E_j) + 1 - M_{lj}\big) - \sum_i \delta_i (\eta_i - c) \]
 * with constant weight, mask and fraction matrices \( W, M, F \) (masked entries are \( \log 1 = 0 \)).
 * Only ops whose gradients are correct in DL4J 1.0.0-M2.1 are used: no gather, reverse cumsum,
 * cumsum along a dimension of a matrix, where, sort or log-sum-exp along a dimension. Cost: the
 * label arrays take \( O(n \log n) \) to build in Java; the graph does \( O(n) \) work plus
 * \( O(slots \cdot width) \) for the cumulative sums (width: a stratum's slots, up to
 * {@value #TRIANGULAR_WIDTH}; wider strata use {@code cumsum}, \( O(slots) \)) and
 * \( O(D \cdot slots) \) for the log terms (\( D \) the largest number of tied events with Efron, 1
 * with Breslow), see {@link CoxRiskSets}.
 *
 * <p>Numerical range: every \( w_i \le 1 \). In double precision the result is exact as long as each
 * event's risk set holds a log hazard within about 700 of the overall maximum (so any spread of log
 * hazards up to about 700 is fine; beyond that, risk sets made only of underflowed rows give an
 * infinite loss). In float the limit is about 80. {@link SameDiffMomentum} checks the pooled log
 * hazards against this range before each step and stops with a message naming the event, rather
 * than take a step with NaN gradients.
 *
 * <p>A set without events gives 0 with a zero gradient, never NaN (all weights are 0). MEAN divides
 * by the number of events (by 1 when there are none).
 *
 * <p>Labels that change every iteration do not need a new graph in a manual
 * {@code output}/{@code calculateGradients} loop: build it once on
 * {@link CoxRiskSets#placeholders placeholders} with a fixed slot layout and feed
 * {@link #riskSets(INDArray, int[], int, int)} each iteration (second example). {@code sd.fit}
 * cannot feed such per-iteration placeholders; momentum training with {@code fit} is
 * {@link SameDiffMomentum}, which replaces constants instead.
 *
 * <p>Instances are immutable and thread-safe; the methods add ops to the given {@code SameDiff}, which is not.
 *
 * <pre>{@code
 * SameDiff sd = SameDiff.create();
 * SDVariable logHz = sd.var("logHz", Nd4j.createFromArray(0.5, -0.2, 0.0));
 * INDArray labels = Nd4j.createFromArray(new double[][] {{1, 1}, {2, 1}, {2, 0}}); // (time, event)
 * SDVariable loss = new SameDiffCoxLoss(Ties.EFRON, Reduction.SUM).negativeLogLikelihood(sd, logHz, labels);
 * loss.markAsLoss();
 * loss.eval();                                          // 1.5415589, as CoxPartialLikelihood
 * sd.calculateGradients(Map.of(), "logHz").get("logHz"); // d loss / d logHz
 * }</pre>
 *
 * <pre>{@code
 * SameDiffCoxLoss cox = SameDiffCoxLoss.efron();
 * SDVariable logHz = ...;                     // [n] or [n, 1], e.g. the network output on [bank; batch]
 * CoxRiskSets.Variables in = CoxRiskSets.placeholders(sd, "cox", DataType.FLOAT, 1, rows);
 * SDVariable loss = cox.negativeLogLikelihood(sd, logHz, in);
 * // each iteration, with labels [rows, 2] (any number of rows up to `rows`):
 * Map<String, INDArray> feed = new HashMap<>(cox.riskSets(labels, null, 1, rows).feed(in));
 * }</pre>
 *
 * @since 0.1
 */
public final class SameDiffCoxLoss {
    /** The widest stratum block whose cumulative sums are a matrix product (a constant of width² values). */
    static final int TRIANGULAR_WIDTH = 1024;

    private final Ties ties;
    private final Reduction reduction;

    /**
     * @param ties how tied event times are handled
     * @param reduction SUM, or MEAN over events
     */
    public SameDiffCoxLoss(Ties ties, Reduction reduction) {
        this.ties = SurvivalArguments.checkNotNull(ties, "ties");
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
    }

    /** Efron ties, MEAN reduction: the usual training loss. */
    public static SameDiffCoxLoss efron() {
        return new SameDiffCoxLoss(Ties.EFRON, Reduction.MEAN);
    }

    /** The tie method. */
    public Ties ties() {
        return ties;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /** As {@link #negativeLogLikelihood(SameDiff, SDVariable, INDArray, int[])} without strata. */
    public SDVariable negativeLogLikelihood(SameDiff sd, SDVariable logHz, INDArray labels) {
        return negativeLogLikelihood(sd, logHz, labels, null);
    }

    /**
     * The loss for fixed labels, which enter the graph as constants.
     *
     * @param sd the graph to add the ops to
     * @param logHz log relative hazards, {@code [n]} or {@code [n, 1]}, float or double
     * @param labels {@code [n, 2]}: time (finite, {@code >= 0}) and event (1 = event, 0 = censored);
     *     or counting-process labels {@code [n, 3]}: start, stop, event, a row at risk at t when
     *     {@code start < t <= stop} (each start {@code >= 0} and below its stop)
     * @param strata a stratum label per row, or {@code null}
     * @return a scalar variable of the log hazards' type
     */
    public SDVariable negativeLogLikelihood(SameDiff sd, SDVariable logHz, INDArray labels, int[] strata) {
        SurvivalArguments.checkNotNull(sd, "sd");
        CoxRiskSets riskSets = riskSets(labels, strata, logHz);
        return negativeLogLikelihood(sd, logHz, riskSets.constants(sd, logHz.dataType()));
    }

    /**
     * The label-derived arrays for a graph built on {@link CoxRiskSets#placeholders placeholders}, for
     * this loss's tie method.
     *
     * @param labels {@code [n, 2]}: time and event
     * @param strata a stratum label per row, or {@code null}
     * @param strataSlots the placeholders' number of strata slots
     * @param groupSlots the placeholders' number of event-time slots per stratum
     * @return the arrays, to be fed with {@link CoxRiskSets#feed(CoxRiskSets.Variables)}
     */
    public CoxRiskSets riskSets(INDArray labels, int[] strata, int strataSlots, int groupSlots) {
        SurvivalArguments.atLeast(strataSlots, "strataSlots", 1);
        SurvivalArguments.atLeast(groupSlots, "groupSlots", 1);
        Labels l = Labels.of(labels, null);
        SurvivalArguments.strata(strata, "strata", l.rows());
        return CoxRiskSets.of(l.time, l.event, strata, ties, strataSlots, groupSlots);
    }

    /**
     * The loss on label-derived arrays already in the graph, constants or placeholders. The tie
     * method is the one the arrays were built for; only the reduction is taken from this instance.
     *
     * @param sd the graph to add the ops to
     * @param logHz log relative hazards, {@code [n]} or {@code [n, 1]}
     * @param riskSets from {@link CoxRiskSets#constants} or {@link CoxRiskSets#placeholders}
     * @return a scalar variable of the log hazards' type
     */
    public SDVariable negativeLogLikelihood(SameDiff sd, SDVariable logHz, CoxRiskSets.Variables riskSets) {
        SurvivalArguments.checkNotNull(sd, "sd");
        SurvivalArguments.checkNotNull(logHz, "logHz");
        SurvivalArguments.checkNotNull(riskSets, "riskSets");
        int slots = riskSets.slots();
        SDVariable eta = sd.reshape(logHz, -1);
        SDVariable shift = new StopGradient(sd, sd.max(eta)).outputVariable();
        SDVariable centred = eta.sub(shift);
        SDVariable w = sd.math.exp(centred);

        // Risk-set sums S_j: segment sums per slot, then a forward cumsum over each stratum's slots
        // (event times in descending order); the stratum's extra slot holds rows at risk for no event.
        SDVariable riskSums;
        if (riskSets.atRisk != null) { // counting-process labels: the at-risk matrix times the weights
            riskSums = sd.reshape(sd.mmul(riskSets.atRisk, sd.reshape(w, -1, 1)), 1, slots);
        } else {
            SDVariable slotSums = sd.unsortedSegmentSum(w, riskSets.segment, slots);
            riskSums = sd.reshape(riskSetSums(sd, slotSums, riskSets.strataSlots, riskSets.groupSlots + 1), 1, slots);
        }
        SDVariable tiedSums = sd.reshape(sd.unsortedSegmentSum(w.mul(riskSets.event), riskSets.segment, slots),
                1, slots);

        SDVariable mask = riskSets.mask;
        SDVariable terms = riskSums.sub(riskSets.fraction.mul(tiedSums)).mul(mask).add(mask.rsub(1.0));
        SDVariable logTerms = sd.math.log(terms).mul(riskSets.weight).sum();
        SDVariable nll = logTerms.sub(centred.mul(riskSets.event).sum());
        if (reduction == Reduction.MEAN) {
            SDVariable events = riskSets.event.sum();
            nll = nll.div(sd.math.max(events, sd.constant(1.0).castTo(events.dataType())));
        }
        return nll;
    }

    /**
     * Forward cumulative sums of each stratum's block of {@code width} slots: up to
     * {@value #TRIANGULAR_WIDTH} slots a block, the blocks as the rows of a matrix times a constant
     * upper-triangular matrix of ones ({@code U[k][j] = 1} for {@code k <= j}); wider blocks, one 1-D
     * {@code cumsum} per block. The product because M2.1's {@code cumsum} leaks native memory, about
     * the size of its output per call (a training step runs it and its gradient): a 100,000-step
     * soak crept up by 0.8 KB a step. One {@code cumsum} along a dimension of the matrix
     * would be shorter still, but in M2.1 its gradient is wrong along either dimension; the 1-D
     * gradient is right.
     */
    private static SDVariable riskSetSums(SameDiff sd, SDVariable slotSums, int strataSlots, int width) {
        if (width <= TRIANGULAR_WIDTH) {
            return sd.mmul(sd.reshape(slotSums, strataSlots, width),
                    sd.constant(upperTriangularOnes(width, slotSums.dataType())));
        }
        if (strataSlots == 1) {
            return sd.cumsum(slotSums, false, false, 0);
        }
        SDVariable[] blocks = new SDVariable[strataSlots];
        for (int s = 0; s < strataSlots; s++) {
            blocks[s] = sd.cumsum(sd.slice(slotSums, new int[] {s * width}, width), false, false, 0);
        }
        return sd.concat(0, blocks);
    }

    private static INDArray upperTriangularOnes(int width, DataType type) {
        double[][] u = new double[width][width];
        for (int k = 0; k < width; k++) {
            Arrays.fill(u[k], k, width, 1.0);
        }
        return Nd4j.create(u).castTo(type);
    }

    private CoxRiskSets riskSets(INDArray labels, int[] strata, SDVariable logHz) {
        Labels l = Labels.withEntryTimes(labels, SurvivalArguments.checkNotNull(logHz, "logHz"));
        SurvivalArguments.strata(strata, "strata", l.rows());
        return CoxRiskSets.of(TimeGroups.of(l.time, l.event, strata), l.event, l.start, ties, 0, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SameDiffCoxLoss c && c.ties == ties && c.reduction == reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ties, reduction);
    }

    @Override
    public String toString() {
        return "SameDiffCoxLoss(ties=" + ties + ", reduction=" + reduction + ")";
    }

    /**
     * Fails if the graph, on these values, would leave the documented numerical range: an event
     * whose whole risk set lies more than {@code 700} (double), {@code 80} (float, bfloat16) or
     * {@code 9} (half) below the largest log hazard, so that every shifted weight of the set
     * underflows and the loss is infinite. The closed-form {@link CoxPartialLikelihood} has no such
     * limit; the graph has because DL4J M2.1's ops with correct gradients allow only one shift for all
     * risk sets. One pass over the groups, latest first, per stratum.
     *
     * @param logHz log hazards, {@code [n]}
     * @param event event indicators, {@code [n]}
     * @param start entry times of counting-process rows, or {@code null}
     * @param groups the rows grouped by (stop) time, as for the graph's risk sets
     * @param type the type the graph computes in
     * @throws IllegalArgumentException naming the event, its risk set's largest log hazard and the maximum
     */
    static void checkRange(double[] logHz, double[] event, double[] start, TimeGroups groups, DataType type) {
        // exp(-limit) stays a normal number: about 1e-304, 1.8e-35 and 1.2e-4
        double limit = type == DataType.DOUBLE ? 700 : type == DataType.HALF ? 9 : 80;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logHz) {
            max = Math.max(max, v);
        }
        for (int s = 0; s < groups.strataCount(); s++) {
            double riskSetMax = Double.NEGATIVE_INFINITY; // over the rows with time >= the group's time
            for (int g = groups.stratumEnd(s) - 1; g >= groups.stratumStart(s); g--) {
                if (start == null) { // the risk sets are nested: add the group's rows to the later ones
                    for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                        riskSetMax = Math.max(riskSetMax, logHz[groups.row(p)]);
                    }
                } else { // not nested: the rows with time >= the group's time that entered before it
                    riskSetMax = Double.NEGATIVE_INFINITY;
                    for (int p = groups.groupStart(g); p < groups.groupEnd(groups.stratumEnd(s) - 1); p++) {
                        int row = groups.row(p);
                        if (start[row] < groups.groupTime(g)) {
                            riskSetMax = Math.max(riskSetMax, logHz[row]);
                        }
                    }
                }
                if (groups.eventsInGroup(g) > 0 && riskSetMax < max - limit) {
                    int first = groups.groupStart(g);
                    while (event[groups.row(first)] == 0) {
                        first++;
                    }
                    int row = groups.row(first);
                    throw new IllegalArgumentException("the log hazards are too far apart for the SameDiff Cox graph"
                            + " in " + type + ": the risk set of the event in row " + row + " (time "
                            + groups.groupTime(g) + ") has log hazards of at most " + riskSetMax + ", more than "
                            + (int) limit + " below the largest, " + max + ", so its terms underflow. The network"
                            + " is likely diverging (learning rate too large?); in double the range is 700");
                }
            }
        }
    }
}
