package org.survival4j.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;

/**
 * A loss value with its gradient, computed in one pass.
 *
 * <p>The gradient covers the rows from {@link #firstRow()} to the end of the input (all rows unless a
 * suffix was asked for, as the momentum path does: memory-bank rows first, batch rows last). It has
 * the rank and data type of the model output it is the derivative with respect to. The values are
 * kept as a Java array; {@link #gradient()} builds the {@link INDArray} on first use, so a caller
 * that reads {@link #gradientValues()} allocates no native memory.
 *
 * @since 0.1
 */
public final class ValueAndGradient {
    private final double value;
    private final double[] gradient; // row-major, or null
    private final DataType type;
    private final long[] shape;
    private final int firstRow;
    private final int events;
    private volatile INDArray gradientArray;

    ValueAndGradient(double value, double[] gradient, DataType type, long[] shape, int firstRow, int events) {
        this.value = value;
        this.gradient = gradient;
        this.type = type;
        this.shape = shape;
        this.firstRow = firstRow;
        this.events = events;
    }

    /**
     * A SUM-reduced value and gradient, both divided by {@code events} for {@link Reduction#MEAN}
     * (left as they are when there is no event: the no-event rule gives 0 and a zero gradient).
     *
     * @param gradient row-major gradient values, divided in place, or null
     */
    static ValueAndGradient reduced(double value, double[] gradient, Reduction reduction, int events, DataType type,
                                    long[] shape, int firstRow) {
        if (events > 0 && reduction == Reduction.MEAN) {
            value /= events;
            if (gradient != null) {
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] /= events;
                }
            }
        }
        return new ValueAndGradient(value, gradient, type, shape, firstRow, events);
    }

    /** The loss value (negative log-likelihood, reduced). */
    public double value() {
        return value;
    }

    /**
     * d value / d output for rows {@code firstRow()} onwards (null if only the value was computed):
     * built on the first call, outside any workspace, and the same array afterwards.
     */
    public INDArray gradient() {
        INDArray array = gradientArray;
        if (array == null && gradient != null) {
            // Detached: it is kept, so it must not live in a workspace the caller may close.
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                array = NDArrays.create(gradient, type, shape);
            }
            gradientArray = array;
        }
        return array;
    }

    /** The values of {@link #gradient()}, row-major, in double precision (a new array; null if none). */
    public double[] gradientValues() {
        return gradient == null ? null : gradient.clone();
    }

    /** This value with the gradient of rows {@code row} onwards only (rank 1 or 2 kept); {@code row >= firstRow()}. */
    ValueAndGradient fromRow(int row) {
        double[] g = Arrays.copyOfRange(gradient, row - firstRow, gradient.length);
        long[] s = shape.clone();
        s[0] = g.length / (shape.length == 2 ? shape[1] : 1);
        return new ValueAndGradient(value, g, type, s, row, events);
    }

    /** The first row the gradient covers. */
    public int firstRow() {
        return firstRow;
    }

    /**
     * Number of events in the input. A Cox loss over a set without events is 0 with a zero
     * gradient; callers that want to count such batches check this.
     */
    public int events() {
        return events;
    }

    @Override
    public String toString() {
        return "ValueAndGradient{value=" + value + ", events=" + events + ", firstRow=" + firstRow + "}";
    }
}
