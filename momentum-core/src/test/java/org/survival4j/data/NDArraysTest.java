package org.survival4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Reading arrays of every layout into Java: the fast path must not skip a view's offset or strides. */
class NDArraysTest {
    private static final INDArray MATRIX = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});

    @Test
    void rowMajorReadsEveryLayoutInRowMajorOrder() {
        List<INDArray> layouts = List.of(
                Nd4j.createFromArray(1.5, -2.0, 3.25),
                Nd4j.createFromArray(1.5f, -2.0f, 3.25f),
                Nd4j.createFromArray(1.5, -2.0, 3.25).reshape(3, 1),
                MATRIX,
                MATRIX.dup('f'),
                MATRIX.transpose(),
                MATRIX.getColumn(1),
                MATRIX.getRow(2),
                MATRIX.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all()),
                MATRIX.castTo(DataType.FLOAT).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)));
        for (INDArray a : layouts) {
            assertArrayEquals(elementByElement(a), NDArrays.rowMajor(a), 0.0, a.shapeInfoToString());
        }
    }

    @Test
    void rowMajorOfAnEmptyArrayIsEmpty() {
        assertEquals(0, NDArrays.rowMajor(Nd4j.create(DataType.DOUBLE, 0)).length);
    }

    @Test
    void allFiniteIsFalseForAnyNanOrInfiniteValueInAnyPosition() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            INDArray clean = Nd4j.linspace(-3, 3, 10_001, type);
            assertTrue(NDArrays.allFinite(clean), type.toString());
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                for (long at : new long[] {0, 5_000, 10_000}) {
                    INDArray a = clean.dup();
                    a.putScalar(at, bad);
                    assertFalse(NDArrays.allFinite(a), type + " " + bad + " at " + at);
                }
            }
            INDArray opposite = clean.dup();
            opposite.putScalar(1, Double.POSITIVE_INFINITY);
            opposite.putScalar(2, Double.NEGATIVE_INFINITY);
            assertFalse(NDArrays.allFinite(opposite), type + " +inf and -inf");
        }
        INDArray withNanOutsideView = MATRIX.dup();
        withNanOutsideView.putScalar(0, 0, Double.NaN);
        assertTrue(NDArrays.allFinite(withNanOutsideView.getRow(2)), "a view sees only its own elements");
        assertFalse(NDArrays.allFinite(withNanOutsideView.getColumn(0)));
    }

    @Test
    void rowsSplitsAMatrixAndTreatsAVectorAsOneColumn() {
        assertArrayEquals(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, NDArrays.rows(MATRIX));
        assertArrayEquals(new double[][] {{1, 4, 7}, {2, 5, 8}, {3, 6, 9}}, NDArrays.rows(MATRIX.transpose()));
        assertArrayEquals(new double[][] {{2}, {5}, {8}}, NDArrays.rows(MATRIX.getColumn(1)));
    }

    @Test
    void allFiniteJudgesEachValueNotTheirSum() {
        // A sum of these overflows to infinity; every value is finite all the same.
        assertTrue(NDArrays.allFinite(Nd4j.createFromArray(Float.MAX_VALUE, Float.MAX_VALUE)));
        assertTrue(NDArrays.allFinite(Nd4j.createFromArray(Double.MAX_VALUE, Double.MAX_VALUE)));
    }

    @Test
    void allFiniteReadsHalfPrecisionFOrderAndIntegerArrays() {
        INDArray half = Nd4j.createFromArray(1.0, 2.0, 3.0).castTo(DataType.HALF);
        assertTrue(NDArrays.allFinite(half));
        half.putScalar(1, Double.NaN);
        assertFalse(NDArrays.allFinite(half));
        INDArray fOrder = MATRIX.dup('f');
        assertTrue(NDArrays.allFinite(fOrder));
        fOrder.putScalar(2, 1, Double.POSITIVE_INFINITY);
        assertFalse(NDArrays.allFinite(fOrder));
        assertTrue(NDArrays.allFinite(Nd4j.createFromArray(1, 2, 3)));
        assertTrue(NDArrays.allFinite(Nd4j.create(DataType.FLOAT, 0)));
    }

    /** The reference: one getDouble per element, row-major. */
    private static double[] elementByElement(INDArray a) {
        double[] out = new double[(int) a.length()];
        long columns = a.rank() == 1 ? a.length() : a.size(1);
        for (int i = 0; i < out.length; i++) {
            out[i] = a.rank() == 1 ? a.getDouble(i) : a.getDouble(i / columns, i % columns);
        }
        return out;
    }

    @Test
    void intoOverwritesAnArrayOfTheSameTypeAndShapeInPlaceAndOtherwiseMakesANewOne() {
        INDArray floats = Nd4j.create(DataType.FLOAT, 2, 2);
        assertSame(floats, NDArrays.into(floats, new double[] {1, 2, 3, 4}, DataType.FLOAT, 2, 2));
        assertArrayEquals(new float[] {1, 2, 3, 4}, floats.reshape(4).toFloatVector());
        INDArray wider = NDArrays.into(floats, new double[] {1, 2, 3, 4, 5, 6}, DataType.FLOAT, 2, 3);
        assertNotSame(floats, wider);
        assertArrayEquals(new float[] {1, 2, 3, 4}, floats.reshape(4).toFloatVector(), "the old array is untouched");
        INDArray ints = NDArrays.into(null, new double[] {3, 1}, DataType.INT, 2);
        assertEquals(DataType.INT, ints.dataType());
        assertArrayEquals(new int[] {3, 1}, ints.toIntVector());
        INDArray view = Nd4j.create(DataType.FLOAT, 4).get(NDArrayIndex.interval(1, 3));
        assertNotSame(view, NDArrays.into(view, new double[] {1, 2}, DataType.FLOAT, 2), "a view is not its buffer");
        assertArrayEquals(new long[] {0, 2}, NDArrays.into(null, new double[0], DataType.FLOAT, 0, 2).shape());
    }

    @Test
    void finiteValuesNamesThePositionOfTheFirstNonFiniteValueInAnyRank() {
        INDArray cube = Nd4j.zeros(DataType.FLOAT, 2, 3, 4);
        assertSame(cube, SurvivalArguments.finiteValues(cube, "x"));
        cube.putScalar(new long[] {1, 2, 3}, Float.NEGATIVE_INFINITY);
        SurvivalArgumentException e = assertThrows(SurvivalArgumentException.class,
                () -> SurvivalArguments.finiteValues(cube, "x"));
        assertEquals("x[1, 2, 3] = -Infinity: values must be finite", e.getMessage());
    }
}
