package org.survival4j.dl4j;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.ValueAndGradient;

/**
 * What the survival loss functions share: one likelihood evaluation per batch, kept for the
 * {@code computeScore} call that follows {@code computeGradient}, and the hook through which momentum
 * training puts its memory bank before the batch rows.
 *
 * <p>Subclasses say how many output columns they take and compute the likelihood of
 * [leading rows ; unmasked batch rows], outside any workspace.
 */
abstract class SurvivalLossFunction implements ILossFunction {
    private static final long serialVersionUID = 1L;

    @JsonIgnore
    private transient volatile LossEvaluation last;
    @JsonIgnore
    private transient volatile Pooling pooling;

    /**
     * How momentum training joins the loss: it gives the rows placed before each batch, and learns
     * which evaluation each batch got, or that it failed. A lambda gives fixed rows
     * ({@code batch -> rows}), e.g. for a gradient check with a fixed bank.
     */
    interface Pooling {
        /** The rows to place before {@code batch}, {@link LeadingRows#NONE} for none; never null. */
        LeadingRows leadingRows(SurvivalBatch batch);

        /** The evaluation of a batch, computed or reused, with the rows {@link #leadingRows} gave it. */
        default void evaluated(LossEvaluation evaluation) {
        }

        /** The evaluation of a batch failed (bad input): it throws, and nothing was computed. */
        default void failed() {
        }
    }

    /** A new instance with the same settings and fresh state (no cache, no leading rows). */
    abstract SurvivalLossFunction freshCopy();

    /** Smallest and largest number of output columns, and how to describe them in an error. */
    abstract int minColumns();

    abstract int maxColumns();

    abstract String expectedOutput();

    /**
     * The core likelihood (MEAN reduction) of {@code output} {@code [N][c]}, gradient for rows
     * {@code firstRow..N-1}.
     */
    abstract ValueAndGradient likelihood(double[][] output, double[] time, double[] event, int firstRow);

    /** Called after each fresh evaluation of {@code pooledRows} rows (e.g. to count batches without events). */
    void evaluated(ValueAndGradient result, int pooledRows) {
    }

    /** Installs the source of rows placed before each batch (the momentum memory bank); {@code null} removes it. */
    final void pooling(Pooling source) {
        this.pooling = source;
        this.last = null;
    }

    @Override
    public final double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                     boolean average) {
        return evaluate(labels, preOutput, activationFn, mask).score(average);
    }

    @Override
    public final INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                                          INDArray mask) {
        return evaluate(labels, preOutput, activationFn, mask).preOutputGradient(preOutput, activationFn);
    }

    @Override
    public final Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                                IActivation activationFn, INDArray mask,
                                                                boolean average) {
        LossEvaluation evaluation = evaluate(labels, preOutput, activationFn, mask);
        return Pair.of(evaluation.score(average), evaluation.preOutputGradient(preOutput, activationFn));
    }

    @Override
    public String name() {
        return toString();
    }

    /**
     * The likelihood of [leading rows ; included batch rows], value and gradient scaled for DL4J
     * ({@link LossEvaluation#scaled(double, int)}). Runs outside any workspace; values are checked
     * here, before anything is computed.
     */
    private LossEvaluation compute(SurvivalBatch batch, LeadingRows leading, IActivation activationFn, DataType type) {
        int n = batch.rows();
        int columns = batch.columns();
        double[][] outputGradient = new double[n][columns];
        int[] rows = batch.includedRows();
        if (rows.length == 0) {
            return new LossEvaluation(batch, leading, 0, outputGradient);
        }
        double[][] output = batch.zeroExcluded(batch.activatedOutput(activationFn, type));
        SurvivalArguments.finiteCells(output, "output");
        double[] time = SurvivalArguments.time(batch.time(), "time", n);
        double[] event = batch.event();
        SurvivalArguments.event(event, "event", n);

        double[][] pooledOutput = leading.outputThen(batch.included(output));
        if (leading.size() > 0 && leading.columns() != columns) {
            throw new IllegalStateException("the memory bank holds " + leading.columns()
                    + " output columns but the network outputs " + columns);
        }
        ValueAndGradient vg = likelihood(pooledOutput, leading.timeThen(batch.included(time)),
                leading.eventThen(batch.included(event)), leading.size());
        evaluated(vg, pooledOutput.length);
        double[] gradient = vg.gradientValues(); // row-major [rows.length, columns]
        for (int k = 0; k < rows.length; k++) {
            for (int j = 0; j < columns; j++) {
                outputGradient[rows[k]][j] = LossEvaluation.scaled(gradient[k * columns + j], n);
            }
        }
        return new LossEvaluation(batch, leading, LossEvaluation.scaled(vg.value(), n), outputGradient);
    }

    final LossEvaluation evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Pooling source = pooling;
        try {
            SurvivalArguments.checkNotNull(activationFn, "activationFn");
            SurvivalBatch batch = SurvivalBatch.of(labels, preOutput, activationFn, mask, minColumns(), maxColumns(),
                    expectedOutput());
            LeadingRows leading = source == null ? LeadingRows.NONE : source.leadingRows(batch);
            LossEvaluation result = last;
            if (result == null || !result.matches(batch, leading)) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    result = compute(batch, leading, activationFn, preOutput.dataType());
                }
                last = result;
            }
            if (source != null) {
                source.evaluated(result);
            }
            return result;
        } catch (RuntimeException e) {
            if (source != null) {
                source.failed();
            }
            throw e;
        }
    }
}
