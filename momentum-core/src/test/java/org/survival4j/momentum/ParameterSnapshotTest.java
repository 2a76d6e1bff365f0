package org.survival4j.momentum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ParameterSnapshotTest {
    @Test
    void restoreUndoesAnInPlaceUpdateBitForBit() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF)) {
            INDArray params = Nd4j.rand(DataType.DOUBLE, 1, 1_000).castTo(type);
            INDArray before = params.dup();
            ParameterSnapshot snapshot = new ParameterSnapshot();
            snapshot.take(params);
            new ExponentialMovingAverage(0.9).update(params, Nd4j.ones(type, 1, 1_000).muli(1e3));
            assertNotEquals(before, params, type.toString());
            snapshot.restore(params);
            assertEquals(before, params, type.toString());
        }
    }

    @Test
    void aViewIsRestoredWithoutTouchingTheRestOfItsBuffer() {
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 4, 5);
        INDArray column = matrix.get(NDArrayIndex.all(), NDArrayIndex.point(2));
        INDArray before = matrix.dup();
        ParameterSnapshot snapshot = new ParameterSnapshot();
        snapshot.take(column);
        column.assign(7);
        snapshot.restore(column);
        assertEquals(before, matrix);
    }

    @Test
    void restoringSomethingElseThanWasTakenFails() {
        ParameterSnapshot snapshot = new ParameterSnapshot();
        assertThrows(IllegalStateException.class, () -> snapshot.restore(Nd4j.zeros(DataType.FLOAT, 3)));
        snapshot.take(Nd4j.zeros(DataType.FLOAT, 3));
        assertThrows(IllegalStateException.class, () -> snapshot.restore(Nd4j.zeros(DataType.FLOAT, 4)));
        assertThrows(IllegalStateException.class, () -> snapshot.restore(Nd4j.zeros(DataType.DOUBLE, 3)));
        INDArray view = Nd4j.zeros(DataType.FLOAT, 2, 3).getColumn(0);
        snapshot.take(Nd4j.zeros(DataType.FLOAT, 2));
        assertThrows(IllegalStateException.class, () -> snapshot.restore(view));
    }
}
