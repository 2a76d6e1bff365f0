package org.survival4j.model;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.dl4j.DeepHitLossFunction;
import org.survival4j.loss.DeepHit;
import org.survival4j.loss.Reduction;
import org.survival4j.metrics.BreslowBaseline;
import org.survival4j.metrics.CauseSpecificIncidence;
import org.survival4j.metrics.FineGrayIncidence;

/**
 * What turns a competing-risks network's outputs into cumulative incidence curves, per kind of
 * {@link SurvivalModel}:
 * <ul>
 *   <li>cause-specific Cox: a baseline per cause and the product integral over the causes
 *       ({@link CauseSpecificIncidence});</li>
 *   <li>Fine-Gray: the baseline of the subdistribution hazard of its cause of interest
 *       ({@link FineGrayIncidence});</li>
 *   <li>DeepHit: the cumulative sums of the network's probability mass over the grid
 *       ({@link DeepHit#cumulativeIncidence}), interval {@code g}'s mass counted from its grid time
 *       on (a right-continuous step function, 0 before the first grid time).</li>
 * </ul>
 * The event-free survival \( 1 - \sum_k F_k \) exists where every cause is modelled (not for
 * Fine-Gray). Immutable and thread-safe.
 */
final class CompetingRisksCurves {
    private final SurvivalModel.Kind kind;
    private final CauseSpecificIncidence causeSpecific;
    private final FineGrayIncidence fineGray;
    private final DeepHit deepHit;
    private final double[] gridTimes;

    private CompetingRisksCurves(SurvivalModel.Kind kind, CauseSpecificIncidence causeSpecific,
                                 FineGrayIncidence fineGray, DeepHit deepHit, double[] gridTimes) {
        this.kind = kind;
        this.causeSpecific = causeSpecific;
        this.fineGray = fineGray;
        this.deepHit = deepHit;
        this.gridTimes = gridTimes;
    }

    static CompetingRisksCurves causeSpecific(CauseSpecificIncidence incidence) {
        return new CompetingRisksCurves(SurvivalModel.Kind.CAUSE_SPECIFIC_COX, incidence, null, null, null);
    }

    static CompetingRisksCurves fineGray(FineGrayIncidence incidence) {
        return new CompetingRisksCurves(SurvivalModel.Kind.FINE_GRAY, null, incidence, null, null);
    }

    /**
     * @param gridTimes the time of each of the loss's intervals: finite, {@code >= 0}, increasing
     * @throws IllegalArgumentException if there are not as many times as intervals, or they are not as said
     */
    static CompetingRisksCurves deepHit(DeepHitLossFunction loss, double[] gridTimes) {
        double[] g = gridTimes.clone();
        if (g.length != loss.intervals()) {
            throw new IllegalArgumentException(g.length + " grid times for the " + loss.intervals() + " intervals of "
                    + loss);
        }
        for (int j = 0; j < g.length; j++) {
            if (!(g[j] >= 0) || Double.isInfinite(g[j]) || j > 0 && !(g[j] > g[j - 1])) {
                throw new IllegalArgumentException("grid times must be finite, >= 0 and increasing; grid time " + j
                        + " is " + g[j] + (j > 0 ? " after " + g[j - 1] : ""));
            }
        }
        return new CompetingRisksCurves(SurvivalModel.Kind.DEEPHIT, null, null,
                new DeepHit(loss.causes(), loss.alpha(), loss.sigma(), Reduction.MEAN), g);
    }

    /** The cause-specific fit, or null. */
    CauseSpecificIncidence causeSpecific() {
        return causeSpecific;
    }

    /** The Fine-Gray fit, or null. */
    FineGrayIncidence fineGray() {
        return fineGray;
    }

    /** DeepHit's grid times (a copy), or null. */
    double[] gridTimes() {
        return gridTimes == null ? null : gridTimes.clone();
    }

    /** The causes whose incidence the curves give: 1..K, or a Fine-Gray model's cause of interest. */
    int[] causes() {
        return switch (kind) {
            case FINE_GRAY -> new int[] {fineGray.cause()};
            case CAUSE_SPECIFIC_COX -> IntStream.rangeClosed(1, causeSpecific.causes()).toArray();
            default -> IntStream.rangeClosed(1, deepHit.causes()).toArray();
        };
    }

    /** The stratum labels of the baselines ({@code [NO_STRATA]} unstratified; DeepHit has none). */
    int[] strata() {
        BreslowBaseline b = baselineForStrata();
        return b == null ? new int[] {BreslowBaseline.NO_STRATA} : b.strata();
    }

    boolean stratified() {
        BreslowBaseline b = baselineForStrata();
        return b != null && b.stratified();
    }

    private BreslowBaseline baselineForStrata() {
        if (fineGray != null) {
            return fineGray.baseline();
        }
        if (causeSpecific != null) {
            for (int k = 1; k <= causeSpecific.causes(); k++) {
                if (causeSpecific.hasBaseline(k)) {
                    return causeSpecific.baseline(k);
                }
            }
        }
        return null;
    }

    /** Whether every cause is modelled, so that the event-free survival exists. */
    boolean eventFreeSurvival() {
        return kind != SurvivalModel.Kind.FINE_GRAY;
    }

    /**
     * \( F_k(t_j \mid x_i) \), {@code [n][times.length]}.
     *
     * @throws IllegalArgumentException if the model gives no incidence of {@code cause}
     */
    double[][] cumulativeIncidence(double[][] out, int[] strata, int cause, double[] times) {
        if (Arrays.stream(causes()).noneMatch(k -> k == cause)) {
            throw new IllegalArgumentException("cause " + cause + ": this " + kind + " model gives the cumulative"
                    + " incidence of cause" + (causes().length == 1 ? " " : "s ") + Arrays.toString(causes()));
        }
        if (out.length == 0) {
            return new double[0][times.length];
        }
        return switch (kind) {
            case CAUSE_SPECIFIC_COX -> causeSpecific.cumulativeIncidence(Nd4j.createFromArray(out), strata, cause, times)
                    .toDoubleMatrix();
            case FINE_GRAY -> fineGray.cumulativeIncidence(Nd4j.createFromArray(column(out)), strata, times)
                    .toDoubleMatrix();
            default -> onGrid(deepHit.cumulativeIncidence(Nd4j.createFromArray(out), cause).toDoubleMatrix(), times);
        };
    }

    /** The event-free survival \( 1 - \sum_k F_k(t_j \mid x_i) \); see {@link #eventFreeSurvival()}. */
    double[][] eventFree(double[][] out, int[] strata, double[] times) {
        double[][] s = new double[out.length][times.length];
        for (double[] row : s) {
            Arrays.fill(row, 1);
        }
        for (int k : causes()) {
            double[][] f = cumulativeIncidence(out, strata, k, times);
            for (int i = 0; i < s.length; i++) {
                for (int j = 0; j < times.length; j++) {
                    s[i][j] -= f[i][j];
                }
            }
        }
        return s;
    }

    /**
     * The smallest time at which each row's event-free survival is at most {@code level}, or
     * {@code +Infinity}. The curve steps only at {@code eventTimes} (the training event times of
     * every cause: the cause-specific baselines jump there) or at DeepHit's grid times.
     */
    double[] eventFreeQuantile(double[][] out, int[] strata, double level, double[] eventTimes) {
        double[] candidates = kind == SurvivalModel.Kind.DEEPHIT ? gridTimes : eventTimes;
        double[][] s = eventFree(out, strata, candidates);
        double[] q = new double[out.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = Double.POSITIVE_INFINITY;
            for (int j = 0; j < candidates.length; j++) {
                if (s[i][j] <= level) {
                    q[i] = candidates[j];
                    break;
                }
            }
        }
        return q;
    }

    /** DeepHit's incidences per interval {@code [n][G]} at {@code times}: the last grid time at or before each. */
    private double[][] onGrid(double[][] perInterval, double[] times) {
        double[][] f = new double[perInterval.length][times.length];
        for (int j = 0; j < times.length; j++) {
            int at = Arrays.binarySearch(gridTimes, times[j]);
            at = at >= 0 ? at : -at - 2;
            for (int i = 0; i < f.length; i++) {
                f[i][j] = at < 0 ? 0 : perInterval[i][at];
            }
        }
        return f;
    }

    private static double[] column(double[][] out) {
        double[] c = new double[out.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = out[i][0];
        }
        return c;
    }
}
