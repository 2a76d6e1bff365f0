package org.survival4j.data;

import java.util.Arrays;

/**
 * \( \log \sum_i e^{x_i} \) over a fixed number of slots, with point updates and range queries in
 * {@code O(log size)}, never subtracting: an iterative segment tree whose nodes hold the
 * log-sum-exp of their leaves. An empty slot holds \( -\infty \).
 *
 * <pre>{@code
 * LogSumExpTree tree = new LogSumExpTree(3);
 * tree.set(0, 1000.0);
 * tree.set(2, 1000.0);
 * tree.total();          // 1000 + log 2
 * tree.set(0, Double.NEGATIVE_INFINITY);
 * tree.range(0, 2);      // -Infinity: slots 0 and 1 are empty
 * }</pre>
 */
public final class LogSumExpTree {
    private final int size;
    private final double[] node;

    /** {@code size} empty slots. */
    public LogSumExpTree(int size) {
        this.size = size;
        this.node = new double[2 * Math.max(1, size)];
        Arrays.fill(node, Double.NEGATIVE_INFINITY);
    }

    /** Sets slot {@code i} to {@code logValue} ({@code -Infinity} empties it). */
    public void set(int i, double logValue) {
        int p = i + size;
        node[p] = logValue;
        for (p >>= 1; p >= 1; p >>= 1) {
            node[p] = logAdd(node[2 * p], node[2 * p + 1]);
        }
    }

    /** log-sum-exp of all slots. */
    public double total() {
        return range(0, size);
    }

    /** log-sum-exp of slots {@code from} (inclusive) to {@code to} (exclusive). */
    public double range(int from, int to) {
        double left = Double.NEGATIVE_INFINITY;
        double right = Double.NEGATIVE_INFINITY;
        for (int l = from + size, r = to + size; l < r; l >>= 1, r >>= 1) {
            if ((l & 1) == 1) {
                left = logAdd(left, node[l++]);
            }
            if ((r & 1) == 1) {
                right = logAdd(node[--r], right);
            }
        }
        return logAdd(left, right);
    }

    /** \( \log(e^a + e^b) \), exact for any magnitudes. */
    public static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(Math.min(a, b) - max));
    }
}
