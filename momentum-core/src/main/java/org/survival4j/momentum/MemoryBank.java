package org.survival4j.momentum;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;

/**
 * The memory bank of momentum training (He et al. 2020, doi:10.1109/CVPR42600.2020.00975): a ring
 * of the last {@code capacity} rows of target outputs with their times and events, and their entry
 * times if the labels are counting-process ones (start, stop, event). The event column holds codes
 * up to the bank's {@link #causes()}: 0/1 event indicators (1), or the causes 0..K of competing
 * risks. A ring of rows, not batches, so partial and oversized batches work; values are copied
 * into preallocated Java arrays; rows are read oldest first, and {@link #write} / {@link #read}
 * keep them bit for bit. Not thread-safe: the {@link MomentumEngine} guards it.
 */
final class MemoryBank {
    private static final int FORMAT = 0x4D424B31; // "MBK1": rows of outputs, time, event
    private static final int FORMAT_WITH_START = 0x4D424B32; // "MBK2": rows of outputs, start, stop, event
    /** "MBK3": the largest cause and an entry-time flag in the header, rows of outputs, (start,) time, cause. */
    private static final int FORMAT_WITH_CAUSES = 0x4D424B33;
    /** The widest survival output: the grid-hazard loss has one column per knot (Cox 1, Weibull 2). */
    static final int MAX_COLUMNS = 1024;

    private final int capacity;
    private final int columns;
    private final int causes;        // the largest event code: 1 for event indicators
    private final double[] outputs; // row-major ring [capacity * columns]
    private final double[] start;   // null: labels (time, event) without entry times
    private final double[] time;
    private final double[] event;
    private int size;
    private int next; // storage row the next added row goes to

    private MemoryBank(int capacity, int columns, boolean entryTimes, int causes) {
        this.capacity = capacity;
        this.columns = columns;
        this.causes = causes;
        this.outputs = new double[capacity * columns];
        this.start = entryTimes ? new double[capacity] : null;
        this.time = new double[capacity];
        this.event = new double[capacity];
    }

    /** An empty bank of {@code capacity} rows of {@code columns} outputs (1 for Cox, 2 for Weibull, K for K knots). */
    static MemoryBank ofCapacity(int capacity, int columns) {
        return ofCapacity(capacity, columns, false);
    }

    /**
     * An empty bank as {@link #ofCapacity(int, int)}, whose rows also keep their entry times if
     * {@code entryTimes} (counting-process labels: a row is at risk at t when start < t <= stop).
     */
    static MemoryBank ofCapacity(int capacity, int columns, boolean entryTimes) {
        return ofCapacity(capacity, columns, entryTimes, 1);
    }

    /**
     * An empty bank as {@link #ofCapacity(int, int, boolean)} whose event column holds codes up to
     * {@code causes}: 1 for event indicators, the number of causes of competing risks, or
     * {@link SurvivalArguments#ANY_CAUSE}.
     */
    static MemoryBank ofCapacity(int capacity, int columns, boolean entryTimes, int causes) {
        checkShape(capacity, columns);
        SurvivalArguments.atLeast(causes, "causes", 1);
        return new MemoryBank(capacity, columns, entryTimes, causes);
    }

    /**
     * Fails unless a bank of {@code capacity} rows of {@code columns} outputs can be made.
     *
     * @throws IllegalArgumentException naming the limit
     */
    static void checkShape(int capacity, int columns) {
        SurvivalArguments.atLeast(capacity, "capacity", 1);
        SurvivalArguments.atLeast(columns, "columns", 1);
        if (columns > MAX_COLUMNS) {
            throw new IllegalArgumentException("columns = " + columns + ": survival outputs have 1 (Cox), 2 (Weibull)"
                    + " or one per knot (grid hazards, at most " + MAX_COLUMNS + ") columns");
        }
        if ((long) capacity * columns > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a bank of " + capacity + " rows x " + columns + " columns does not fit"
                    + " one Java array; use fewer steps or a smaller batch");
        }
    }

    /**
     * Appends copies of rows, overwriting the oldest once full. Everything is validated first: a
     * rejected call leaves the bank unchanged.
     *
     * @param outputs {@code [b][columns]}, finite
     * @param time {@code b} times, finite and {@code >= 0}
     * @param event {@code b} event codes, 0 to {@link #causes()} (0 or 1 for event indicators)
     */
    void add(double[][] outputs, double[] time, double[] event) {
        add(outputs, null, time, event);
    }

    /**
     * As {@link #add(double[][], double[], double[])} with the rows' entry times ({@code null} for
     * labels without them): a bank keeps either entry times for every row or for none.
     *
     * @param start {@code b} entry times, finite, {@code >= 0} and below the row's time, or null
     */
    void add(double[][] outputs, double[] start, double[] time, double[] event) {
        double[][] out = SurvivalArguments.finiteCells(outputs, "outputs");
        for (double[] row : out) {
            if (row.length != columns) {
                throw new IllegalArgumentException("outputs have " + row.length + " columns; this bank holds "
                        + columns);
            }
        }
        SurvivalArguments.time(time, "time", out.length);
        SurvivalArguments.eventCodes(event, out.length, causes);
        checkLayout(entryTimes(), start != null);
        if (start != null) {
            SurvivalArguments.entryTimes(start, time);
        }
        for (int i = Math.max(0, out.length - capacity); i < out.length; i++) {
            System.arraycopy(out[i], 0, this.outputs, next * columns, columns);
            if (start != null) {
                this.start[next] = start[i];
            }
            this.time[next] = time[i];
            this.event[next] = event[i];
            next = (next + 1) % capacity;
        }
        size = Math.min(capacity, size + out.length);
    }

    /**
     * Copies of the newest {@code m} rows ({@code 0 <= m <= size()}), oldest of them first; with
     * {@code m = 0} still of this bank's layout (with entry times or without).
     */
    BankRows newest(int m) {
        if (m < 0 || m > size) {
            throw new IllegalArgumentException("m = " + m + ": the bank holds " + size + " rows");
        }
        double[] out = new double[m * columns];
        double[] s = start == null ? null : new double[m];
        double[] t = new double[m];
        double[] e = new double[m];
        int first = ((size < capacity ? 0 : next) + size - m) % capacity;
        for (int i = 0; i < m; i++) {
            int row = (first + i) % capacity;
            System.arraycopy(outputs, row * columns, out, i * columns, columns);
            if (s != null) {
                s[i] = start[row];
            }
            t[i] = time[row];
            e[i] = event[row];
        }
        return new BankRows(columns, out, s, t, e);
    }

    /** Whether the rows keep entry times (counting-process labels). */
    boolean entryTimes() {
        return start != null;
    }

    /** The largest event code the rows may hold: 1 (event indicators), K causes, or {@link SurvivalArguments#ANY_CAUSE}. */
    int causes() {
        return causes;
    }

    /** How error messages name the codes up to {@code causes}: "events 0/1", "causes 0..K" or "any causes". */
    static String describeCodes(int causes) {
        return causes == 1 ? "events 0/1" : causes == SurvivalArguments.ANY_CAUSE ? "causes of any number"
                : "causes 0.." + causes;
    }

    /**
     * Refuses rows whose labels have the other layout than the bank's rows: a run keeps one, with
     * entry times (start, stop, event) or without (time, event).
     */
    static void checkLayout(boolean bankHasEntryTimes, boolean rowsHaveEntryTimes) {
        if (bankHasEntryTimes != rowsHaveEntryTimes) {
            throw new IllegalArgumentException("the memory bank holds rows " + (bankHasEntryTimes ? "with" : "without")
                    + " entry times but these labels come " + (rowsHaveEntryTimes ? "with" : "without") + " them:"
                    + " every batch of a run needs the same layout, labels [n, 2] (time, event) or [n, 3] (start,"
                    + " stop, event)");
        }
    }

    /** The stored rows as a new {@code [size, columns + 2]} double array (outputs, time, event), oldest first. */
    INDArray toArray() {
        BankRows rows = newest(size);
        double[][] table = new double[size][columns + 2];
        for (int i = 0; i < size; i++) {
            System.arraycopy(rows.outputs, i * columns, table[i], 0, columns);
            table[i][columns] = rows.time[i];
            table[i][columns + 1] = rows.event[i];
        }
        return size == 0 ? Nd4j.zeros(DataType.DOUBLE, 0, columns + 2) : Nd4j.createFromArray(table);
    }

    /**
     * Writes the stored rows, oldest first, as big-endian binary: a format tag, the column count,
     * the row count, then per row its outputs, (with entry times: its start,) time and event as
     * IEEE doubles. Event indicators keep the first layouts ({@code MBK1} without entry times,
     * {@code MBK2} with them); causes of competing risks are written as {@code MBK3}, whose header
     * continues with the largest cause and 1 or 0 for entry times or none. The stream is not closed.
     */
    void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(causes > 1 ? FORMAT_WITH_CAUSES : entryTimes() ? FORMAT_WITH_START : FORMAT);
        out.writeInt(columns);
        out.writeInt(size);
        if (causes > 1) {
            out.writeInt(causes);
            out.writeInt(entryTimes() ? 1 : 0);
        }
        BankRows rows = newest(size);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < columns; j++) {
                out.writeDouble(rows.outputs[i * columns + j]);
            }
            if (entryTimes()) {
                out.writeDouble(rows.start[i]);
            }
            out.writeDouble(rows.time[i]);
            out.writeDouble(rows.event[i]);
        }
        out.flush();
    }

    /**
     * Reads a bank written by {@link #write} into a bank of {@code capacity} rows.
     *
     * @throws IOException if the stream does not hold a bank, holds a damaged one (a column count no
     *     survival loss has, values that are not finite, times below 0, entry times not below their
     *     times, event codes other than 0/1 or above the largest cause), or
     *     holds more rows than {@code capacity}
     */
    static MemoryBank read(InputStream stream, int capacity) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int format = in.readInt();
        if (format != FORMAT && format != FORMAT_WITH_START && format != FORMAT_WITH_CAUSES) {
            throw new IOException("not a memory bank (format tag " + format + ", expected " + FORMAT + ", "
                    + FORMAT_WITH_START + " or " + FORMAT_WITH_CAUSES + ")");
        }
        int columns = in.readInt();
        int rows = in.readInt();
        boolean withCauses = format == FORMAT_WITH_CAUSES;
        int causes = withCauses ? in.readInt() : 1;
        int flag = withCauses ? in.readInt() : format == FORMAT_WITH_START ? 1 : 0;
        // MBK3 holds causes; event indicators keep MBK1/MBK2
        if (withCauses && (causes < 2 || flag < 0 || flag > 1)) {
            throw new IOException("damaged memory bank: largest cause " + causes + " and entry-time flag " + flag
                    + " (expected a cause >= 2 and 0 or 1)");
        }
        boolean entryTimes = flag == 1;
        // Checked before anything is allocated: a damaged header must not ask for gigabytes.
        if (columns < 1 || columns > MAX_COLUMNS) {
            throw new IOException("damaged memory bank: " + columns + " output columns (survival losses have 1 to "
                    + MAX_COLUMNS + ")");
        }
        if (rows < 0 || rows > capacity) {
            throw new IOException("memory bank of " + rows + " rows x " + columns + " columns does not fit capacity "
                    + capacity);
        }
        double[][] out = new double[rows][columns];
        double[] s = entryTimes ? new double[rows] : null;
        double[] t = new double[rows];
        double[] e = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                out[i][j] = in.readDouble();
            }
            if (entryTimes) {
                s[i] = in.readDouble();
            }
            t[i] = in.readDouble();
            e[i] = in.readDouble();
        }
        MemoryBank bank = ofCapacity(capacity, columns, entryTimes, causes);
        try {
            bank.add(out, s, t, e); // validates the values as for any batch
        } catch (IllegalArgumentException invalid) {
            throw new IOException("damaged memory bank: " + invalid.getMessage(), invalid);
        }
        return bank;
    }

    /** Rows currently stored. */
    int size() {
        return size;
    }

    /** Output columns per row. */
    int columns() {
        return columns;
    }

    @Override
    public String toString() {
        return "MemoryBank(size=" + size + ", capacity=" + capacity + ", columns=" + columns
                + (causes > 1 ? ", " + describeCodes(causes) : "") + ")";
    }
}
