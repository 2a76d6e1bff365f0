package org.survival4j.momentum;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;

/**
 * A reusable copy of a parameter array, taken before an in-place update so that the update can be
 * undone: the target network's EMA step is kept only if the target's output afterwards is finite.
 *
 * <p>Float and double arrays that are exactly their buffer (a network's flattened parameters) are
 * copied into a Java array through the buffer's NIO view, one bulk copy and no ND4J op (about 1 µs
 * per 7,000 floats); anything else goes through a detached ND4J copy. The Java array is allocated
 * once and reused while the length stays the same.
 *
 * <pre>{@code
 * ParameterSnapshot before = new ParameterSnapshot();
 * before.take(target.params());
 * ema.update(target.params(), online.params());
 * if (!outputIsFinite) {
 *     before.restore(target.params()); // bit for bit as before the update
 * }
 * }</pre>
 *
 * @since 0.1
 */
final class ParameterSnapshot {
    private float[] floats;
    private double[] doubles;
    private INDArray copy;       // for other types and layouts
    private DataType takenType;  // what the last take() copied, null before the first
    private long takenLength;

    /** Copies the values of {@code params}, replacing any earlier snapshot. */
    void take(INDArray params) {
        int n = (int) params.length();
        boolean direct = NDArrays.isWholeBuffer(params);
        copy = null;
        if (direct && params.dataType() == DataType.FLOAT) {
            if (floats == null || floats.length != n) {
                floats = new float[n];
            }
            params.data().asNioFloat().get(0, floats);
        } else if (direct && params.dataType() == DataType.DOUBLE) {
            if (doubles == null || doubles.length != n) {
                doubles = new double[n];
            }
            params.data().asNioDouble().get(0, doubles);
        } else {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                copy = params.dup();
            }
        }
        takenType = params.dataType();
        takenLength = params.length();
    }

    /**
     * Writes the values taken by {@link #take} back into {@code params}: the same array, or one of
     * the same type, length and layout.
     *
     * @throws IllegalStateException if no snapshot of such an array was taken
     */
    void restore(INDArray params) {
        if (takenType != params.dataType() || takenLength != params.length()) {
            throw new IllegalStateException("the snapshot holds " + takenLength + " " + takenType + " values; cannot"
                    + " restore " + params.length() + " " + params.dataType() + " parameters from it");
        }
        if (copy != null) {
            params.assign(copy);
        } else if (!NDArrays.isWholeBuffer(params)) {
            throw new IllegalStateException("the snapshot was taken from a whole buffer; restore it into the same"
                    + " array");
        } else if (takenType == DataType.FLOAT) {
            params.data().asNioFloat().put(0, floats);
        } else {
            params.data().asNioDouble().put(0, doubles);
        }
    }
}
