package org.survival4j.explain;

import java.util.Arrays;
import org.survival4j.model.SurvivalModel;

/**
 * Partial dependence (Friedman 2001, doi:10.1214/aos/1013203451) and individual conditional
 * expectation curves (Goldstein, Kapelner, Bleich and Pitkin 2015, doi:10.1080/10618600.2014.907095)
 * of the predicted survival at a horizon against one input column.
 *
 * <p>For rows \( x_1..x_n \), column \( j \) and grid values \( v_1..v_m \),
 * \[ \mathrm{ICE}_i(v) = \hat S(t \mid x_i \text{ with } x_{ij} = v), \qquad
 *    \mathrm{PD}(v) = \frac1n \sum_i \mathrm{ICE}_i(v) . \]
 * The ICE curves show what the average hides: curves that cross mean the feature interacts with
 * others. Values are in the encoded (standardized) units the model takes; with a
 * {@link org.survival4j.model.FeatureRecipe}, a numeric column's raw value is
 * {@code mean[j] + sd[j] * v}. {@link #quantileGrid} makes a grid of the rows' own values, so the
 * curves stay where there are data.
 *
 * <pre>{@code
 * double[] grid = PartialDependence.quantileGrid(x, 0, 20);
 * PartialDependence pd = PartialDependence.of(model, x, 0, grid, 1825);
 * pd.average();        // PD(v_k), k = 0..19
 * pd.individual()[7];  // row 7's ICE curve
 * }</pre>
 *
 * <p>Cost: one prediction of \( n m \) rows. Immutable.
 *
 * @since 0.2
 */
public final class PartialDependence {
    private final int column;
    private final double horizon;
    private final double[] grid;
    private final double[][] individual;
    private final double[] average;

    private PartialDependence(int column, double horizon, double[] grid, double[][] individual) {
        this.column = column;
        this.horizon = horizon;
        this.grid = grid;
        this.individual = individual;
        this.average = new double[grid.length];
        for (double[] curve : individual) {
            for (int k = 0; k < grid.length; k++) {
                average[k] += curve[k] / individual.length;
            }
        }
    }

    /**
     * Computes the curves.
     *
     * @param model an unstratified model
     * @param x encoded rows {@code [n][model.inputs()]}, at least one
     * @param column the input column varied, 0-based
     * @param grid the values it takes, finite
     * @param t the horizon, {@code > 0}
     */
    public static PartialDependence of(SurvivalModel model, double[][] x, int column, double[] grid, double t) {
        Predictions.check(model);
        Predictions.horizon(t);
        checkColumn(model, column);
        double[] g = grid.clone();
        if (g.length == 0 || Arrays.stream(g).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException("the grid needs at least one value, all finite: " + Arrays.toString(g));
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("partial dependence needs at least one row");
        }
        int n = x.length;
        int m = g.length;
        double[][] batch = new double[n * m][];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double[] row = x[i].clone();
                row[column] = g[k];
                batch[i * m + k] = row;
            }
        }
        double[] s = Predictions.survivalAt(model, batch, t);
        double[][] ice = new double[n][m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s, i * m, ice[i], 0, m);
        }
        return new PartialDependence(column, t, g, ice);
    }

    /**
     * A grid of the empirical quantiles (R's type 1: observed values, no interpolation) of a column
     * at {@code points} equally spaced probabilities from 0 to 1 (minimum to maximum), duplicates
     * removed: a binary column gives its two values.
     */
    public static double[] quantileGrid(double[][] x, int column, int points) {
        if (points < 2) {
            throw new IllegalArgumentException("a grid needs at least 2 points, got " + points);
        }
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = x[i][column];
        }
        Arrays.sort(v);
        double[] q = new double[points];
        for (int k = 0; k < points; k++) {
            // the smallest value whose empirical distribution function reaches k / (points - 1)
            q[k] = v[Math.max(0, (int) Math.ceil(v.length * (double) k / (points - 1)) - 1)];
        }
        return Arrays.stream(q).distinct().toArray();
    }

    private static void checkColumn(SurvivalModel model, int column) {
        if (column < 0 || column >= model.inputs()) {
            throw new IllegalArgumentException("column " + column + " is not an input of the model (0 to "
                    + (model.inputs() - 1) + ")");
        }
    }

    /** The column varied. */
    public int column() {
        return column;
    }

    /** The horizon. */
    public double horizon() {
        return horizon;
    }

    /** The grid (a copy). */
    public double[] grid() {
        return grid.clone();
    }

    /** The ICE curves, {@code [row][grid point]} (a copy). */
    public double[][] individual() {
        return Predictions.copy(individual);
    }

    /** The partial dependence curve: the mean of the ICE curves (a copy). */
    public double[] average() {
        return average.clone();
    }
}
