package org.survival4j.dl4j;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.survival4j.data.SurvivalArguments;
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
 * rows of each row's negative log-likelihood (censored rows included). DL4J asks for an unaveraged
 * score and divides it by the minibatch size {@code n}; this class returns {@code n} times the mean
 * (the plain sum when nothing is masked) and {@code n} times its gradient, so {@code net.score()} is
 * exactly the Weibull MEAN loss of the batch.
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
public final class WeibullLossFunction implements ILossFunction {
    private static final long serialVersionUID = 1L;
    private static final String EXPECTED_OUTPUT = "[n, 2] (log scale, log shape) or [n, 1] (log scale, shape 1)";
    private static final WeibullLikelihood MEAN = new WeibullLikelihood(Reduction.MEAN);
    private static final WeibullLikelihood SUM = new WeibullLikelihood(Reduction.SUM);

    @JsonIgnore
    private transient volatile LossEvaluation last;

    /** The Weibull loss; all of its behaviour is fixed. */
    public WeibullLossFunction() {
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return evaluate(labels, preOutput, activationFn, mask).score(average);
    }

    /** Each unmasked row's negative log-likelihood times {@code n / m}, {@code [n, 1]}; see the class comment. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        LossEvaluation evaluation = evaluate(labels, preOutput, activationFn, mask);
        SurvivalBatch batch = evaluation.batch();
        double[] perRow = new double[batch.rows()];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            double[][] output = batch.activatedOutput(activationFn, preOutput.dataType());
            double[] time = batch.time();
            double[] event = batch.event();
            double weight = (double) batch.rows() / Math.max(1, batch.includedCount());
            for (int row : batch.includedRows()) {
                perRow[row] = weight * SUM.value(Nd4j.createFromArray(new double[][] {output[row]}),
                        Nd4j.createFromArray(time[row]), Nd4j.createFromArray(event[row]));
            }
        }
        return Nd4j.createFromArray(perRow).reshape(perRow.length, 1).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return evaluate(labels, preOutput, activationFn, mask).preOutputGradient(preOutput, activationFn);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        LossEvaluation evaluation = evaluate(labels, preOutput, activationFn, mask);
        return Pair.of(evaluation.score(average), evaluation.preOutputGradient(preOutput, activationFn));
    }

    @Override
    public String name() {
        return toString();
    }

    private LossEvaluation evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        SurvivalArguments.checkNotNull(activationFn, "activationFn");
        SurvivalBatch batch = SurvivalBatch.of(labels, preOutput, activationFn, mask, 1, 2, EXPECTED_OUTPUT);
        LossEvaluation cached = last;
        if (cached != null && cached.matches(batch, null)) {
            return cached;
        }
        LossEvaluation fresh;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            fresh = compute(batch, activationFn, preOutput.dataType());
        }
        last = fresh;
        return fresh;
    }

    /** One kernel call on the unmasked rows, outside any workspace. */
    private static LossEvaluation compute(SurvivalBatch batch, IActivation activationFn, DataType type) {
        int n = batch.rows();
        int columns = batch.columns();
        double[][] outputGradient = new double[n][columns];
        if (n == 0) {
            return new LossEvaluation(batch, null, 0, outputGradient);
        }
        double[][] output = batch.zeroExcluded(batch.activatedOutput(activationFn, type));
        output = SurvivalArguments.finiteColumns(Nd4j.createFromArray(output), "output", 2);
        double[] time = SurvivalArguments.time(batch.time(), "time", n);
        double[] event = batch.event();
        SurvivalArguments.event(event, "event", n);
        int[] rows = batch.includedRows();
        if (rows.length == 0) {
            return new LossEvaluation(batch, null, 0, outputGradient);
        }
        ValueAndGradient vg = MEAN.valueAndGradient(Nd4j.createFromArray(batch.included(output)),
                Nd4j.createFromArray(batch.included(time)), Nd4j.createFromArray(batch.included(event)));
        double[][] gradient = vg.gradient().toDoubleMatrix();
        for (int k = 0; k < rows.length; k++) {
            for (int j = 0; j < columns; j++) {
                outputGradient[rows[k]][j] = LossEvaluation.scaled(gradient[k][j], n);
            }
        }
        return new LossEvaluation(batch, null, LossEvaluation.scaled(vg.value(), n), outputGradient);
    }

    /** Java deserialization: rebuild the transient state. */
    private Object readResolve() {
        return new WeibullLossFunction();
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
