package org.survival4j.samediff;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;

/**
 * The negative log-likelihood of log hazards on a time grid as a SameDiff graph function,
 * differentiable by SameDiff's autodiff with respect to the {@code [n, K]} log hazards: the same
 * function as {@link GridHazardLikelihood} (hazard linear between the knots, constant after the
 * last; formula and references there and in {@code docs/math/grid-hazard.md}).
 *
 * <p>How the graph is built: both terms of a row are linear in its hazards \( h_{ik} = e^{\eta_{ik}} \)
 * with coefficients that depend on its time \( T_i \) alone, computed in the graph from the labels
 * (constants or a placeholder) with {@code relu} clips against the knots:
 * \( H_i(T_i) = \sum_k C_{ik} h_{ik} \), where the interval \( [\tau_k, \tau_{k+1}) \) overlapped
 * for \( U = \min(\max(T - \tau_k, 0), \Delta_k) \) adds \( U - U^2 / (2\Delta_k) \) to \( C_{ik} \)
 * and \( U^2 / (2\Delta_k) \) to \( C_{i,k+1} \), and the time after the last knot adds to
 * \( C_{iK} \); and \( h_i(T_i) = \sum_k A_{ik} h_{ik} \) with the linear-interpolation weights
 * \( A \) (two neighbouring knots, or the last). The log of the interpolated hazard is taken as
 * \( m_i + \log \sum_k A_{ik} e^{\eta_{ik} - m_i} \) with \( m_i = \sum_k A_{ik} \eta_{ik} \) (held
 * constant for the gradient; by Jensen's inequality the sum is at least 1, so it never underflows),
 * and every exponent is masked to 0 where its coefficient is 0, so a large log hazard at a knot a
 * row does not reach cannot make an infinite times 0. Only element-wise ops, broadcasting and
 * products with a column of ones (the sums over the knots) are used.
 *
 * <p>Instances are immutable and thread-safe; the methods add ops to the given {@code SameDiff},
 * which is not.
 *
 * <pre>{@code
 * SameDiff sd = SameDiff.create();
 * SDVariable logHz = sd.var("logHz", Nd4j.createFromArray(new double[][] {{0, 0, 0}})); // h = 1 throughout
 * INDArray labels = Nd4j.createFromArray(new double[][] {{1.5, 1.0}});                  // event at 1.5
 * SDVariable loss = new SameDiffGridHazardLoss(new double[] {0, 1, 2}, Reduction.SUM)
 *         .negativeLogLikelihood(sd, logHz, labels);
 * loss.eval(); // 1.5 = H(1.5) - log h(1.5)
 * }</pre>
 *
 * @since 0.2
 */
public final class SameDiffGridHazardLoss {
    private final GridHazardLikelihood kernel; // validates the knots; the closed form of the same function

    /**
     * @param knots strictly increasing, finite, {@code knots[0] == 0}
     * @param reduction SUM, or MEAN over rows
     */
    public SameDiffGridHazardLoss(double[] knots, Reduction reduction) {
        this.kernel = new GridHazardLikelihood(knots, reduction);
    }

    /** A copy of the knots. */
    public double[] knots() {
        return kernel.knots();
    }

    /** The reduction. */
    public Reduction reduction() {
        return kernel.reduction();
    }

    /** The number of output columns this loss reads: one log hazard per knot. */
    public int columns() {
        return kernel.knots().length;
    }

    /**
     * The loss for fixed labels, which are checked and enter the graph as a constant.
     *
     * @param sd the graph to add the ops to
     * @param logHz {@code [n, K]} log hazards at the knots
     * @param labels {@code [n, 2]}: time (finite, {@code >= 0}) and event (1 = event, 0 = censored)
     * @return a scalar variable of the log hazards' type
     */
    public SDVariable negativeLogLikelihood(SameDiff sd, SDVariable logHz, INDArray labels) {
        SurvivalArguments.checkNotNull(sd, "sd");
        SurvivalArguments.checkNotNull(logHz, "logHz");
        return negativeLogLikelihood(sd, logHz, Labels.constant(sd, labels, logHz));
    }

    /**
     * The loss on labels already in the graph (a constant, or a placeholder fed each iteration); the
     * label values are not checked here and must satisfy the rules of
     * {@link #negativeLogLikelihood(SameDiff, SDVariable, INDArray)}.
     *
     * @param sd the graph to add the ops to
     * @param logHz {@code [n, K]}
     * @param labels {@code [n, 2]} of the log hazards' data type
     * @return a scalar variable of the log hazards' type
     */
    public SDVariable negativeLogLikelihood(SameDiff sd, SDVariable logHz, SDVariable labels) {
        SurvivalArguments.checkNotNull(sd, "sd");
        SurvivalArguments.checkNotNull(logHz, "logHz");
        SurvivalArguments.checkNotNull(labels, "labels");
        checkColumns(logHz.getShape());
        DataType type = logHz.dataType();
        double[] tau = kernel.knots();
        int k = tau.length;
        // per knot: the interval to its right (none for the last) and to its left (none for the first)
        double[] rightStart = new double[k];
        double[] rightWidth = new double[k];
        double[] hasRight = new double[k];
        double[] leftStart = new double[k];
        double[] leftWidth = new double[k];
        double[] hasLeft = new double[k];
        double[] isLast = new double[k];
        for (int j = 0; j < k; j++) {
            rightStart[j] = tau[j];
            rightWidth[j] = j < k - 1 ? tau[j + 1] - tau[j] : 1;
            hasRight[j] = j < k - 1 ? 1 : 0;
            leftStart[j] = j > 0 ? tau[j - 1] : 0;
            leftWidth[j] = j > 0 ? tau[j] - tau[j - 1] : 1;
            hasLeft[j] = j > 0 ? 1 : 0;
        }
        isLast[k - 1] = 1;
        SDVariable time = sd.reshape(labels.get(SDIndex.all(), SDIndex.point(0)), -1, 1);
        SDVariable event = labels.get(SDIndex.all(), SDIndex.point(1));
        SDVariable right = overlap(sd, time, row(sd, rightStart, type), row(sd, rightWidth, type));
        SDVariable left = overlap(sd, time, row(sd, leftStart, type), row(sd, leftWidth, type));
        SDVariable tail = sd.nn.relu(time.sub(tau[k - 1]), 0).mul(row(sd, isLast, type));
        SDVariable rightWidths = row(sd, rightWidth, type);
        SDVariable leftWidths = row(sd, leftWidth, type);
        SDVariable rightHalf = right.mul(right).div(rightWidths.mul(2));
        // C: the coefficients of the hazards in H(T); A: the interpolation weights of h(T)
        SDVariable c = right.sub(rightHalf).mul(row(sd, hasRight, type))
                .add(left.mul(left).div(leftWidths.mul(2)).mul(row(sd, hasLeft, type))).add(tail);
        SDVariable rising = left.div(leftWidths).mul(row(sd, hasLeft, type)).add(row(sd, complement(hasLeft), type));
        SDVariable falling = right.div(rightWidths).rsub(1.0).mul(row(sd, hasRight, type))
                .add(row(sd, complement(hasRight), type));
        SDVariable a = rising.mul(falling);

        // sums over the knots as products with a column of ones: M2.1's reduce_sum fails on one knot ([n, 1])
        SDVariable ones = sd.constant(Nd4j.ones(type, k, 1));
        SDVariable cumulative = sd.reshape(sd.mmul(sd.math.exp(logHz.mul(sd.math.sign(c))).mul(c), ones), -1);
        SDVariable m = new StopGradient(sd, sd.mmul(logHz.mul(a), ones)).outputVariable();
        SDVariable logHazard = sd.reshape(m.add(sd.math.log(sd.mmul(sd.math.exp(logHz.sub(m).mul(sd.math.sign(a)))
                .mul(a), ones))), -1);
        SDVariable rows = cumulative.sub(event.mul(logHazard));
        return kernel.reduction() == Reduction.MEAN ? rows.mean() : rows.sum();
    }

    /** How much of {@code [start, start + width]} lies below {@code time}: {@code min(max(time - start, 0), width)}. */
    private static SDVariable overlap(SameDiff sd, SDVariable time, SDVariable start, SDVariable width) {
        return width.sub(sd.nn.relu(width.sub(sd.nn.relu(time.sub(start), 0)), 0));
    }

    private static SDVariable row(SameDiff sd, double[] values, DataType type) {
        return sd.constant(Nd4j.createFromArray(values).castTo(type).reshape(1, values.length));
    }

    private static double[] complement(double[] mask) {
        return Arrays.stream(mask).map(v -> 1 - v).toArray();
    }

    /** Checks the output's width where the graph knows it. */
    private void checkColumns(long[] shape) {
        if (shape != null && shape.length == 2 && shape[1] >= 0 && shape[1] != columns()) {
            throw new IllegalArgumentException("logHz has " + shape[1] + " columns; this loss has " + columns()
                    + " knots " + Arrays.toString(kernel.knots()) + " and reads one log hazard per knot");
        }
    }

    /**
     * Refuses pooled log hazards whose hazard would overflow in the graph's precision, before the
     * step (the graph would give an infinite loss and NaN gradients).
     *
     * @param logHz the pooled outputs {@code [n][K]}
     * @param type the type the graph computes in
     * @throws IllegalArgumentException naming the row and knot
     */
    static void checkRange(double[][] logHz, DataType type) {
        double limit = type == DataType.DOUBLE ? 700 : type == DataType.HALF ? 10 : 88;
        for (int i = 0; i < logHz.length; i++) {
            for (int j = 0; j < logHz[i].length; j++) {
                if (logHz[i][j] > limit) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "the log hazard %.4g of row %d at"
                            + " knot %d overflows the SameDiff grid-hazard graph in %s (limit %.0f): the network is"
                            + " likely diverging (learning rate too large?)", logHz[i][j], i, j, type, limit));
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SameDiffGridHazardLoss g && g.kernel.equals(kernel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kernel);
    }

    @Override
    public String toString() {
        return "SameDiffGridHazardLoss(knots=" + Arrays.toString(kernel.knots()) + ", reduction=" + kernel.reduction()
                + ")";
    }
}
