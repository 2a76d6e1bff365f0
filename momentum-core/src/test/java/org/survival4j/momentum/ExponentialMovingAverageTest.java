package org.survival4j.momentum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ExponentialMovingAverageTest {
    @Test
    void movesTargetTowardsOnlineInPlace() {
        INDArray target = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray online = Nd4j.createFromArray(3.0, 2.0, -1.0);
        INDArray view = target;
        new ExponentialMovingAverage(0.75).update(List.of(target), List.of(online));
        // 0.75 * target + 0.25 * online
        assertArrayEquals(new double[] {1.5, 2.0, 2.0}, view.toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {3, 2, -1}, online.toDoubleVector());
    }

    @Test
    void updatesAViewOfALargerArray() {
        INDArray flat = Nd4j.createFromArray(1.0, 1.0, 1.0, 1.0);
        INDArray part = flat.get(NDArrayIndex.interval(1, 3));
        new ExponentialMovingAverage(0.5).update(List.of(part), List.of(Nd4j.createFromArray(3.0, 5.0)));
        assertArrayEquals(new double[] {1, 2, 3, 1}, flat.toDoubleVector(), 1e-15);
    }

    @Test
    void rateZeroCopiesAndRateOneKeeps() {
        INDArray target = Nd4j.createFromArray(1.0f, 2.0f);
        new ExponentialMovingAverage(0).update(List.of(target), List.of(Nd4j.createFromArray(5.0f, 6.0f)));
        assertArrayEquals(new float[] {5, 6}, target.toFloatVector());
        new ExponentialMovingAverage(1).update(List.of(target), List.of(Nd4j.createFromArray(0.0f, 0.0f)));
        assertArrayEquals(new float[] {5, 6}, target.toFloatVector());
    }

    @Test
    void rejectsRateOutsideUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(1.5));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(Double.NaN));
    }

    @Test
    void rejectsMismatchedParameters() {
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(0.9)
                .update(List.of(Nd4j.zeros(DataType.DOUBLE, 3)), List.of(Nd4j.zeros(DataType.DOUBLE, 2))));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(0.9)
                .update(List.of(Nd4j.zeros(DataType.DOUBLE, 2)), List.of(Nd4j.zeros(DataType.FLOAT, 2))));
    }

    @Test
    void smallArraysAveragedFromJavaAgreeWithTheNativeOps() {
        int n = ExponentialMovingAverage.JAVA_LIMIT + 1; // one more value: the native path
        INDArray online = Nd4j.rand(DataType.FLOAT, n);
        INDArray large = Nd4j.rand(DataType.FLOAT, n);
        INDArray small = large.get(NDArrayIndex.interval(0, n - 1)).dup();
        ExponentialMovingAverage ema = new ExponentialMovingAverage(0.999);
        ema.update(List.of(small), List.of(online.get(NDArrayIndex.interval(0, n - 1)).dup()));
        ema.update(List.of(large), List.of(online));
        assertArrayEquals(large.get(NDArrayIndex.interval(0, n - 1)).toFloatVector(), small.toFloatVector(), 1e-6f);
    }

    @Test
    void undoRestoresTheTargetBitForBitWhateverItsTypeAndLayout() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF)) {
            INDArray params = Nd4j.rand(DataType.DOUBLE, 1, 1_000).castTo(type);
            INDArray matrix = Nd4j.rand(DataType.DOUBLE, 4, 5).castTo(type);
            INDArray column = matrix.get(NDArrayIndex.all(), NDArrayIndex.point(2)); // a view
            List<INDArray> target = List.of(params, column);
            List<INDArray> before = List.of(params.dup(), matrix.dup());
            ExponentialMovingAverage ema = new ExponentialMovingAverage(0.9);
            ema.update(target, List.of(Nd4j.ones(type, 1, 1_000).muli(1e3), Nd4j.ones(type, 4).muli(1e3)));
            ema.undo(target);
            assertEquals(before.get(0), params, type.toString());
            assertEquals(before.get(1), matrix, type + ": the rest of the view's buffer untouched");
        }
    }
}
