package org.survival4j.samediff;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.TimeGroups;
import org.survival4j.loss.Ties;

/**
 * The label-derived arrays that the SameDiff Cox graph of {@link SameDiffCoxLoss} consumes: which
 * risk-set slot each row adds to, and the weights and Efron fractions of every log term.
 *
 * <p>Only the event times matter, so the graph works on <em>slots</em>: each stratum has a block of
 * {@code groupSlots + 1} slots, the first ones for its distinct event times in <em>descending</em>
 * order (slot {@code s * (groupSlots + 1) + j} for the \( j \)-th latest event time of stratum
 * \( s \)), the last one extra. Each row \( i \) adds \( w_i = e^{\eta_i - c} \) to the slot of the
 * latest event time \( \le T_i \) of its stratum; a row earlier than every event of its stratum (at
 * risk for none of them) goes to the extra slot. A forward cumulative sum over each block then gives
 * the risk-set sums \( S_j = \sum_{T_i \ge t_j} w_i \), and a plain segment sum of the event rows
 * gives the tied-event sums \( E_j \). With \( d_j \) events at \( t_j \) and depth \( D \) the
 * largest \( d_j \), the {@code [D, slots]} matrices encode the log terms:
 * <ul>
 *   <li>Efron: {@code weight[l][j] = mask[l][j] = 1} and {@code fraction[l][j] = l / d_j} for
 *       \( l &lt; d_j \), zero elsewhere;</li>
 *   <li>Breslow: \( D = 1 \), {@code weight[0][j] = d_j}, {@code mask[0][j] = 1}, {@code fraction = 0}.</li>
 * </ul>
 * Unused slots (padding, the extra slots) have weight and mask 0. Strata are numbered by ascending
 * label within each set of labels, so the slots need not mean the same stratum from one call to the next.
 *
 * <p>Counting-process labels (start, stop, event) add a {@code [slots, n]} matrix {@code atRisk}:
 * row \( i \) is in the risk set of the event time \( t_j \) of its stratum when
 * \( start_i < t_j \le stop_i \), and the graph takes \( S_j \) as the product of that matrix with the
 * weights instead of the cumulative sum (no subtraction, so no cancellation; \( O(n \cdot slots) \)
 * memory, meant for the pooled sets of momentum training). The slots, the tied-event sums and the
 * term matrices are those of the stop times.
 *
 * <p>The arrays depend only on the labels. {@link SameDiffCoxLoss#negativeLogLikelihood(SameDiff,
 * SDVariable, org.nd4j.linalg.api.ndarray.INDArray, int[])} puts them into the graph as constants.
 * A manual {@code output}/{@code calculateGradients} loop whose labels change every iteration
 * instead builds the graph once on {@link #placeholders placeholders} with a fixed slot layout, and
 * feeds {@link #feed(Variables)} per iteration ({@code sd.fit} cannot feed per-iteration
 * placeholders: {@link SameDiffMomentum} replaces constants instead). Building costs \( O(n \log n) \) time for the grouping
 * (by {@link TimeGroups}) plus \( O(D \cdot slots) \) time and memory for the matrices.
 *
 * <p>Instances are immutable and thread-safe (the arrays are never modified; do not modify them).
 *
 * @since 0.1
 */
public final class CoxRiskSets {
    private final int strataSlots;
    private final int groupSlots;
    private final int events;
    private final int depth;
    // Java arrays, row-major; INDArrays are made from them where a graph needs them.
    private final int[] segment;
    private final double[] event;
    private final double[] weight;   // [depth, slots]
    private final double[] fraction; // [depth, slots]
    private final double[] mask;     // [depth, slots]
    private final double[] atRisk;   // [slots, n] with entry times, else null

    private CoxRiskSets(int strataSlots, int groupSlots, int events, int depth, int[] segment, double[] event,
                        double[] weight, double[] fraction, double[] mask, double[] atRisk) {
        this.strataSlots = strataSlots;
        this.groupSlots = groupSlots;
        this.events = events;
        this.depth = depth;
        this.segment = segment;
        this.event = event;
        this.weight = weight;
        this.fraction = fraction;
        this.mask = mask;
        this.atRisk = atRisk;
    }

    /**
     * Builds the arrays from validated labels.
     *
     * @param strataSlots slot blocks, at least the number of strata; {@code <= 0}: exactly that number
     * @param groupSlots event-time slots per block, at least the largest number of distinct
     *                   event times of a stratum; {@code <= 0}: exactly that number
     */
    static CoxRiskSets of(double[] time, boolean[] event, int[] strata, Ties ties, int strataSlots, int groupSlots) {
        return of(TimeGroups.of(time, event, strata), event, null, ties, strataSlots, groupSlots);
    }

    /**
     * As {@link #of(double[], boolean[], int[], Ties, int, int)} for labels already grouped by
     * (stop) time, with the rows' entry times ({@code null}: every row at risk from 0).
     */
    static CoxRiskSets of(TimeGroups groups, boolean[] event, double[] start, Ties ties, int strataSlots,
                          int groupSlots) {
        int strataCount = groups.strataCount();
        int maxEventGroups = 0;
        int maxTied = 0;
        for (int s = 0; s < strataCount; s++) {
            int count = 0;
            for (int g = groups.stratumStart(s); g < groups.stratumEnd(s); g++) {
                if (groups.eventsInGroup(g) > 0) {
                    count++;
                    maxTied = Math.max(maxTied, groups.eventsInGroup(g));
                }
            }
            maxEventGroups = Math.max(maxEventGroups, count);
        }
        int p = strataSlots > 0 ? strataSlots : Math.max(1, strataCount);
        int k = groupSlots > 0 ? groupSlots : Math.max(1, maxEventGroups);
        SurvivalArguments.inRange(strataCount, "number of strata in the labels", 0, p, true);
        SurvivalArguments.inRange(maxEventGroups, "distinct event times in a stratum", 0, k, true);
        int depth = ties == Ties.EFRON ? Math.max(1, maxTied) : 1;
        int slots = p * (k + 1);

        int[] seg = new int[groups.rows()];
        double[] w = new double[depth * slots];
        double[] f = new double[depth * slots];
        double[] m = new double[depth * slots];
        int n = groups.rows();
        double[] atRisk = start == null ? null : new double[slots * n];
        for (int s = 0; s < strataCount; s++) {
            int eventGroups = 0;
            for (int g = groups.stratumStart(s); g < groups.stratumEnd(s); g++) {
                eventGroups += groups.eventsInGroup(g) > 0 ? 1 : 0;
            }
            int slot = s * (k + 1) + k; // the extra slot until the first event time
            int seen = 0;
            for (int g = groups.stratumStart(s); g < groups.stratumEnd(s); g++) { // ascending time
                int d = groups.eventsInGroup(g);
                if (d > 0) {
                    slot = s * (k + 1) + (eventGroups - 1 - seen++); // descending index
                    fillTerms(ties, d, slot, slots, w, f, m);
                    if (atRisk != null) { // rows of the stratum with stop >= t that entered before t
                        double t = groups.groupTime(g);
                        for (int q = groups.groupStart(g); q < groups.groupEnd(groups.stratumEnd(s) - 1); q++) {
                            int row = groups.row(q);
                            atRisk[slot * n + row] = start[row] < t ? 1 : 0;
                        }
                    }
                }
                for (int q = groups.groupStart(g); q < groups.groupEnd(g); q++) {
                    seg[groups.row(q)] = slot;
                }
            }
        }
        double[] e = new double[groups.rows()];
        for (int i = 0; i < e.length; i++) {
            e[i] = event[i] ? 1 : 0;
        }
        return new CoxRiskSets(p, k, groups.events(), depth, seg, e, w, f, m, atRisk);
    }

    private static void fillTerms(Ties ties, int d, int slot, int slots, double[] w, double[] f, double[] m) {
        if (ties == Ties.BRESLOW) {
            w[slot] = d;
            m[slot] = 1;
            return;
        }
        for (int l = 0; l < d; l++) {
            w[l * slots + slot] = 1;
            m[l * slots + slot] = 1;
            f[l * slots + slot] = (double) l / d;
        }
    }

    /** Number of slot blocks (the most strata a set of labels may have). */
    public int strataSlots() {
        return strataSlots;
    }

    /** Event-time slots per stratum (each block has one extra slot). */
    public int groupSlots() {
        return groupSlots;
    }

    /** Number of events in the labels. */
    public int events() {
        return events;
    }

    /** Rows of the term matrices: the largest number of tied events (Efron) or 1 (Breslow). */
    public int depth() {
        return depth;
    }

    /**
     * Graph variables for these arrays, as constants.
     *
     * @param sd the graph
     * @param type floating-point type of the log hazards
     * @return the variables for {@link SameDiffCoxLoss#negativeLogLikelihood(SameDiff, SDVariable, Variables)}
     */
    public Variables constants(SameDiff sd, DataType type) {
        Map<String, INDArray> arrays = arrays(type, null);
        return new Variables(strataSlots, groupSlots, sd.constant(arrays.get("segment")),
                sd.constant(arrays.get("event")), sd.constant(arrays.get("weight")),
                sd.constant(arrays.get("fraction")), sd.constant(arrays.get("mask")),
                atRisk == null ? null : sd.constant(arrays.get("atRisk")));
    }

    /**
     * Placeholders for arrays of a fixed slot layout, to be fed each iteration with
     * {@link #feed(Variables)} of {@code CoxRiskSets} built with the same layout. The number of rows
     * and the depth may change between iterations; the layout may not.
     *
     * @param sd the graph
     * @param prefix unique prefix of the placeholder names ({@code prefix + "/segment"}, ...)
     * @param type floating-point type of the log hazards
     * @param strataSlots at least the number of strata of any batch
     * @param groupSlots at least the number of distinct event times of a stratum in any batch
     *                   (the number of rows is always enough)
     * @return the variables for {@link SameDiffCoxLoss#negativeLogLikelihood(SameDiff, SDVariable, Variables)}
     */
    public static Variables placeholders(SameDiff sd, String prefix, DataType type, int strataSlots, int groupSlots) {
        SurvivalArguments.atLeast(strataSlots, "strataSlots", 1);
        SurvivalArguments.atLeast(groupSlots, "groupSlots", 1);
        long slots = (long) strataSlots * (groupSlots + 1);
        return new Variables(strataSlots, groupSlots,
                sd.placeHolder(prefix + "/segment", DataType.INT, -1),
                sd.placeHolder(prefix + "/event", type, -1),
                sd.placeHolder(prefix + "/weight", type, -1, slots),
                sd.placeHolder(prefix + "/fraction", type, -1, slots),
                sd.placeHolder(prefix + "/mask", type, -1, slots), null);
    }

    /**
     * The placeholder values for one iteration.
     *
     * @param placeholders from {@link #placeholders}, with the slot layout of these arrays
     * @return placeholder name to array, in the placeholders' data types
     */
    public Map<String, INDArray> feed(Variables placeholders) {
        if (atRisk != null) {
            throw new IllegalArgumentException("risk sets of counting-process labels (start, stop, event) enter the"
                    + " graph as constants (SameDiffCoxLoss.negativeLogLikelihood with labels [n, 3], or"
                    + " SameDiffMomentum), not through these placeholders");
        }
        SurvivalArguments.inRange(strataSlots, "strataSlots of the risk sets", placeholders.strataSlots,
                placeholders.strataSlots, true);
        SurvivalArguments.inRange(groupSlots, "groupSlots of the risk sets", placeholders.groupSlots,
                placeholders.groupSlots, true);
        Map<String, INDArray> arrays = arrays(placeholders.event.dataType(), null);
        return Map.of(placeholders.segment.name(), arrays.get("segment"), placeholders.event.name(),
                arrays.get("event"), placeholders.weight.name(), arrays.get("weight"), placeholders.fraction.name(),
                arrays.get("fraction"), placeholders.mask.name(), arrays.get("mask"));
    }

    /**
     * Puts these arrays into the constants of a graph built with a fixed slot layout (momentum's
     * pooled loss), overwriting the constants' arrays in place where the shape is unchanged, so that
     * a training loop allocates no native memory for them once the number of pooled rows is stable.
     */
    void assignTo(Variables constants) {
        if ((atRisk == null) != (constants.atRisk == null)) {
            throw new IllegalStateException("the graph was built for labels " + (constants.atRisk == null ? "without"
                    : "with") + " entry times");
        }
        Map<String, INDArray> arrays = arrays(constants.event.dataType(), constants);
        for (SDVariable v : new SDVariable[] {constants.segment, constants.event, constants.weight,
                constants.fraction, constants.mask, constants.atRisk}) {
            if (v == null) {
                continue;
            }
            INDArray array = arrays.get(v.name().substring(v.name().lastIndexOf('/') + 1));
            if (array != v.getArr()) {
                v.setArray(array);
            }
        }
    }

    /**
     * The arrays by short name (the five, and {@code atRisk} with entry times); with {@code reuse},
     * in the arrays of those variables where the type and shape match.
     */
    private Map<String, INDArray> arrays(DataType type, Variables reuse) {
        long slots = weight.length / depth;
        double[] seg = new double[segment.length];
        for (int i = 0; i < seg.length; i++) {
            seg[i] = segment[i];
        }
        Map<String, INDArray> arrays = new HashMap<>(Map.of("segment", NDArrays.into(reuse == null ? null : reuse.segment.getArr(), seg, DataType.INT,
                        segment.length),
                "event", NDArrays.into(reuse == null ? null : reuse.event.getArr(), event, type, event.length),
                "weight", NDArrays.into(reuse == null ? null : reuse.weight.getArr(), weight, type, depth, slots),
                "fraction", NDArrays.into(reuse == null ? null : reuse.fraction.getArr(), fraction, type, depth, slots),
                "mask", NDArrays.into(reuse == null ? null : reuse.mask.getArr(), mask, type, depth, slots)));
        if (atRisk != null) {
            arrays.put("atRisk", NDArrays.into(reuse == null || reuse.atRisk == null ? null : reuse.atRisk.getArr(),
                    atRisk, type, slots, segment.length));
        }
        return arrays;
    }

    @Override
    public String toString() {
        return "CoxRiskSets(strataSlots=" + strataSlots + ", groupSlots=" + groupSlots + ", depth=" + depth()
                + ", rows=" + segment.length + ", events=" + events + ")";
    }

    /**
     * The graph side of {@link CoxRiskSets}: five variables (constants or placeholders), a sixth
     * constant for counting-process labels, and the slot layout, which is fixed when the graph is built.
     */
    public static final class Variables {
        final int strataSlots;
        final int groupSlots;
        final SDVariable segment;
        final SDVariable event;
        final SDVariable weight;
        final SDVariable fraction;
        final SDVariable mask;
        final SDVariable atRisk; // null without entry times

        Variables(int strataSlots, int groupSlots, SDVariable segment, SDVariable event, SDVariable weight,
                  SDVariable fraction, SDVariable mask, SDVariable atRisk) {
            this.strataSlots = strataSlots;
            this.groupSlots = groupSlots;
            this.segment = segment;
            this.event = event;
            this.weight = weight;
            this.fraction = fraction;
            this.mask = mask;
            this.atRisk = atRisk;
        }

        /** Number of slots: {@code strataSlots * (groupSlots + 1)}. */
        int slots() {
            return strataSlots * (groupSlots + 1);
        }

        @Override
        public String toString() {
            return "CoxRiskSets.Variables(strataSlots=" + strataSlots + ", groupSlots=" + groupSlots + ")";
        }
    }
}
