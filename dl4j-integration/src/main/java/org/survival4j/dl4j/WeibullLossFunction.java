package org.survival4j.dl4j;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.loss.WeibullLikelihood;

/**
 * The Weibull negative log-likelihood as a DL4J loss function: an output layer with two outputs,
 * the log scale \( \log\lambda \) and the log shape \( \log\rho \) of each row's survival time, or
 * one output (the log scale, with \( \rho = 1 \): the exponential model), and identity activation.
 *
 * <p><b>Layout.</b> Labels are {@code [n, 2]}: column 0 the observed time (finite, {@code >= 0}),
 * column 1 the event indicator (1 = event, 0 = censored). The pre-activation output is
 * {@code [n, 2]} or {@code [n, 1]}; the layer's activation is applied to it.
 *
 * <p><b>Value.</b> The loss of a batch is {@link WeibullLikelihood}'s MEAN value: the mean over the
 * rows of each row's negative log-likelihood (censored rows included); {@code net.score()} is
 * exactly that value (DL4J's loss scaling: {@link LossEvaluation}).
 *
 * <p><b>Masks.</b> A labels mask ({@code [n, 1]}, or {@code [n, c]} with equal entries in a row) of 0
 * leaves a row out: the mean is taken over the unmasked rows, masked rows get a zero gradient and
 * their labels and outputs are not checked. {@code net.score()} is then the MEAN loss of the
 * unmasked rows.
 *
 * <p><b>Per-example scores.</b> This likelihood is a sum over rows, so {@link #computeScoreArray}
 * holds each unmasked row's own negative log-likelihood, multiplied by {@code n / m} for {@code m}
 * unmasked rows (by 1 without a mask); masked rows get 0. The array sums to
 * {@code computeScore(..., false)}.
 *
 * <p>The value and the gradient are computed in one pass and kept for the {@code computeScore} call
 * that follows {@code computeGradient} on the same batch (recognised by content, never by keeping a
 * DL4J array). Bad input (labels not {@code [n, 2]}, an output with 0 or more than 2 columns, a
 * non-finite output, a negative time, an event other than 0/1) throws an
 * {@link IllegalArgumentException} naming the problem, the row and the value, before anything is
 * updated. There are no hyperparameters; the class name alone is written to the network's JSON.
 * Thread-safe as {@link CoxLossFunction} is.
 *
 * @see WeibullLikelihood
 * @since 0.1
 */
public final class WeibullLossFunction extends SurvivalLossFunction {
    private static final long serialVersionUID = 1L;
    private static final String EXPECTED_OUTPUT = "[n, 2] (log scale, log shape) or [n, 1] (log scale, shape 1)";
    private static final WeibullLikelihood MEAN = new WeibullLikelihood(Reduction.MEAN);
    private static final WeibullLikelihood SUM = new WeibullLikelihood(Reduction.SUM);

    /** The Weibull loss; all of its behaviour is fixed. */
    public WeibullLossFunction() {
    }

    /** Each unmasked row's negative log-likelihood times {@code n / m}, {@code [n, 1]}; see the class comment. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return rowScoreArray(labels, preOutput, activationFn, mask, (output, time, event) -> SUM.value(
                Nd4j.createFromArray(new double[][] {output}), Nd4j.createFromArray(time), Nd4j.createFromArray(event)));
    }

    @Override
    int minColumns() {
        return 1;
    }

    @Override
    int maxColumns() {
        return 2;
    }

    @Override
    String expectedOutput() {
        return EXPECTED_OUTPUT;
    }

    @Override
    ValueAndGradient likelihood(double[][] output, double[] start, double[] time, double[] event, int firstRow) {
        return MEAN.valueAndGradient(output, time, event, firstRow);
    }

    @Override
    SurvivalLossFunction freshCopy() {
        return new WeibullLossFunction();
    }

    /** Java deserialization: rebuild the transient state. */
    private Object readResolve() {
        return deserializedCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeibullLossFunction;
    }

    @Override
    public int hashCode() {
        return WeibullLossFunction.class.hashCode();
    }

    @Override
    public String toString() {
        return "WeibullLossFunction(reduction=MEAN)";
    }
}
