package org.survival4j.dl4j;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;

/**
 * A loss value and its gradient for one batch, in the scale DL4J expects, kept so that the
 * {@code computeScore} call that follows {@code computeGradient} on the same batch does not
 * compute the likelihood again.
 *
 * <p><b>Loss scaling</b> (the one place it is explained). DL4J calls a loss with
 * {@code average = false} and then divides the score and the gradient by the minibatch size
 * {@code n} (all rows, masked ones too). To make {@code net.score()} equal the likelihood's MEAN
 * value (Cox: over the pooled events; Weibull: over the pooled rows), the value held here is
 * {@code n} times that mean, and the gradient {@code n} times its gradient
 * ({@link #scaled(double, int)}), so the updater sees exactly the gradient of the MEAN loss. A
 * network built with {@code miniBatch(false)} skips DL4J's division and would see {@code n} times
 * both: {@code Momentum.attach} refuses it, and without momentum such a network reports {@code n}
 * times the loss.
 *
 * <p>Immutable once built: it holds only Java arrays, never a reference to a DL4J or workspace
 * array, and an instance is safe to share between threads.
 */
final class LossEvaluation {
    private final SurvivalBatch batch;
    private final SurvivalLossFunction.Pooling pooling;
    private final double value;
    private final double[][] outputGradient;

    /**
     * @param batch the inputs this result belongs to
     * @param pooling the rows the batch was pooled with (their identity is compared)
     * @param value n times the reduced loss
     * @param outputGradient n times d(reduced loss)/d(activated output) (times the pooling's gradient
     *                       scale), {@code [n][c]}, 0 for excluded rows
     */
    LossEvaluation(SurvivalBatch batch, SurvivalLossFunction.Pooling pooling, double value,
                   double[][] outputGradient) {
        this.batch = batch;
        this.pooling = pooling;
        this.value = value;
        this.outputGradient = outputGradient;
    }

    /** Multiplies a reduced value (or gradient entry) by the minibatch size: see the class comment. */
    static double scaled(double reduced, int rows) {
        return reduced * rows;
    }

    /** True if this result was computed from the same inputs and the same pooling. */
    boolean matches(SurvivalBatch other, SurvivalLossFunction.Pooling otherPooling) {
        return pooling == otherPooling && batch.sameInputs(other);
    }

    /** The batch this result belongs to. */
    SurvivalBatch batch() {
        return batch;
    }

    /** What {@code computeScore(..., average = false)} returns: n times the reduced loss. */
    double value() {
        return value;
    }

    /** What {@code computeScore(..., average)} returns. */
    double score(boolean average) {
        int n = batch.rows();
        return average ? (n == 0 ? 0 : value / n) : value;
    }

    /**
     * The gradient with respect to the pre-activation output, in the data type of {@code preOutput}
     * and in the caller's workspace, as {@code ILossFunction.computeGradient} returns it: the
     * activation's backprop applied to the stored output gradient, then excluded rows set to 0.
     */
    INDArray preOutputGradient(INDArray preOutput, IActivation activation) {
        int n = batch.rows();
        int columns = batch.columns();
        if (n == 0) {
            return Nd4j.zerosLike(preOutput);
        }
        double[] flat = new double[n * columns];
        for (int row = 0; row < n; row++) {
            System.arraycopy(outputGradient[row], 0, flat, row * columns, columns);
        }
        INDArray dLdOutput = NDArrays.create(flat, preOutput.dataType(), n, columns);
        // Identity's backprop returns its epsilon unchanged: skip the op (and the copy of preOutput).
        INDArray dLdPreOutput = activation instanceof ActivationIdentity ? dLdOutput
                : activation.backprop(preOutput.dup(), dLdOutput).getFirst();
        if (batch.includedCount() < n) {
            // Set, rather than multiply: 0 * NaN in a padded row would still be NaN.
            boolean[] included = batch.included();
            for (int row = 0; row < n; row++) {
                for (int j = 0; !included[row] && j < columns; j++) {
                    dLdPreOutput.putScalar(row, j, 0.0);
                }
            }
        }
        return dLdPreOutput;
    }
}
