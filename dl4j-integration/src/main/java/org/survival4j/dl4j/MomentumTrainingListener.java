package org.survival4j.dl4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.ExponentialMovingAverage;
import org.survival4j.momentum.MemoryBank;
import org.survival4j.momentum.ParameterSnapshot;

/**
 * The per-iteration work of momentum training, hooked into DL4J's training loop.
 *
 * <p>DL4J calls, per iteration: {@code onForwardPass} (here: copy the batch's inputs, and their
 * features masks if any, into detached buffers; the step opens), the loss (which reads the memory
 * bank through {@link #leadingRows(SurvivalBatch)} and reports its evaluation, which holds the
 * batch's labels), {@code onBackwardPass} (the step closes), the updater, then
 * {@code iterationDone}, where the parameters are already updated and no workspace is open. There
 * the target network is EMA-updated from the online one, run on the copied inputs with the copied
 * masks, and its outputs with the batch's labels replace the oldest rows of the bank.
 *
 * <p>The bank reaches only the loss of the online network's own training step: while the step is
 * open, on the thread that runs it, and only for the step's batch (the first one evaluated; a
 * line search evaluates it several times). Any other loss ({@code net.score(dataSet)}, a validation
 * loss computed by another listener, even inside the step, a {@code clone()}, which shares the loss
 * instance) sees its batch alone, and never becomes the step's evaluation. A loss that fails (bad
 * labels) closes the step.
 *
 * <p>Nothing DL4J hands over is kept by reference: inputs and masks are assigned into buffers
 * allocated outside any workspace, the labels are Java copies made by the loss, and the bank copies
 * values. So prefetching iterators, whose arrays are overwritten a few batches later, are safe.
 * Calls outside {@code fit} ({@code output}, {@code evaluate}) fire none of these hooks.
 *
 * <p>Per step this allocates no ND4J array of its own (the target's output is read inside DL4J's
 * output workspace, everything else is Java arrays): on a busy machine every native allocation can
 * stall for milliseconds (docs/dl4j-notes.md).
 */
final class MomentumTrainingListener extends BaseTrainingListener implements SurvivalLossFunction.Pooling {
    private final NetworkHandle online;
    private final NetworkHandle target;
    private final ExponentialMovingAverage ema;
    private final ParameterSnapshot beforeEma = new ParameterSnapshot(); // to undo a step that diverged
    private final int capacity;

    private MemoryBank bank;                     // created at the first step, once the output width is known
    private volatile LeadingRows leading = LeadingRows.NONE;
    private LeadingRows pooled;       // the part of `leading` the last batch used...
    private LeadingRows pooledSource; // ...cut from this snapshot...
    private int pooledRows = -1;      // ...to this many rows
    private INDArray[] inputs;                   // detached copies of the current batch's inputs
    private INDArray[] inputMasks;               // ... and of their masks, or null
    private volatile Thread stepThread;          // the thread of the open step, else null
    private LossEvaluation stepEvaluation;       // the first evaluation of the step: its batch and labels
    private long iterations;
    private double lastLoss = Double.NaN;

    MomentumTrainingListener(NetworkHandle online, NetworkHandle target, MomentumConfig config) {
        this.online = online;
        this.target = target;
        this.ema = new ExponentialMovingAverage(config.rate());
        this.capacity = config.bankCapacity();
    }

    /**
     * The bank rows the loss places before a batch of {@code n} unmasked rows: the newest
     * {@code capacity - n}, so that the pooled set holds at most {@code steps * batchSize}
     * rows, the current batch included, as torchsurv's memory of {@code steps} batches does (the
     * recorded traces agree only with this reading). The same snapshot is returned while neither the
     * bank nor the batch size changes, so the loss's cache can key on it. Outside the online
     * network's training step, or for another batch than the step's: no rows.
     *
     * @throws IllegalStateException if this listener is no longer among the network's listeners
     *     (DL4J's {@code setListeners} replaces them all), rather than train on silently without momentum
     */
    @Override
    public synchronized LeadingRows leadingRows(SurvivalBatch batch) {
        if (Thread.currentThread() != stepThread) {
            if (!online.listeners().contains(this)) {
                throw new IllegalStateException("the momentum listener is no longer among the network's listeners,"
                        + " so momentum training has stopped: setListeners(...) replaces all listeners; add yours with"
                        + " addListeners(...), or call momentum.detach() first to train without momentum");
            }
            return LeadingRows.NONE;
        }
        if (stepEvaluation != null && !stepEvaluation.batch().sameLabels(batch)) {
            return LeadingRows.NONE; // another batch scored during the step, e.g. by another listener
        }
        int wanted = Math.max(0, capacity - batch.includedCount());
        if (pooledSource != leading || pooledRows != wanted) {
            pooled = leading.newest(wanted);
            pooledSource = leading;
            pooledRows = wanted;
        }
        return pooled;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (trains(model)) {
            startStep(online.currentInputs(activations));
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (trains(model)) {
            startStep(online.currentInputs(activations));
        }
    }

    private synchronized void startStep(INDArray[] in) {
        stepEvaluation = null;
        copyInputs(in);
        stepThread = Thread.currentThread();
    }

    @Override
    public synchronized void evaluated(LossEvaluation evaluation) {
        if (Thread.currentThread() == stepThread && stepEvaluation == null) {
            stepEvaluation = evaluation;
        }
    }

    @Override
    public synchronized void failed() {
        if (Thread.currentThread() == stepThread) {
            stepThread = null; // the step is over: DL4J's fit throws
            stepEvaluation = null;
        }
    }

    @Override
    public void onBackwardPass(Model model) {
        if (trains(model) && stepThread == Thread.currentThread()) {
            stepThread = null;
        }
    }

    /** Copies the batch's inputs and their masks (sequences of different lengths) for the target. */
    private void copyInputs(INDArray[] in) {
        INDArray[] masks = online.currentInputMasks();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            inputs = copyInto(inputs, in);
            inputMasks = masks == null ? null : copyInto(inputMasks, masks);
        }
    }

    /**
     * {@code sources}' values in {@code buffers} (null entries stay null), reallocated only where the
     * count, type or shape changes.
     */
    private static INDArray[] copyInto(INDArray[] buffers, INDArray[] sources) {
        INDArray[] out = buffers != null && buffers.length == sources.length ? buffers : new INDArray[sources.length];
        for (int i = 0; i < sources.length; i++) {
            INDArray source = sources[i];
            if (source == null) {
                out[i] = null;
                continue;
            }
            boolean fits = out[i] != null && out[i].dataType() == source.dataType()
                    && Arrays.equals(out[i].shape(), source.shape());
            if (!fits) {
                out[i] = Nd4j.createUninitialized(source.dataType(), source.shape());
            }
            out[i].assign(source);
        }
        return out;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (!trains(model)) {
            return; // a clone's step
        }
        LossEvaluation evaluation = stepEvaluation;
        boolean reopened = stepThread != null;
        stepEvaluation = null;
        stepThread = null;
        if (reopened) {
            throw new IllegalStateException("another forward pass of the online network started after this step's"
                    + " backward pass (fit or calculateGradients called from a listener?): momentum training cannot"
                    + " tell which batch the step trained on, so the target and the bank were left as they were");
        }
        if (evaluation == null || inputs == null) {
            return; // not a training step with a loss evaluation
        }
        SurvivalBatch batch = evaluation.batch();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            // A diverged step must not reach the target: averaged in, a NaN would stay there for good.
            if (!NDArrays.allFinite(online.params())) {
                throw new IllegalStateException("the online network holds NaN or infinite parameters"
                        + " after the optimizer step of iteration " + (iterations + 1) + ": the step diverged"
                        + " (learning rate too large?). The target network and the memory bank were left as they"
                        + " were before the step; the online parameters cannot be restored (DL4J has already"
                        + " applied the step)");
            }
            beforeEma.take(target.params());
            ema.update(target.params(), online.params());
            try {
                if (batch.includedCount() > 0) {
                    double[][] out = batch.included(target.outputRows(inputs, inputMasks));
                    checkTargetOutput(out);
                    if (bank == null) {
                        bank = MemoryBank.ofCapacity(capacity, out[0].length);
                    }
                    bank.add(out, batch.included(batch.time()), batch.included(batch.event()));
                    leading = LeadingRows.of(bank);
                }
            } catch (RuntimeException e) {
                beforeEma.restore(target.params()); // the target stays as it was, like the bank
                throw e;
            }
        }
        iterations++;
        lastLoss = model.score();
    }

    /**
     * Finite weights can still give an infinite output (an optimizer step that made them huge): then
     * the EMA step is undone, so that the target, like the bank, stays as it was before the step.
     */
    private void checkTargetOutput(double[][] out) {
        try {
            SurvivalArguments.finiteCells(out, "target output");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + " after the EMA step of iteration " + (iterations + 1)
                    + ", although the online parameters are finite: the online network diverged (learning rate too"
                    + " large?). The target network and the memory bank were left as they were before the step", e);
        }
    }

    /** Whether this listener trains {@code model} (DL4J's clone() shares listeners with the clone). */
    boolean trains(Model model) {
        return online.model() == model;
    }

    /** Completed momentum steps. */
    long iterations() {
        return iterations;
    }

    /** The pooled loss of the last step ({@code net.score()} then), NaN before the first. */
    double lastLoss() {
        return lastLoss;
    }

    /** The bank, or null before the first step. */
    MemoryBank bank() {
        return bank;
    }

    /** Restores the state saved in a checkpoint. */
    void restore(MemoryBank savedBank, long savedIterations, double savedLoss) {
        this.bank = savedBank;
        this.leading = savedBank == null ? LeadingRows.NONE : LeadingRows.of(savedBank);
        this.iterations = savedIterations;
        this.lastLoss = savedLoss;
    }
}
