package org.survival4j.dl4j;

import org.survival4j.momentum.MemoryBank;

/**
 * Rows a survival loss function places before the rows of the batch: the memory bank of momentum
 * training.
 *
 * <p>Leading rows take part in the likelihood (every Cox risk set and event count, the Weibull mean)
 * but they are constants: the gradient covers the batch rows only (the {@code firstRow} argument of
 * the core losses' {@code valueAndGradient}).
 *
 * <p>An instance is an immutable snapshot (the values are copied in), so its identity can key a
 * loss's cache: the supplier returns a new instance whenever the rows change, and the same instance
 * while they do not.
 */
final class LeadingRows {
    /** No leading rows: the plain batch loss. */
    static final LeadingRows NONE = new LeadingRows(new double[0][], new double[0], new double[0]);

    private final double[][] output;
    private final double[] time;
    private final double[] event;

    private LeadingRows(double[][] output, double[] time, double[] event) {
        this.output = output;
        this.time = time;
        this.event = event;
    }

    /** A snapshot of a memory bank's rows, oldest first (Java copies only: no ND4J array per step). */
    static LeadingRows of(MemoryBank bank) {
        int size = bank.size();
        if (size == 0) {
            return NONE;
        }
        int columns = bank.columns();
        double[] flat = new double[size * columns];
        double[] time = new double[size];
        double[] event = new double[size];
        bank.copyNewest(size, flat, time, event);
        double[][] output = new double[size][columns];
        for (int i = 0; i < size; i++) {
            System.arraycopy(flat, i * columns, output[i], 0, columns);
        }
        return new LeadingRows(output, time, event);
    }

    /** The newest {@code rows} of these rows (all of them if there are fewer). */
    LeadingRows newest(int rows) {
        int keep = Math.max(0, Math.min(rows, size()));
        if (keep == size()) {
            return this;
        }
        int from = size() - keep;
        return new LeadingRows(java.util.Arrays.copyOfRange(output, from, size()),
                java.util.Arrays.copyOfRange(time, from, size()), java.util.Arrays.copyOfRange(event, from, size()));
    }

    /** Output columns per row (0 when empty). */
    int columns() {
        return output.length == 0 ? 0 : output[0].length;
    }

    /** Number of rows. */
    int size() {
        return time.length;
    }

    /** These rows' outputs followed by {@code batch}'s. */
    double[][] outputThen(double[][] batch) {
        double[][] all = new double[output.length + batch.length][];
        System.arraycopy(output, 0, all, 0, output.length);
        System.arraycopy(batch, 0, all, output.length, batch.length);
        return all;
    }

    /** These rows' times followed by {@code batch}'s. */
    double[] timeThen(double[] batch) {
        return concat(time, batch);
    }

    /** These rows' events followed by {@code batch}'s. */
    double[] eventThen(double[] batch) {
        return concat(event, batch);
    }

    private static double[] concat(double[] first, double[] second) {
        double[] all = new double[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Override
    public String toString() {
        return "LeadingRows(" + size() + " rows)";
    }
}
