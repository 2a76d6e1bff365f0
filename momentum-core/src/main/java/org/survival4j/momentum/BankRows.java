package org.survival4j.momentum;

import java.util.Arrays;
import org.survival4j.data.SurvivalArguments;

/**
 * The bank rows a batch is pooled with: the newest rows of the memory bank, oldest first, placed
 * before the batch rows in the loss. They take part in the likelihood (every Cox risk set and
 * event count, the Weibull mean; with competing risks the risk sets of every cause, the Fine-Gray
 * censoring weights, DeepHit's ranking pairs) but are constants: only the batch rows get a
 * gradient. With counting-process labels they keep their entry times, so that a pooled risk set
 * follows the same rule as the batch's ({@code start < t <= stop}).
 *
 * <p>An immutable snapshot of Java arrays, from {@link MomentumEngine#bankRowsFor(int)}, which
 * returns the same instance until the bank changes, so a loss may key its cache on the instance.
 *
 * <pre>{@code
 * BankRows rows = engine.bankRowsFor(16);
 * double[] pooledTime = rows.timeThen(batchTime);   // bank times, then the batch's
 * }</pre>
 *
 * @since 0.1
 */
public final class BankRows {
    /** No rows: the batch alone. */
    public static final BankRows NONE = new BankRows(0, new double[0], null, new double[0], new double[0]);

    private final int columns;
    final double[] outputs; // row-major [size * columns]
    final double[] start;   // null: rows without entry times
    final double[] time;
    final double[] event;

    BankRows(int columns, double[] outputs, double[] start, double[] time, double[] event) {
        this.columns = columns;
        this.outputs = outputs;
        this.start = start;
        this.time = time;
        this.event = event;
    }

    /**
     * Fixed rows, e.g. to check gradients with a bank held constant; the values are validated and copied.
     *
     * @param outputs {@code [m][columns]}, finite, as many columns as the loss reads
     * @param time {@code m} times, finite and {@code >= 0}
     * @param event {@code m} event codes: 0 or 1, or for a competing-risks loss the causes (whole
     *              numbers {@code >= 0}); the loss checks that it takes them
     */
    public static BankRows of(double[][] outputs, double[] time, double[] event) {
        return of(outputs, null, time, event);
    }

    /**
     * Fixed counting-process rows (start, stop, event), validated and copied as
     * {@link #of(double[][], double[], double[])}; {@code start} null gives rows without entry times.
     */
    public static BankRows of(double[][] outputs, double[] start, double[] time, double[] event) {
        int columns = outputs.length == 0 ? 1 : outputs[0].length;
        MemoryBank bank = MemoryBank.ofCapacity(Math.max(1, outputs.length), columns, start != null,
                SurvivalArguments.ANY_CAUSE);
        bank.add(outputs, start, time, event);
        return bank.newest(outputs.length);
    }

    /** Number of rows. */
    public int size() {
        return time.length;
    }

    /** Output columns per row (0 when there are no rows). */
    public int columns() {
        return columns;
    }

    /** The outputs, row-major ({@code size() * columns()} values): a copy. */
    public double[] outputValues() {
        return outputs.clone();
    }

    /** These rows' outputs followed by {@code batch}'s rows. */
    public double[][] outputThen(double[][] batch) {
        double[][] all = new double[size() + batch.length][];
        for (int i = 0; i < size(); i++) {
            all[i] = Arrays.copyOfRange(outputs, i * columns, (i + 1) * columns);
        }
        System.arraycopy(batch, 0, all, size(), batch.length);
        return all;
    }

    /**
     * These rows' entry times followed by {@code batch}'s, or {@code null} if both have none (the
     * rows of {@link #NONE} match either). No rows of a bank (a batch as large as the bank) still
     * have the bank's layout, so that a batch of the other layout is refused before its step, not
     * when its rows would enter the bank.
     *
     * @throws IllegalArgumentException if only one of them has entry times
     */
    public double[] startThen(double[] batch) {
        if (this == NONE) {
            return batch;
        }
        MemoryBank.checkLayout(start != null, batch != null);
        return start == null ? null : concat(start, batch);
    }

    /** These rows' times followed by {@code batch}'s. */
    public double[] timeThen(double[] batch) {
        return concat(time, batch);
    }

    /** These rows' event codes (0 or 1, or causes) followed by {@code batch}'s. */
    public double[] eventThen(double[] batch) {
        return concat(event, batch);
    }

    /** Whether the rows keep entry times (counting-process labels). */
    public boolean hasEntryTimes() {
        return start != null;
    }

    /** True if any row is an event. */
    boolean hasEvent() {
        return Arrays.stream(event).anyMatch(e -> e != 0);
    }

    private static double[] concat(double[] first, double[] second) {
        double[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Override
    public String toString() {
        return "BankRows(" + size() + " rows)";
    }
}
