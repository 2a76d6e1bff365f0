package org.survival4j.loss;

/**
 * DeepHit's loss (SUM over rows) and its gradient on checked arrays; the formulas are in
 * {@link DeepHit}. Row {@code i}'s logits are {@code z[i][k * G + g]} for cause {@code k + 1} and
 * grid interval {@code g}, plus a constant logit 0 for "beyond the grid".
 *
 * <p>Gradient. With \( p = \mathrm{softmax}(z, 0) \): an event row's \( -\log p_{c,g} \) has
 * gradient \( p_m - \mathbf 1[m = (c,g)] \); a censored row's \( -\log \sum_{m \in B} p_m \)
 * (\( B \): the cells after interval \( g \) and the pad) has \( p_m - \mathbf 1[m \in B]\, p_m / P_B \).
 * The ranking term is a function of the cumulative incidences \( F_{c}(j, g) \); with
 * \( b_j(c, g) = \partial R / \partial F_c(j, g) \) collected over the pairs, and
 * \( \partial F_c(j,g) / \partial z_{j,(c',g')} = p_{j,(c',g')} (\mathbf 1[c' = c, g' \le g] - F_c(j,g)) \),
 * \[ \frac{\partial R}{\partial z_{j,(c',g')}} = p_{j,(c',g')} \Big( \sum_{g \ge g'} b_j(c', g)
 *    - \sum_{c, g} b_j(c, g) F_c(j, g) \Big) . \]
 * Cost: \( O(n K G) \) plus \( O(n^2) \) for the pairs.
 */
final class DeepHitKernel {
    private DeepHitKernel() {
    }

    /**
     * @param z logits, {@code [n][K * G]}
     * @param index grid interval of each row, {@code 0..G-1}
     * @param cause 0 = censored, {@code 1..K}
     * @param causes \( K \)
     * @param alpha weight of the likelihood, \( 1 - \alpha \) that of the ranking term
     * @param sigma the ranking term's scale
     * @param gradient receives d loss / d z (SUM), {@code [n][K * G]}, or null
     * @return the SUM-reduced loss, \( n \) times the MEAN
     */
    static double loss(double[][] z, int[] index, int[] cause, int causes, double alpha, double sigma,
                       double[][] gradient) {
        int n = z.length;
        if (n == 0) {
            return 0;
        }
        int cells = z[0].length;
        int grid = cells / causes;
        double[][] p = new double[n][];
        double[][] cif = new double[n][];
        double nll = 0;
        for (int i = 0; i < n; i++) {
            double logTotal = logSumExpWithPad(z[i], 0, cells);
            p[i] = new double[cells];
            for (int m = 0; m < cells; m++) {
                p[i][m] = Math.exp(z[i][m] - logTotal);
            }
            cif[i] = cumulative(p[i], causes, grid);
            int g = index[i];
            if (cause[i] > 0) {
                int target = (cause[i] - 1) * grid + g;
                nll += logTotal - z[i][target];
                if (gradient != null) {
                    for (int m = 0; m < cells; m++) {
                        gradient[i][m] = alpha * (p[i][m] - (m == target ? 1 : 0));
                    }
                }
            } else {
                double logBeyond = logBeyond(z[i], causes, grid, g);
                nll += logTotal - logBeyond;
                if (gradient != null) {
                    for (int m = 0; m < cells; m++) {
                        double beyond = m % grid > g ? Math.exp(z[i][m] - logBeyond) : 0;
                        gradient[i][m] = alpha * (p[i][m] - beyond);
                    }
                }
            }
        }
        double[][] b = gradient == null ? null : new double[n][cells];
        double rank = 0;
        for (int i = 0; i < n; i++) {
            if (cause[i] == 0) {
                continue;
            }
            int at = (cause[i] - 1) * grid + index[i];
            double fi = cif[i][at];
            double rowSum = 0;
            for (int j = 0; j < n; j++) {
                if (index[i] < index[j] || (index[i] == index[j] && cause[j] == 0)) {
                    double e = Math.exp(-(fi - cif[j][at]) / sigma);
                    rowSum += e;
                    if (b != null) {
                        b[j][at] += e / sigma;
                    }
                }
            }
            rank += rowSum;
            if (b != null) {
                b[i][at] -= rowSum / sigma;
            }
        }
        // pycox: each row's ranking loss is a mean over the n partners, its reduction a sum over rows
        double rankScale = (1 - alpha) / n;
        if (gradient != null) {
            for (int j = 0; j < n; j++) {
                addRankGradient(p[j], cif[j], b[j], causes, grid, rankScale, gradient[j]);
            }
        }
        return alpha * nll + rankScale * rank;
    }

    /** \( \sum_{g \ge g'} b(c', g) - \sum_{c,g} b(c,g) F_c(g) \), times \( p \) and the scale, added to {@code out}. */
    private static void addRankGradient(double[] p, double[] cif, double[] b, int causes, int grid, double scale,
                                        double[] out) {
        double centre = 0;
        for (int m = 0; m < b.length; m++) {
            centre += b[m] * cif[m];
        }
        for (int c = 0; c < causes; c++) {
            double later = 0;
            for (int g = grid - 1; g >= 0; g--) {
                int m = c * grid + g;
                later += b[m];
                out[m] += scale * p[m] * (later - centre);
            }
        }
    }

    /** Cumulative incidence per cause, {@code F[k * G + g] = sum over g' <= g of p[k * G + g']}. */
    static double[] cumulative(double[] p, int causes, int grid) {
        double[] f = new double[p.length];
        for (int c = 0; c < causes; c++) {
            double acc = 0;
            for (int g = 0; g < grid; g++) {
                acc += p[c * grid + g];
                f[c * grid + g] = acc;
            }
        }
        return f;
    }

    /** \( \log(\sum_m e^{z_m} + 1) \) over {@code z[from..to)} and the pad's logit 0. */
    static double logSumExpWithPad(double[] z, int from, int to) {
        double max = 0;
        for (int m = from; m < to; m++) {
            max = Math.max(max, z[m]);
        }
        double sum = Math.exp(-max);
        for (int m = from; m < to; m++) {
            sum += Math.exp(z[m] - max);
        }
        return max + Math.log(sum);
    }

    /** \( \log \) of the unnormalised mass after interval {@code g} of every cause, pad included. */
    private static double logBeyond(double[] z, int causes, int grid, int g) {
        double max = 0;
        for (int c = 0; c < causes; c++) {
            for (int h = g + 1; h < grid; h++) {
                max = Math.max(max, z[c * grid + h]);
            }
        }
        double sum = Math.exp(-max);
        for (int c = 0; c < causes; c++) {
            for (int h = g + 1; h < grid; h++) {
                sum += Math.exp(z[c * grid + h] - max);
            }
        }
        return max + Math.log(sum);
    }
}
