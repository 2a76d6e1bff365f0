package org.survival4j.explain;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.survival4j.model.SurvivalModel;

/**
 * How each feature (group) moves one row's predicted risk at a horizon: Shapley values estimated
 * by permutation sampling (Štrumbelj and Kononenko 2014, "Explaining prediction models and
 * individual predictions with feature contributions", Knowl. Inf. Syst. 41, 647-665,
 * doi:10.1007/s10115-013-0679-x), with their Monte-Carlo standard errors.
 *
 * <p>The explained quantity is \( f(z) = 1 - \hat S(t \mid z) \), the predicted risk by \( t \).
 * A coalition \( A \) of groups takes its columns from the explained row \( x \) and the others
 * from a background row \( b \) (interventional), so that the Shapley value of group \( j \) is
 * \[ \phi_j = \mathbb E_{b,\pi}\big[ f(x_{P_j \cup j}, b_{\text{rest}}) - f(x_{P_j}, b_{\text{rest}}) \big], \]
 * \( \pi \) a uniformly random order of the groups and \( P_j \) the groups before \( j \) in it.
 * One sample draws \( \pi \) and walks through it from \( b \) to \( x \), switching one group at a
 * time: the \( G \) steps give every group's contribution \( c_{s,j} \) at once, and they add up to
 * \( f(x) - f(b) \). Each background row starts the same number of walks, so
 * \[ \sum_j \hat\phi_j = f(x) - \frac{1}{|B|} \sum_{b \in B} f(b) \]
 * holds exactly (efficiency), up to the rounding of the network's forward pass (about 1e-15 for a
 * double network, 1e-7 for a float one). \( \hat\phi_j = \bar c_{\cdot j} \), reported with
 * \( \mathrm{SE}_j = \mathrm{sd}_s(c_{s,j}) / \sqrt{S} \) over the \( S \) walks; as the background rows
 * are used in equal numbers (stratified), this standard error is slightly conservative.
 *
 * <pre>{@code
 * ShapleyValues sv = ShapleyValues.explain(model, x[0], background, 1825, FeatureGroup.byRawColumn(model), 20, 42L);
 * sv.prediction(); sv.baseline();          // f(x) and the background mean
 * sv.values(); sv.standardErrors();        // per group; the values sum to prediction - baseline
 * }</pre>
 *
 * <p>Cost: one prediction of \( S (G + 1) \) rows, \( S = |B| \times \) {@code walksPerBackgroundRow}.
 * Immutable.
 *
 * @since 0.2
 */
public final class ShapleyValues {
    private final List<FeatureGroup> groups;
    private final double horizon;
    private final double prediction;
    private final double baseline;
    private final double[] values;
    private final double[] standardErrors;
    private final int walks;

    private ShapleyValues(List<FeatureGroup> groups, double horizon, double prediction, double baseline,
                          double[] values, double[] standardErrors, int walks) {
        this.groups = groups;
        this.horizon = horizon;
        this.prediction = prediction;
        this.baseline = baseline;
        this.values = values;
        this.standardErrors = standardErrors;
        this.walks = walks;
    }

    /**
     * Estimates the Shapley values of one row.
     *
     * @param model an unstratified model
     * @param row the encoded row explained, {@code [model.inputs()]}
     * @param background encoded reference rows (e.g. a sample of the training rows), at least one
     * @param t the horizon, {@code > 0}
     * @param groups the players: groups holding every input column exactly once
     * @param walksPerBackgroundRow random orders drawn per background row, at least 2 in total
     * @param seed the seed of the orders
     */
    public static ShapleyValues explain(SurvivalModel model, double[] row, double[][] background, double t,
                                        List<FeatureGroup> groups, int walksPerBackgroundRow, long seed) {
        Predictions.check(model);
        Predictions.horizon(t);
        List<FeatureGroup> g = FeatureGroup.check(groups, model.inputs(), true);
        if (row == null || row.length != model.inputs()) {
            throw new IllegalArgumentException("the explained row needs " + model.inputs() + " inputs");
        }
        if (background == null || background.length == 0) {
            throw new IllegalArgumentException("Shapley values need at least one background row");
        }
        int walks = background.length * walksPerBackgroundRow;
        if (walksPerBackgroundRow < 1 || walks < 2) {
            throw new IllegalArgumentException("need at least 2 walks in all (walksPerBackgroundRow = "
                    + walksPerBackgroundRow + ", " + background.length + " background rows)");
        }
        int players = g.size();
        // each walk: the background row, then after each switched group one row; the order of each walk kept
        double[][] batch = new double[walks * (players + 1)][];
        int[][] orders = new int[walks][];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int s = 0; s < walks; s++) {
            int[] order = PermutationImportance.randomPermutation(players, rng);
            orders[s] = order;
            double[] z = background[s / walksPerBackgroundRow].clone();
            batch[s * (players + 1)] = z.clone();
            for (int step = 0; step < players; step++) {
                for (int c : g.get(order[step]).columns()) {
                    z[c] = row[c];
                }
                batch[s * (players + 1) + step + 1] = z.clone();
            }
        }
        double[] survival = Predictions.survivalAt(model, batch, t);
        double[] sum = new double[players];
        double[] sumSquares = new double[players];
        double baseline = 0;
        for (int s = 0; s < walks; s++) {
            int base = s * (players + 1);
            baseline += (1 - survival[base]) / walks;
            for (int step = 0; step < players; step++) {
                // risk after minus risk before = S before - S after
                double c = survival[base + step] - survival[base + step + 1];
                sum[orders[s][step]] += c;
                sumSquares[orders[s][step]] += c * c;
            }
        }
        double[] values = new double[players];
        double[] se = new double[players];
        for (int j = 0; j < players; j++) {
            values[j] = sum[j] / walks;
            double variance = Math.max(0, (sumSquares[j] - walks * values[j] * values[j]) / (walks - 1));
            se[j] = Math.sqrt(variance / walks);
        }
        double prediction = 1 - Predictions.survivalAt(model, new double[][] {row.clone()}, t)[0];
        return new ShapleyValues(g, t, prediction, baseline, values, se, walks);
    }

    /** The players, in the order given. */
    public List<FeatureGroup> groups() {
        return groups;
    }

    /** The horizon. */
    public double horizon() {
        return horizon;
    }

    /** \( f(x) = 1 - \hat S(t \mid x) \), the explained row's predicted risk. */
    public double prediction() {
        return prediction;
    }

    /** The mean predicted risk of the background rows: where the contributions start from. */
    public double baseline() {
        return baseline;
    }

    /** \( \hat\phi_j \) per group (a copy); they sum to {@code prediction() - baseline()}. */
    public double[] values() {
        return values.clone();
    }

    /** The Monte-Carlo standard error of each \( \hat\phi_j \) (a copy). */
    public double[] standardErrors() {
        return standardErrors.clone();
    }

    /** The number of sampled walks \( S \). */
    public int walks() {
        return walks;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "ShapleyValues(t = %s: risk %.4f = baseline %.4f",
                horizon, prediction, baseline));
        for (int j = 0; j < values.length; j++) {
            s.append(String.format(Locale.ROOT, " %+.4f (%s, SE %.4f)", values[j], groups.get(j).name(),
                    standardErrors[j]));
        }
        return s.append(')').toString();
    }
}
