package org.survival4j.metrics;

import java.util.Arrays;

/**
 * Weighted values sorted once, answering "how much weight lies below {@code x}" and "at or below
 * {@code x}" by binary search: the pair counts of an AUC between cases and controls in
 * \( O(\log m) \) each. {@code -0.0} counts as {@code 0.0}.
 */
final class WeightedRanks {
    private final double[] sorted;
    private final double[] cumulative; // cumulative[q] = weight of sorted[0..q)

    /** The values {@code value[row]} with weights {@code weight[row]} of the rows where {@code include[row]}. */
    WeightedRanks(double[] value, double[] weight, boolean[] include) {
        int m = 0;
        Integer[] rows = new Integer[value.length];
        for (int i = 0; i < value.length; i++) {
            if (include[i]) {
                rows[m++] = i;
            }
        }
        Arrays.sort(rows, 0, m, (a, b) -> Double.compare(value[a] + 0.0, value[b] + 0.0));
        sorted = new double[m];
        cumulative = new double[m + 1];
        for (int q = 0; q < m; q++) {
            sorted[q] = value[rows[q]] + 0.0;
            cumulative[q + 1] = cumulative[q] + weight[rows[q]];
        }
    }

    /** Number of values. */
    int size() {
        return sorted.length;
    }

    /** Total weight. */
    double total() {
        return cumulative[sorted.length];
    }

    /** Weight of the values {@code < x}. */
    double below(double x) {
        return cumulative[bound(x + 0.0, false)];
    }

    /** Weight of the values {@code <= x}. */
    double notAbove(double x) {
        return cumulative[bound(x + 0.0, true)];
    }

    /** The number of values {@code < x} (or {@code <= x}). */
    private int bound(double x, boolean inclusive) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x || (inclusive && sorted[mid] == x)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
