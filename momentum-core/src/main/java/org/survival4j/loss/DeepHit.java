package org.survival4j.loss;

import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.data.SurvivalArguments;

/**
 * The DeepHit loss for competing risks on a time grid (Lee, Zame, Yoon and van der Schaar 2018,
 * AAAI, doi:10.1609/aaai.v32i1.11842): the negative log-likelihood of a probability mass function
 * over causes and grid intervals, plus a ranking term, with the conventions of pycox's
 * {@code DeepHit} ({@code nll_pmf_cr}, {@code rank_loss_deephit_cr}, {@code DeepHitLoss}).
 *
 * <p><b>Output.</b> For \( K \) causes and a grid of \( G \) intervals, the network gives per row
 * \( K G \) logits \( z_{k,g} \), column {@code (k - 1) * G + g} (cause-major, as pycox's
 * {@code [batch, K, G]} viewed flat). A softmax over them and one constant logit 0 for "after the
 * grid" gives \( p_{k,g} \) and \( p_\infty \) (pycox's {@code pad_col}; the paper has no such cell
 * and assumes every event falls on the grid). \( F_k(g) = \sum_{h \le g} p_{k,h} \) is the
 * predicted cumulative incidence of cause \( k \) up to the end of interval \( g \).
 *
 * <p><b>Labels.</b> Row \( i \) has a grid index \( g_i \in \{0, \dots, G - 1\} \) and a cause
 * \( c_i \in \{0, \dots, K\} \) (0 = censored). An event is in interval \( g_i \); a censored row
 * is known to be event-free to the end of interval \( g_i \) (map a censoring time to the last grid
 * point at or before it, as pycox's {@code LabTransDiscreteTime} does).
 *
 * <p><b>Loss.</b> With \( n \) rows,
 * \[ L_1 = -\frac1n \sum_i \Big[ \mathbf 1[c_i \ne 0] \log p_{c_i, g_i}(x_i)
 *          + \mathbf 1[c_i = 0] \log\Big(1 - \sum_k F_k(g_i \mid x_i)\Big) \Big], \]
 * \[ L_2 = \frac1{n^2} \sum_i \sum_j A_{ij} \exp\!\Big(-\frac{F_{c_i}(g_i \mid x_i) - F_{c_i}(g_i \mid x_j)}{\sigma}\Big),
 *    \quad A_{ij} = \mathbf 1[c_i \ne 0]\, \mathbf 1[g_i < g_j \text{ or } (g_i = g_j \text{ and } c_j = 0)], \]
 * and {@link Reduction#MEAN} returns \( \alpha L_1 + (1 - \alpha) L_2 \), {@link Reduction#SUM}
 * \( n \) times that (pycox's {@code 'sum'}: the likelihood summed over rows, the ranking term
 * summed over rows \( i \) of a mean over partners \( j \)). The paper writes
 * \( L_1 + \alpha' L_2 \) with sums in both; that is the same objective up to a constant factor,
 * \( \alpha' = (1 - \alpha)/\alpha \) times the normalisation. \( A \) compares a row's cause-\( c_i \)
 * incidence with that of every row known to be event-free longer (pycox's {@code pair_rank_mat}:
 * the paper's \( s_i < s_j \), plus rows censored in the same interval). \( 1 - \sum_k F_k \) is
 * computed as the log-sum-exp of the mass after \( g_i \) (pycox adds \( 10^{-7} \) inside the log
 * instead), so the likelihood is exact for any finite logits.
 *
 * <p>The gradient with respect to the logits is analytic (derived in {@code docs/math/competing-risks.md}).
 * Cost \( O(n K G + n^2) \). An empty batch has loss 0. Immutable and thread-safe.
 *
 * <pre>{@code
 * DeepHit loss = new DeepHit(2, 0.2, 0.1, Reduction.MEAN);        // 2 causes; pycox's alpha and sigma
 * INDArray logits = Nd4j.zeros(DataType.DOUBLE, 3, 2 * 4);           // 4 intervals: every cell p = 1/9
 * double v = loss.value(logits, Nd4j.createFromArray(0.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 0.0, 2.0));
 * // L1 = (log 9 + log(9/3) + log 9) / 3 (the censored row: 3 of the 9 cells lie after interval 2);
 * // L2 = (1 + 1) / 9 (row 0 against rows 1 and 2, equal incidences); v = 0.2 L1 + 0.8 L2 = 0.5439819
 * }</pre>
 *
 * @since 0.3
 */
public final class DeepHit {
    private final int causes;
    private final double alpha;
    private final double sigma;
    private final Reduction reduction;

    /**
     * @param causes the number of causes \( K \ge 1 \)
     * @param alpha the likelihood's weight in [0, 1] (pycox's default 0.2)
     * @param sigma the ranking term's scale, {@code > 0} (pycox's default 0.1)
     * @param reduction MEAN (pycox's default) or SUM = \( n \) times MEAN
     */
    public DeepHit(int causes, double alpha, double sigma, Reduction reduction) {
        this.causes = SurvivalArguments.atLeast(causes, "causes", 1);
        this.alpha = SurvivalArguments.inRange(alpha, "alpha", 0, 1, true);
        this.sigma = SurvivalArguments.inRange(sigma, "sigma", 0, Double.MAX_VALUE, false);
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
    }

    /** The number of causes. */
    public int causes() {
        return causes;
    }

    /** The likelihood's weight. */
    public double alpha() {
        return alpha;
    }

    /** The ranking term's scale. */
    public double sigma() {
        return sigma;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss value.
     *
     * @param logits {@code [n, K * G]}, finite
     * @param gridIndex the interval of each row's event or censoring, whole numbers {@code 0..G-1}, {@code [n]}
     * @param cause 0 = censored, {@code 1..K}, {@code [n]}
     */
    public double value(INDArray logits, INDArray gridIndex, INDArray cause) {
        return compute(logits, gridIndex, cause, false).value();
    }

    /** d value / d logits, same shape and data type as {@code logits}. */
    public INDArray gradient(INDArray logits, INDArray gridIndex, INDArray cause) {
        return compute(logits, gridIndex, cause, true).gradient();
    }

    /** Value and gradient in one pass. */
    public ValueAndGradient valueAndGradient(INDArray logits, INDArray gridIndex, INDArray cause) {
        return compute(logits, gridIndex, cause, true);
    }

    /**
     * Value over all rows, gradient only for rows {@code firstRow..n-1}, on Java arrays (the
     * momentum path puts the memory-bank rows first); the gradient is DOUBLE {@code [n - firstRow, K * G]}.
     *
     * @param logits {@code [n][K * G]}
     */
    public ValueAndGradient valueAndGradient(double[][] logits, double[] gridIndex, double[] cause, int firstRow) {
        double[][] z = SurvivalArguments.finiteCells(logits, "logits");
        for (int i = 0; i < z.length; i++) {
            checkColumns(z[i].length, "logits[" + i + "] has " + z[i].length + " columns");
            SurvivalArguments.inRange(z[i].length, "logits[" + i + "] length", z[0].length, z[0].length, true);
        }
        SurvivalArguments.inRange(firstRow, "firstRow", 0, z.length, true);
        return compute(z, gridIndex, cause, firstRow, DataType.DOUBLE);
    }

    /**
     * The predicted cumulative incidence \( F_k(g) \) of one cause at the end of every interval.
     *
     * @param logits {@code [n, K * G]}
     * @param cause the cause, {@code 1..K}
     * @return double {@code [n, G]}
     */
    public INDArray cumulativeIncidence(INDArray logits, int cause) {
        SurvivalArguments.inRange(cause, "cause", 1, causes, true);
        double[][] z = logits(logits);
        int grid = z.length == 0 ? 0 : z[0].length / causes;
        double[][] out = new double[z.length][grid];
        for (int i = 0; i < z.length; i++) {
            double logTotal = DeepHitKernel.logSumExpWithPad(z[i], 0, z[i].length);
            double acc = 0;
            for (int g = 0; g < grid; g++) {
                acc += Math.exp(z[i][(cause - 1) * grid + g] - logTotal);
                out[i][g] = acc;
            }
        }
        return Nd4j.createFromArray(out);
    }

    private ValueAndGradient compute(INDArray logits, INDArray gridIndex, INDArray cause, boolean withGradient) {
        return compute(logits(logits), SurvivalArguments.finiteVector(gridIndex, "gridIndex"),
                SurvivalArguments.finiteVector(cause, "cause"), withGradient ? 0 : -1, logits.dataType());
    }

    /** Checks the logits' shape: rank 2, a multiple of {@code causes} columns. */
    private double[][] logits(INDArray logits) {
        SurvivalArguments.checkNotNull(logits, "logits");
        checkColumns(logits.rank() == 2 ? logits.size(1) : -1,
                "logits has shape " + java.util.Arrays.toString(logits.shape()));
        return SurvivalArguments.finiteCells(NDArrays.rows(logits), "logits");
    }

    /** {@code columns} must be \( K G \) for some \( G \ge 1 \); {@code what} starts the message. */
    private void checkColumns(long columns, String what) {
        if (columns < causes || columns % causes != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: expected [n, K * G] with K = %d causes and G >= 1 grid intervals", what, causes));
        }
    }

    /** firstRow &lt; 0: no gradient. */
    private ValueAndGradient compute(double[][] z, double[] gridIndex, double[] cause, int firstRow, DataType type) {
        int n = z.length;
        int cells = n == 0 ? causes : z[0].length;
        int grid = cells / causes;
        int[] c = SurvivalArguments.cause(cause, "cause", n, causes);
        int[] g = SurvivalArguments.gridIndex(gridIndex, "gridIndex", n, grid);
        double[][] grad = firstRow < 0 ? null : new double[n][cells];
        double sum = DeepHitKernel.loss(z, g, c, causes, alpha, sigma, grad);
        double scale = reduction == Reduction.MEAN && n > 0 ? 1.0 / n : 1;
        int events = 0;
        for (int ci : c) {
            events += ci > 0 ? 1 : 0;
        }
        if (grad == null) {
            return new ValueAndGradient(sum * scale, null, type, null, 0, events);
        }
        double[] flat = new double[(n - firstRow) * cells];
        for (int i = firstRow; i < n; i++) {
            for (int m = 0; m < cells; m++) {
                flat[(i - firstRow) * cells + m] = grad[i][m] * scale;
            }
        }
        return new ValueAndGradient(sum * scale, flat, type, new long[] {n - firstRow, cells}, firstRow, events);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeepHit d && d.causes == causes && d.alpha == alpha && d.sigma == sigma
                && d.reduction == reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(causes, alpha, sigma, reduction);
    }

    @Override
    public String toString() {
        return "DeepHit(causes=" + causes + ", alpha=" + alpha + ", sigma=" + sigma + ", reduction=" + reduction + ")";
    }
}
