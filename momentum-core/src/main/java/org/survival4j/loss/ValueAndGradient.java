package org.survival4j.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss value with its gradient, computed in one pass.
 *
 * <p>The gradient covers the rows from {@link #firstRow()} to the end of the input (all rows unless a
 * suffix was asked for, as the momentum path does: memory-bank rows first, batch rows last). It has
 * the rank and data type of the model output it is the derivative with respect to.
 *
 * @since 0.1
 */
public final class ValueAndGradient {
    private final double value;
    private final INDArray gradient;
    private final int firstRow;
    private final int events;

    ValueAndGradient(double value, INDArray gradient, int firstRow, int events) {
        this.value = value;
        this.gradient = gradient;
        this.firstRow = firstRow;
        this.events = events;
    }

    /** The loss value (negative log-likelihood, reduced). */
    public double value() {
        return value;
    }

    /** d value / d output for rows {@code firstRow()} onwards. */
    public INDArray gradient() {
        return gradient;
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
