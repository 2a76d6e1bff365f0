package org.survival4j.data;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copy-once conversions between {@link INDArray}s and Java arrays.
 *
 * <p>ND4J's {@code toDoubleMatrix()} builds a matrix one row view at a time (tens of microseconds a
 * row) and {@code toDoubleVector()} costs several microseconds even for a few values; the kernels
 * here are faster than that, so inputs are read with one contiguous copy instead.
 *
 * <pre>{@code
 * double[] v = NDArrays.rowMajor(Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}})); // [1, 2, 3, 4]
 * }</pre>
 *
 * @since 0.1
 */
public final class NDArrays {
    private NDArrays() {
    }

    /** The values of {@code a} in row-major order, as doubles (a new array). */
    public static double[] rowMajor(INDArray a) {
        if (a.isEmpty() || a.length() == 0) {
            return new double[0];
        }
        // asDouble copies the buffer, converting float types; sub-views are laid out first.
        return wholeBufferOrCopy(a).data().asDouble();
    }

    /** The rows of a matrix ({@code [n, c]}; a vector {@code [n]} counts as one column), as Java arrays. */
    public static double[][] rows(INDArray a) {
        int columns = a.rank() == 1 ? 1 : (int) a.size(1);
        double[] flat = rowMajor(a);
        double[][] rows = new double[(int) a.size(0)][columns];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(flat, i * columns, rows[i], 0, columns);
        }
        return rows;
    }

    /**
     * Whether every value of {@code a} is finite (no NaN, no infinity): the test of a diverged
     * optimizer step. Reads the values in place from Java, without an ND4J op: in ND4J M2.1 every op
     * allocates native result and pointer objects, and on a busy machine one in a few hundred
     * {@code sumNumber()} calls stalls for milliseconds on JavaCPP's allocation lock, while this loop
     * takes about 4 µs per 7,000 floats with no stalls ({@code docs/dl4j-notes.md}).
     * {@code BooleanIndexing.or(a, Conditions.notFinite())} is slower still (100-400 µs per call).
     */
    public static boolean allFinite(INDArray a) {
        if (a.isEmpty() || a.length() == 0 || !a.dataType().isFPType()) {
            return true;
        }
        DataBuffer data = wholeBufferOrCopy(a).data();
        int n = (int) a.length();
        if (data.dataType() == DataType.FLOAT) {
            FloatBuffer values = data.asNioFloat();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(values.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (data.dataType() == DataType.DOUBLE) {
            DoubleBuffer values = data.asNioDouble();
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(values.get(i))) {
                    return false;
                }
            }
            return true;
        }
        for (double v : data.asDouble()) { // half precision types: rare, so one converting copy
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the elements of {@code a} are exactly its buffer in row-major order: default strides,
     * offset 0, a buffer of exactly its length (this includes {@code [n, 1]} reshapes, which report
     * {@code isView()}, and a network's flattened parameters). Such an array can be read and written
     * through its buffer directly.
     */
    public static boolean isWholeBuffer(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.offset() == 0
                && a.data().length() == a.length();
    }

    /** {@code a} itself if {@link #isWholeBuffer}, otherwise a row-major copy (sub-views, 'f' order, strides). */
    private static INDArray wholeBufferOrCopy(INDArray a) {
        return isWholeBuffer(a) ? a : a.dup('c');
    }

    /**
     * A new array of the given floating-point type and shape holding {@code values} in row-major
     * order (non-floating types give DOUBLE).
     */
    public static INDArray create(double[] values, DataType type, long... shape) {
        if (type == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Nd4j.create(f, shape, 'c');
        }
        INDArray d = Nd4j.create(values, shape, 'c');
        return type.isFPType() && type != DataType.DOUBLE ? d.castTo(type) : d;
    }

    /**
     * {@code values} (row-major) as an array of the given type and shape: {@code reuse} overwritten
     * in place when it is a whole buffer of that type and shape (no native allocation), else a new
     * array. Integer types take the values rounded toward zero.
     *
     * @param reuse an array to overwrite, or null
     */
    public static INDArray into(INDArray reuse, double[] values, DataType type, long... shape) {
        if (reuse != null && reuse.dataType() == type && Arrays.equals(reuse.shape(), shape) && isWholeBuffer(reuse)) {
            if (values.length > 0) {
                reuse.data().setData(values);
            }
            return reuse;
        }
        if (values.length == 0) {
            return Nd4j.create(type, shape);
        }
        return type.isFPType() ? create(values, type, shape) : Nd4j.create(values, shape, 'c').castTo(type);
    }
}
