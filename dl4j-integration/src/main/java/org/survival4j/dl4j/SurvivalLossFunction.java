package org.survival4j.dl4j;

import java.util.function.Supplier;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
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
     * Set while momentum training is attached, and kept in the network's configuration (JSON and
     * Java serialization), where the hook is not: a copy of the network rebuilt from it (Spark's
     * workers, a reloaded model) then refuses to train without the bank instead of training silently
     * without momentum.
     */
    @JsonProperty("trainedWithMomentum")
    private volatile boolean trainedWithMomentum;

    /**
     * How momentum training joins the loss: it says which rows each batch is pooled with, and
     * learns which evaluation each batch got, or that it failed. A lambda gives fixed rows
     * ({@code (batch, output) -> Pooling.of(rows)}), e.g. for a gradient check with a fixed bank.
     */
    interface BankHook {
        /**
         * The rows to place before {@code batch} and the factor on its gradient; never null.
         *
         * @param output the activated outputs of the batch's included rows, checked to be finite,
         *               computed when asked for (data-parallel training gathers them)
         */
        Pooling pooling(SurvivalBatch batch, Supplier<double[][]> output);

        /** The evaluation of a batch, computed or reused, with the pooling {@link #pooling} gave it. */
        default void evaluated(LossEvaluation evaluation) {
        }

        /**
         * A gradient is about to be computed (training): throws if this is not a training step of
         * the network momentum is attached to (e.g. a clone sharing the loss instance).
         */
        default void checkTraining() {
        }

        /** The evaluation of a batch failed with {@code cause} (bad input): it throws, nothing was computed. */
        default void failed(RuntimeException cause) {
        }
    }

    /**
     * The rows a batch is pooled with, and the factor on the gradient of its own rows: 1, except in
     * data-parallel training, where each of {@code W} workers' updates is averaged, so that
     * {@code W} times the gradient of its rows makes the average the gradient of the pooled loss.
     */
    record Pooling(BankRows rows, double gradientScale) {
        /** The batch alone. */
        static final Pooling NONE = of(BankRows.NONE);

        static Pooling of(BankRows rows) {
            return new Pooling(rows, 1);
        }
    }

    /** A new instance with the same settings and fresh state (no cache, no bank rows). */
    abstract SurvivalLossFunction freshCopy();

    /** For Java deserialization ({@code readResolve}): a fresh copy that remembers momentum, as JSON does. */
    final SurvivalLossFunction deserializedCopy() {
        SurvivalLossFunction copy = freshCopy();
        copy.trainedWithMomentum = trainedWithMomentum;
        return copy;
    }

    /** Smallest and largest number of output columns, and how to describe them in an error. */
    abstract int minColumns();

    abstract int maxColumns();

    abstract String expectedOutput();

    /**
     * The core likelihood (MEAN reduction) of {@code output} {@code [N][c]}, gradient for rows
     * {@code firstRow..N-1}; {@code start} is null, or the starts of counting-process labels (then
     * {@code time} holds the stops, and {@code firstRow} is 0).
     */
    abstract ValueAndGradient likelihood(double[][] output, double[] start, double[] time, double[] event,
                                         int firstRow);

    /**
     * The largest code of the labels' event column: 1 for event indicators (0/1); the
     * competing-risks losses take causes 0..K ({@link SurvivalArguments#ANY_CAUSE}: any whole number).
     * The labels are checked against it, and momentum's bank keeps the codes.
     */
    int eventCodes() {
        return 1;
    }

    /**
     * Whether the loss is a partial likelihood, 0 with a zero gradient on pooled rows without an
     * event: momentum counts such steps.
     */
    boolean partialLikelihood() {
        return false;
    }

    /** Checks an event column against {@link #eventCodes()}. */
    final void checkEvents(double[] event) {
        SurvivalArguments.eventCodes(event, event.length, eventCodes());
    }

    /** Column 0 of {@code [N][1]} outputs: the log hazards of a one-output loss. */
    static double[] firstColumn(double[][] output) {
        double[] column = new double[output.length];
        for (int i = 0; i < column.length; i++) {
            column[i] = output[i][0];
        }
        return column;
    }

    /** Whether the loss takes counting-process labels {@code [n, 3]} (start, stop, event). */
    boolean takesStart() {
        return false;
    }

    /** Called after each fresh evaluation of {@code pooledRows} rows (e.g. to count batches without events). */
    void evaluated(ValueAndGradient result, int pooledRows) {
    }

    /** Installs the source of the bank rows placed before each batch (momentum training); {@code null} removes it. */
    final void bankHook(BankHook hook) {
        this.bankHook = hook;
        this.last = null;
    }

    /** Marks (or unmarks) the configuration as one that trains only with momentum's bank. */
    final void trainedWithMomentum(boolean momentum) {
        this.trainedWithMomentum = momentum;
    }

    /** Whether momentum training (or a gradient cache) has installed its hook here. */
    final boolean hasBankHook() {
        return bankHook != null;
    }

    /** The installed hook, or null; shared with {@code clone()}s of the network, so ask whose it is. */
    final BankHook installedHook() {
        return bankHook;
    }

    @Override
    public final double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                     boolean average) {
        return evaluate(labels, preOutput, activationFn, mask).score(average);
    }

    @Override
    public final INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                                          INDArray mask) {
        checkBankPresent();
        return evaluate(labels, preOutput, activationFn, mask).preOutputGradient(preOutput, activationFn);
    }

    @Override
    public final Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                                IActivation activationFn, INDArray mask,
                                                                boolean average) {
        checkBankPresent();
        LossEvaluation evaluation = evaluate(labels, preOutput, activationFn, mask);
        return Pair.of(evaluation.score(average), evaluation.preOutputGradient(preOutput, activationFn));
    }

    /**
     * Refuses to train without the bank a network configured for momentum: a copy of its loss that
     * lost the bank, or its loss instance shared by another network (scoring is allowed).
     */
    private void checkBankPresent() {
        BankHook hook = bankHook;
        if (hook != null) {
            hook.checkTraining();
        } else if (trainedWithMomentum) {
            throw new IllegalStateException("this network was configured for momentum training (Momentum.attach)"
                    + " but trains without its memory bank: it was rebuilt from its configuration (Spark workers, a"
                    + " ParallelWrapper replica, a model reloaded from a file) and would train silently without"
                    + " momentum. On Spark, train with SparkMomentum or momentum.detach() first (docs/distributed.md);"
                    + " to train a reloaded network, Momentum.attach(net, config) again, or"
                    + " Momentum.attach(net, config).detach() to train it plainly");
        }
    }

    @Override
    public String name() {
        return toString();
    }

    /**
     * The likelihood of [pooled rows ; included batch rows], value and gradient scaled for DL4J
     * ({@link LossEvaluation#scaled(double, int)}). Runs outside any workspace.
     */
    private LossEvaluation compute(SurvivalBatch batch, double[][] output, Pooling pooling) {
        int n = batch.rows();
        int columns = batch.columns();
        double[][] outputGradient = new double[n][columns];
        int[] rows = batch.includedRows();
        BankRows bank = pooling.rows();
        if (rows.length == 0) {
            return new LossEvaluation(batch, pooling, 0, outputGradient);
        }
        if (bank.size() > 0 && bank.columns() != columns) {
            throw new IllegalStateException("the memory bank holds " + bank.columns()
                    + " output columns but the network outputs " + columns);
        }
        double[][] pooledOutput = bank.outputThen(output);
        double[] start = bank.startThen(batch.includedStart());
        ValueAndGradient vg = likelihood(pooledOutput, start, bank.timeThen(batch.included(batch.time())),
                bank.eventThen(batch.included(batch.event())), bank.size());
        evaluated(vg, pooledOutput.length);
        double[] gradient = vg.gradientValues(); // row-major [rows.length, columns]
        for (int k = 0; k < rows.length; k++) {
            for (int j = 0; j < columns; j++) {
                double g = pooling.gradientScale() * gradient[k * columns + j];
                outputGradient[rows[k]][j] = LossEvaluation.scaled(g, n);
            }
        }
        return new LossEvaluation(batch, pooling, LossEvaluation.scaled(vg.value(), n), outputGradient);
    }

    /** Checks counting-process labels: the loss takes them, starts below stops. */
    private void checkStart(SurvivalBatch batch) {
        double[] start = batch.start();
        if (start == null) {
            return;
        }
        if (!takesStart()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " takes labels [n, 2] (time, event);"
                    + " counting-process labels [n, 3] (start, stop, event) are for CoxLossFunction and"
                    + " CauseSpecificCoxLossFunction");
        }
        SurvivalArguments.time(start, "start", batch.rows());
        double[] stop = batch.time();
        for (int row : batch.includedRows()) {
            if (!(start[row] < stop[row])) {
                throw new IllegalArgumentException("labels row " + row + ": start " + start[row] + " is not below"
                        + " stop " + stop[row] + "; a row's interval (start, stop] must not be empty");
            }
        }
    }

    /**
     * The activated outputs of a batch's included rows, checked to be finite; computed when first
     * asked for (a reused evaluation does not need them).
     */
    private static final class IncludedOutput implements Supplier<double[][]> {
        private final SurvivalBatch batch;
        private final IActivation activationFn;
        private final DataType type;
        private double[][] output;

        IncludedOutput(SurvivalBatch batch, IActivation activationFn, DataType type) {
            this.batch = batch;
            this.activationFn = activationFn;
            this.type = type;
        }

        @Override
        public double[][] get() {
            if (output == null) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    double[][] all = batch.zeroExcluded(batch.activatedOutput(activationFn, type));
                    SurvivalArguments.finiteCells(all, "output");
                    output = batch.included(all);
                }
            }
            return output;
        }
    }

    /**
     * For a likelihood that compares rows with each other (Cox-type, DeepHit's ranking term): no row
     * has a loss of its own, so the batch value is spread evenly over the unmasked rows (masked rows
     * 0), {@code [n, 1]}; it sums to the unaveraged score and its mean over the {@code n} rows is the
     * batch loss, as DL4J's own losses guarantee. Likelihoods that are sums over rows override this
     * ({@link #rowScoreArray}).
     */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        LossEvaluation evaluation = evaluate(labels, preOutput, activationFn, mask);
        SurvivalBatch batch = evaluation.batch();
        INDArray scores = Nd4j.zeros(preOutput.dataType(), batch.rows(), 1);
        if (batch.includedCount() > 0) {
            double share = evaluation.value() / batch.includedCount();
            for (int row : batch.includedRows()) {
                scores.putScalar(row, 0, share);
            }
        }
        return scores;
    }

    /** One row's own loss, for a likelihood that is a sum over rows (Weibull, grid hazards). */
    interface RowLoss {
        double of(double[] output, double time, double event);
    }

    /**
     * {@code computeScoreArray} of a likelihood that is a sum over rows: each unmasked row's own
     * loss times {@code n / m} for {@code m} unmasked rows, masked rows 0, {@code [n, 1]}; it sums to
     * the unaveraged score.
     */
    final INDArray rowScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                 RowLoss loss) {
        SurvivalBatch batch = evaluate(labels, preOutput, activationFn, mask).batch();
        double[] perRow = new double[batch.rows()];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            double[][] output = batch.activatedOutput(activationFn, preOutput.dataType());
            double[] time = batch.time();
            double[] event = batch.event();
            double weight = (double) batch.rows() / Math.max(1, batch.includedCount());
            for (int row : batch.includedRows()) {
                perRow[row] = weight * loss.of(output[row], time[row], event[row]);
            }
        }
        return Nd4j.createFromArray(perRow).reshape(perRow.length, 1).castTo(preOutput.dataType());
    }

    final LossEvaluation evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        BankHook hook = bankHook;
        try {
            SurvivalArguments.checkNotNull(activationFn, "activationFn");
            SurvivalBatch batch = SurvivalBatch.of(labels, preOutput, activationFn, mask, minColumns(), maxColumns(),
                    expectedOutput());
            // the labels are checked before the hook sees the batch (excluded rows read 0)
            SurvivalArguments.time(batch.time(), "time", batch.rows());
            checkEvents(batch.event());
            checkStart(batch);
            IncludedOutput output = new IncludedOutput(batch, activationFn, preOutput.dataType());
            Pooling pooling = hook == null ? Pooling.NONE : hook.pooling(batch, output);
            LossEvaluation result = last;
            if (result == null || !result.matches(batch, pooling)) {
                double[][] included = output.get();
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    result = compute(batch, included, pooling);
                }
                last = result;
            }
            if (hook != null) {
                hook.evaluated(result);
            }
            return result;
        } catch (RuntimeException e) {
            if (hook != null) {
                hook.failed(e);
            }
            throw e;
        }
    }
}
