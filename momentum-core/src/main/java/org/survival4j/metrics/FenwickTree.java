package org.survival4j.metrics;

/**
 * A Fenwick (binary indexed) tree of weights over slots {@code 0..size-1}: add a weight to a slot
 * and sum the weights of the slots below a given one, each in \( O(\log n) \) (Fenwick 1994,
 * "A new data structure for cumulative frequency tables", Softw. Pract. Exp. 24(3),
 * doi:10.1002/spe.4380240306). The concordance sweeps use one slot per distinct risk score, so
 * "below", "equal" and "above" a row's risk are three numbers per query. Not thread-safe.
 */
final class FenwickTree {
    private final double[] tree;  // 1-based partial sums
    private final double[] slot;  // the weight of each slot itself
    private double total;

    FenwickTree(int size) {
        tree = new double[size + 1];
        slot = new double[size];
    }

    void add(int index, double weight) {
        slot[index] += weight;
        total += weight;
        for (int i = index + 1; i < tree.length; i += i & -i) {
            tree[i] += weight;
        }
    }

    /** Sum of the weights of slots {@code 0..index-1}. */
    double below(int index) {
        double sum = 0;
        for (int i = index; i > 0; i -= i & -i) {
            sum += tree[i];
        }
        return sum;
    }

    /** The weight of slot {@code index}. */
    double at(int index) {
        return slot[index];
    }

    /** Sum of the weights of slots above {@code index}. */
    double above(int index) {
        return total - below(index) - slot[index];
    }
}
