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
import org.survival4j.momentum.BankRows;

/**
 * What the survival loss functions share: one likelihood evaluation per batch, kept for the
 * {@code computeScore} call that follows {@code computeGradient}, and the hook through which momentum
 * training puts its bank rows before the batch rows.
 *
 * <p>Subclasses say how many output columns they take and compute the likelihood of
 * [bank rows ; unmasked batch rows], outside any workspace.
 */
abstract class SurvivalLossFunction implements ILossFunction {
    private static final long serialVersionUID = 1L;

    @JsonIgnore
    private transient volatile LossEvaluation last;
    @JsonIgnore
    private transient volatile BankHook bankHook;

    /**
     * How momentum training joins the loss: it gives the bank rows each batch is pooled with, and
     * learns which evaluation each batch got, or that it failed. A lambda gives fixed rows
     * ({@code batch -> rows}), e.g. for a gradient check with a fixed bank.
     */
    interface BankHook {
        /** The bank rows to place before {@code batch}, {@link BankRows#NONE} for none; never null. */
        BankRows bankRows(SurvivalBatch batch);

        /** The evaluation of a batch, computed or reused, with the rows {@link #bankRows} gave it. */
        default void evaluated(LossEvaluation evaluation) {
        }

        /** The evaluation of a batch failed (bad input): it throws, and nothing was computed. */
        default void failed() {
        }
    }

    /** A new instance with the same settings and fresh state (no cache, no bank rows). */
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

    /** Installs the source of the bank rows placed before each batch (momentum training); {@code null} removes it. */
    final void bankHook(BankHook hook) {
        this.bankHook = hook;
        this.last = null;
    }

    /** Whether momentum training has installed its hook here. */
    final boolean hasBankHook() {
        return bankHook != null;
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
     * The likelihood of [bank rows ; included batch rows], value and gradient scaled for DL4J
     * ({@link LossEvaluation#scaled(double, int)}). Runs outside any workspace; values are checked
     * here, before anything is computed.
     */
    private LossEvaluation compute(SurvivalBatch batch, BankRows bank, IActivation activationFn, DataType type) {
        int n = batch.rows();
        int columns = batch.columns();
        double[][] outputGradient = new double[n][columns];
        int[] rows = batch.includedRows();
        if (rows.length == 0) {
            return new LossEvaluation(batch, bank, 0, outputGradient);
        }
        double[][] output = batch.zeroExcluded(batch.activatedOutput(activationFn, type));
        SurvivalArguments.finiteCells(output, "output");
        double[] time = SurvivalArguments.time(batch.time(), "time", n);
        double[] event = batch.event();
        SurvivalArguments.event(event, "event", n);

        if (bank.size() > 0 && bank.columns() != columns) {
            throw new IllegalStateException("the memory bank holds " + bank.columns()
                    + " output columns but the network outputs " + columns);
        }
        double[][] pooledOutput = bank.outputThen(batch.included(output));
        ValueAndGradient vg = likelihood(pooledOutput, bank.timeThen(batch.included(time)),
                bank.eventThen(batch.included(event)), bank.size());
        evaluated(vg, pooledOutput.length);
        double[] gradient = vg.gradientValues(); // row-major [rows.length, columns]
        for (int k = 0; k < rows.length; k++) {
            for (int j = 0; j < columns; j++) {
                outputGradient[rows[k]][j] = LossEvaluation.scaled(gradient[k * columns + j], n);
            }
        }
        return new LossEvaluation(batch, bank, LossEvaluation.scaled(vg.value(), n), outputGradient);
    }

    final LossEvaluation evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        BankHook hook = bankHook;
        try {
            SurvivalArguments.checkNotNull(activationFn, "activationFn");
            SurvivalBatch batch = SurvivalBatch.of(labels, preOutput, activationFn, mask, minColumns(), maxColumns(),
                    expectedOutput());
            BankRows bank = hook == null ? BankRows.NONE : hook.bankRows(batch);
            LossEvaluation result = last;
            if (result == null || !result.matches(batch, bank)) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    result = compute(batch, bank, activationFn, preOutput.dataType());
                }
                last = result;
            }
            if (hook != null) {
                hook.evaluated(result);
            }
            return result;
        } catch (RuntimeException e) {
            if (hook != null) {
                hook.failed();
            }
            throw e;
        }
    }
}
