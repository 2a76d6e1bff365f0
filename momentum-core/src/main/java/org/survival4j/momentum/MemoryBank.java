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
 * A ring buffer of the last {@code capacity} rows of target-network outputs with their labels:
 * the memory bank of momentum training (He et al. 2020, doi:10.1109/CVPR42600.2020.00975; torchsurv's
 * {@code Momentum}).
 *
 * <p>Each training step appends the target network's outputs for the batch, with the batch's times
 * and events; once full, the oldest rows are overwritten. The bank is a ring of rows, not of
 * batches, so partial batches and batches larger than the capacity work (only the newest
 * {@code capacity} rows of a large batch are kept). Values are copied into preallocated Java
 * arrays: the bank never holds a reference to an {@link INDArray} it was given, so workspace or
 * prefetch buffers that are later overwritten cannot change it.
 *
 * <p>Rows are always returned oldest first, so a bank saved with {@link #write} and rebuilt with
 * {@link #read} gives bit-identical losses afterwards.
 *
 * <p>Not thread-safe: one bank belongs to one training loop.
 *
 * <pre>{@code
 * MemoryBank bank = MemoryBank.ofCapacity(4, 1);
 * bank.add(Nd4j.createFromArray(new double[][] {{0.1}, {0.2}, {0.3}}),
 *          Nd4j.createFromArray(5.0, 6.0, 7.0), Nd4j.createFromArray(1.0, 0.0, 1.0));
 * bank.add(Nd4j.createFromArray(new double[][] {{0.4}, {0.5}}),
 *          Nd4j.createFromArray(8.0, 9.0), Nd4j.createFromArray(0.0, 1.0));
 * bank.size();            // 4: the first row (time 5) was overwritten
 * bank.time();            // [6, 7, 8, 9]
 * }</pre>
 *
 * @since 0.1
 */
final class MemoryBank {
    private static final int FORMAT = 0x4D424B31; // "MBK1"
    private static final int MAX_COLUMNS = 2;     // the widest survival output: Weibull's (log scale, log shape)

    private final int capacity;
    private final int columns;
    private final double[] outputs;
    private final double[] time;
    private final double[] event;
    private int size;
    private int next; // storage row the next added row goes to

    private MemoryBank(int capacity, int columns) {
        this.capacity = capacity;
        this.columns = columns;
        this.outputs = new double[capacity * columns];
        this.time = new double[capacity];
        this.event = new double[capacity];
    }

    /**
     * An empty bank.
     *
     * @param capacity rows kept, e.g. {@code steps * batchSize}
     * @param columns output columns per row (1 for Cox, 2 for Weibull)
     */
    static MemoryBank ofCapacity(int capacity, int columns) {
        SurvivalArguments.atLeast(capacity, "capacity", 1);
        SurvivalArguments.atLeast(columns, "columns", 1);
        if (columns > MAX_COLUMNS) {
            throw new IllegalArgumentException("columns = " + columns + ": survival outputs have 1 (Cox) or "
                    + MAX_COLUMNS + " (Weibull) columns");
        }
        return new MemoryBank(capacity, columns);
    }

    /**
     * Writes the stored rows, oldest first, as big-endian binary: a format tag, the column count,
     * the row count, then per row its outputs, time and event as IEEE doubles. {@link #read} gives
     * back a bank with the same rows bit for bit. The stream is not closed.
     */
    void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(FORMAT);
        out.writeInt(columns);
        out.writeInt(size);
        int first = oldest();
        for (int i = 0; i < size; i++) {
            int row = (first + i) % capacity;
            for (int j = 0; j < columns; j++) {
                out.writeDouble(outputs[row * columns + j]);
            }
            out.writeDouble(time[row]);
            out.writeDouble(event[row]);
        }
        out.flush();
    }

    /**
     * Reads a bank written by {@link #write}.
     *
     * @param capacity the capacity of the new bank; at least the number of rows written
     * @throws IOException if the stream does not hold a bank (also: a damaged one, with a column count
     *     no survival loss has, values that are not finite, times below 0 or events other than 0/1),
     *     or holds more rows than {@code capacity}
     */
    static MemoryBank read(InputStream stream, int capacity) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("not a memory bank (format tag " + format + ", expected " + FORMAT + ")");
        }
        int columns = in.readInt();
        int rows = in.readInt();
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
        double[] t = new double[rows];
        double[] e = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                out[i][j] = in.readDouble();
            }
            t[i] = in.readDouble();
            e[i] = in.readDouble();
        }
        MemoryBank bank = ofCapacity(capacity, columns);
        try {
            bank.add(out, t, e); // validates the values as for any batch
        } catch (IllegalArgumentException invalid) {
            throw new IOException("damaged memory bank: " + invalid.getMessage(), invalid);
        }
        return bank;
    }

    /**
     * Appends rows, overwriting the oldest once full. Everything is validated before anything is
     * written: a rejected call leaves the bank unchanged.
     *
     * @param outputs {@code [b, columns]} (or {@code [b]} when columns = 1), finite
     * @param time {@code [b]}, finite and {@code >= 0}
     * @param event {@code [b]}, 0 or 1
     */
    void add(INDArray outputs, INDArray time, INDArray event) {
        double[][] out = SurvivalArguments.finiteColumns(outputs, "outputs", columns);
        put(checkColumns(out), SurvivalArguments.time(time, "time", out.length),
                SurvivalArguments.event(event, "event", out.length));
    }

    /**
     * As {@link #add(INDArray, INDArray, INDArray)} for Java arrays, which are copied: the form the
     * training loop uses, since it holds the batch's labels as Java arrays already and every ND4J
     * array it avoids is one native allocation less per step.
     *
     * @param outputs {@code [b][columns]}, finite
     * @param time {@code b} times, finite and {@code >= 0}
     * @param event {@code b} indicators, 0 or 1
     */
    void add(double[][] outputs, double[] time, double[] event) {
        double[][] out = checkColumns(SurvivalArguments.finiteCells(outputs, "outputs"));
        put(out, SurvivalArguments.time(time, "time", out.length), SurvivalArguments.event(event, "event", out.length));
    }

    private double[][] checkColumns(double[][] out) {
        for (double[] row : out) {
            if (row.length != columns) {
                throw new IllegalArgumentException("outputs have " + row.length + " columns; this bank holds "
                        + columns);
            }
        }
        return out;
    }

    private void put(double[][] out, double[] t, boolean[] e) {
        int b = out.length;
        for (int i = Math.max(0, b - capacity); i < b; i++) {
            System.arraycopy(out[i], 0, this.outputs, next * columns, columns);
            this.time[next] = t[i];
            this.event[next] = e[i] ? 1 : 0;
            next = (next + 1) % capacity;
        }
        size = Math.min(capacity, size + b);
    }

    /** Outputs of the stored rows, oldest first: a new {@code [size, columns]} double array. */
    INDArray outputs() {
        double[] out = new double[size * columns];
        int first = oldest();
        for (int i = 0; i < size; i++) {
            System.arraycopy(outputs, ((first + i) % capacity) * columns, out, i * columns, columns);
        }
        return Nd4j.createFromArray(out).reshape(size, columns);
    }

    /**
     * Copies the newest {@code m} rows, oldest of them first, into the start of the given arrays: one
     * copy, no {@link INDArray} in between (for a caller that pools them with more rows).
     *
     * @param m rows to copy, {@code 0 <= m <= size()}
     * @param outputs receives {@code m * columns()} values, row-major
     * @param time receives {@code m} times
     * @param event receives {@code m} events (1 or 0)
     */
    void copyNewest(int m, double[] outputs, double[] time, double[] event) {
        if (m < 0 || m > size) {
            throw new IllegalArgumentException("m = " + m + ": the bank holds " + size + " rows");
        }
        int first = (oldest() + size - m) % capacity;
        for (int i = 0; i < m; i++) {
            int row = (first + i) % capacity;
            System.arraycopy(this.outputs, row * columns, outputs, i * columns, columns);
            time[i] = this.time[row];
            event[i] = this.event[row];
        }
    }

    /** Times of the stored rows, oldest first: a new {@code [size]} double array. */
    INDArray time() {
        return vector(ordered(time));
    }

    /** Events of the stored rows (1 or 0), oldest first: a new {@code [size]} double array. */
    INDArray event() {
        return vector(ordered(event));
    }

    /** ND4J makes {@code createFromArray(new double[0])} a scalar-shaped {@code []}; an empty vector is {@code [0]}. */
    private static INDArray vector(double[] values) {
        return values.length == 0 ? Nd4j.create(DataType.DOUBLE, 0) : Nd4j.createFromArray(values);
    }

    /** The stored rows as {@code [size, columns + 2]} (outputs, time, event), oldest first; for checkpoints. */
    INDArray toArray() {
        return Nd4j.hstack(outputs(), time().reshape(size, 1), event().reshape(size, 1));
    }

    /** Rows currently stored. */
    int size() {
        return size;
    }

    /** Maximum number of rows. */
    int capacity() {
        return capacity;
    }

    /** Output columns per row. */
    int columns() {
        return columns;
    }

    private int oldest() {
        return size < capacity ? 0 : next;
    }

    private double[] ordered(double[] ring) {
        double[] out = new double[size];
        int first = oldest();
        for (int i = 0; i < size; i++) {
            out[i] = ring[(first + i) % capacity];
        }
        return out;
    }

    @Override
    public String toString() {
        return "MemoryBank(size=" + size + ", capacity=" + capacity + ", columns=" + columns + ")";
    }
}
