package org.survival4j.dl4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.BankRows;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.momentum.MomentumEngine;
import org.survival4j.momentum.NetworkPair;

/**
 * Hooks the {@link MomentumEngine} into DL4J's training loop. Per iteration DL4J calls
 * {@code onForwardPass} (the step opens: the batch's inputs and features masks are copied into
 * detached buffers), the loss (it asks {@link #bankRows(SurvivalBatch)} and reports its evaluation,
 * which holds the labels), {@code onBackwardPass} (the step closes), the updater, then
 * {@code iterationDone}: parameters updated, no workspace open, and the engine completes the step
 * through this listener's {@link NetworkPair}.
 *
 * <p>The bank reaches only the loss of the online network's own step: on the thread that runs it,
 * and only for the step's batch (the first evaluated; a line search evaluates it again). Any other
 * loss ({@code net.score(dataSet)}, another listener's validation loss, a {@code clone()}, which
 * shares the loss instance) sees its batch alone. A loss that fails closes the step.
 *
 * <p>Nothing DL4J hands over is kept by reference (prefetching iterators overwrite their arrays),
 * and per step no ND4J array is allocated here: the target's output is read inside DL4J's output
 * workspace, everything else is Java arrays (native allocations can stall, docs/dl4j-notes.md).
 */
final class MomentumTrainingListener extends BaseTrainingListener
        implements SurvivalLossFunction.BankHook, NetworkPair {
    private final NetworkHandle online;
    private final NetworkHandle target;
    private final MomentumEngine engine;

    private INDArray[] inputs;                   // detached copies of the current batch's inputs
    private INDArray[] inputMasks;               // ... and of their masks, or null
    private volatile Thread stepThread;          // the thread of the open step, else null
    private LossEvaluation stepEvaluation;       // the first evaluation of the step: its batch and labels
    private SurvivalBatch completing;            // the batch of the step iterationDone completes

    MomentumTrainingListener(NetworkHandle online, NetworkHandle target, MomentumConfig config, boolean coxLoss) {
        this.online = online;
        this.target = target;
        this.engine = new MomentumEngine(config, this, coxLoss);
    }

    MomentumEngine engine() {
        return engine;
    }

    /**
     * The bank rows a batch is pooled with ({@link MomentumEngine#bankRowsFor(int)} for its unmasked
     * rows) while the online network's training step is open; outside it, or for another batch than
     * the step's: none.
     *
     * @throws IllegalStateException if this listener is no longer among the network's listeners
     *     (DL4J's {@code setListeners} replaces them all), rather than train on silently without momentum
     */
    @Override
    public synchronized BankRows bankRows(SurvivalBatch batch) {
        if (Thread.currentThread() != stepThread) {
            if (!online.listeners().contains(this)) {
                throw new IllegalStateException("the momentum listener is no longer among the network's listeners,"
                        + " so momentum training has stopped: setListeners(...) replaces all listeners; add yours with"
                        + " addListeners(...), or call momentum.detach() first to train without momentum");
            }
            return BankRows.NONE;
        }
        if (stepEvaluation != null && !stepEvaluation.batch().sameLabels(batch)) {
            return BankRows.NONE; // another batch scored during the step, e.g. by another listener
        }
        return engine.bankRowsFor(batch.includedCount());
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (trains(model)) {
            startStep(online.currentInputs(activations));
        } else {
            refuseReplica(model);
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (trains(model)) {
            startStep(online.currentInputs(activations));
        } else {
            refuseReplica(model);
        }
    }

    /**
     * Another network calls this listener: a {@code clone()} (it shares the listeners and the loss
     * instance, and trains plainly, as documented), another network with momentum of its own (its
     * loss has its own hook), or a replica that DL4J built from the configuration for data-parallel
     * training ({@code ParallelWrapper}): its loss is a fresh copy without a bank, so it would train
     * without momentum while the original trains with it. That is refused.
     */
    private void refuseReplica(Model model) {
        SurvivalLossFunction loss = NetworkHandle.survivalLossOf(model);
        if (loss != null && !loss.hasBankHook()) {
            throw new IllegalStateException("a copy of a network with momentum attached is being trained with the"
                    + " momentum listener but without the memory bank, as DL4J's ParallelWrapper does with its worker"
                    + " replicas: data-parallel momentum is not supported yet. Train with net.fit(...), or call"
                    + " momentum.detach() first to train plainly in parallel");
        }
    }

    /**
     * Opens the step. Inputs that are not finite are refused here, before the loss and the updater
     * (plain DL4J training takes them, and a NaN gradient then ruins the weights).
     */
    private synchronized void startStep(INDArray[] in) {
        stepEvaluation = null;
        copyInputs(in);
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                SurvivalArguments.finiteValues(inputs[i], inputs.length == 1 ? "features" : "features " + i);
            }
        }
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
        double loss = model.score();
        completing = batch;
        try {
            engine.stepDone(batch.included(batch.time()), batch.included(batch.event()), () -> loss);
        } finally {
            completing = null;
        }
    }

    @Override
    public List<INDArray> onlineParameters() {
        return List.of(online.params());
    }

    @Override
    public List<INDArray> targetParameters() {
        return List.of(target.params());
    }

    @Override
    public String parameterName(int i) {
        return "params()";
    }

    /** The target's output on the unmasked rows of the step's batch. */
    @Override
    public double[][] targetOutput() {
        return completing.included(target.outputRows(inputs, inputMasks));
    }

    /** Whether this listener trains {@code model} (DL4J's clone() shares listeners with the clone). */
    boolean trains(Model model) {
        return online.model() == model;
    }
}
