package org.survival4j.data;

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
        // An array whose elements are exactly its buffer, in row-major order (also a reshaped view of
        // such an array), is read straight from the buffer: asDouble copies, converting float types.
        // Anything else (sub-views, 'f' order, offsets, strides) is laid out first.
        boolean wholeBuffer = a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.offset() == 0
                && a.data().length() == a.length();
        INDArray c = wholeBuffer ? a : a.dup('c');
        return c.data().asDouble();
    }

    /**
     * Whether the sum of {@code a}'s values is finite: false when any value is NaN or infinite
     * (IEEE arithmetic propagates both through a sum), and also when finite values are so large
     * (near the type's maximum) that their sum overflows. This is the cheap test of a diverged
     * optimizer step: one native reduction, several times faster in ND4J M2.1 than
     * {@code BooleanIndexing.or(a, Conditions.notFinite())} on 10^4-10^5 parameters.
     */
    public static boolean finiteSum(INDArray a) {
        return Double.isFinite(a.sumNumber().doubleValue());
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
}
