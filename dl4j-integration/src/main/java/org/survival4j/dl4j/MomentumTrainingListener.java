package org.survival4j.dl4j;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.dl4j.SurvivalLossFunction.Pooling;
import org.survival4j.momentum.BankRows;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.momentum.MomentumEngine;
import org.survival4j.momentum.NetworkPair;

/**
 * Hooks the {@link MomentumEngine} into DL4J's training loop. Per iteration DL4J calls
 * {@code onForwardPass} (the step opens: the batch's inputs and features masks are copied into
 * detached buffers), the loss (it asks {@link #pooling} for its bank rows and reports its evaluation,
 * which holds the labels), {@code onBackwardPass} (the step closes), the updater, then
 * {@code iterationDone}: parameters updated, no workspace open, and the engine completes the step
 * through this listener's {@link NetworkPair}.
 *
 * <p>The bank reaches only the loss of the online network's own step: on the thread that runs it,
 * and only for the step's batch (the first evaluated; a line search evaluates it again). Any other
 * loss ({@code net.score(dataSet)}, another listener's validation loss, a {@code clone()}, which
 * shares the loss instance) sees its batch alone. A loss that fails closes the step.
 *
 * <p>In data-parallel training ({@link #dataParallel}) the workers' calls go to
 * {@link DataParallelRounds}, which pools the workers of a round and completes the round through
 * {@link #completeStep} as one step.
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

    private final BatchInputs inputs = new BatchInputs(); // the current batch, copied
    private volatile Thread stepThread;          // the thread of the open step, else null
    private LossEvaluation stepEvaluation;       // the first evaluation of the step: its batch and labels
    private Pooling pooling = Pooling.NONE;      // the same instance while the bank rows are the same
    private Supplier<double[][]> completing;     // the target's output on the step being completed
    private volatile DataParallelRounds rounds;  // data-parallel training on a ParallelWrapper, or null
    private volatile Thread virtualStepThread;   // the thread of a gradient-cache step, or null
    private volatile Pooling virtualPooling;     // the pooling of its current micro-batch

    /**
     * @param partialLikelihood whether the loss counts steps without events ({@link MomentumEngine})
     * @param eventCodes the largest code of the labels' event column (1, or the causes)
     */
    MomentumTrainingListener(NetworkHandle online, NetworkHandle target, MomentumConfig config,
                             boolean partialLikelihood, int eventCodes) {
        this.online = online;
        this.target = target;
        this.engine = new MomentumEngine(config, this, partialLikelihood, eventCodes);
    }

    /** The engine, with any data-parallel round completed. */
    MomentumEngine engine() {
        completePendingRound();
        return engine;
    }

    /** Trains the network data-parallel on {@code wrapper} from now on ({@link DataParallelRounds}). */
    DataParallelRounds dataParallel(ParallelWrapper wrapper) {
        completePendingRound();
        rounds = new DataParallelRounds(wrapper, online, target, engine, this::completeStep, this);
        return rounds;
    }

    /**
     * Ends data-parallel training: the last round is completed, and this listener leaves the
     * wrapper's listeners, which DL4J would otherwise give back to the network at its next fit.
     */
    void detach() {
        DataParallelRounds r = rounds;
        if (r != null) {
            r.completePending();
            r.leave(this);
            rounds = null;
        }
    }

    /**
     * Completes the last data-parallel round, if it waits for that (nothing fires after DL4J
     * averages) and no data-parallel {@code fit} runs ({@link DataParallelRounds#completePendingForReader()}).
     */
    void completePendingRound() {
        DataParallelRounds r = rounds;
        if (r != null) {
            r.completePendingForReader();
        }
    }

    /**
     * The rows a batch is pooled with: in the online network's training step the newest bank rows
     * ({@link MomentumEngine#bankRowsFor(int)} for its unmasked rows); in data-parallel training what
     * {@link DataParallelRounds} gives; outside a step, or for another batch than the step's: none.
     *
     * @throws IllegalStateException if this listener is no longer among the network's listeners
     *     (DL4J's {@code setListeners} replaces them all), rather than train on silently without momentum
     */
    @Override
    public Pooling pooling(SurvivalBatch batch, Supplier<double[][]> output) {
        if (Thread.currentThread() == virtualStepThread) {
            return virtualPooling;
        }
        DataParallelRounds r = rounds;
        if (r != null && r.inRound()) {
            return r.pooling(batch, output);
        }
        synchronized (this) {
            if (Thread.currentThread() != stepThread) {
                checkStillListening();
                return Pooling.NONE;
            }
            if (stepEvaluation != null && !stepEvaluation.batch().sameLabels(batch)) {
                return Pooling.NONE; // another batch scored during the step, e.g. by another listener
            }
            BankRows rows = engine.bankRowsFor(batch.includedCount());
            if (pooling.rows() != rows) {
                pooling = Pooling.of(rows);
            }
            return pooling;
        }
    }

    /**
     * A gradient of the loss is computed outside the online network's step and outside a
     * data-parallel round: another network shares the loss instance (a {@code clone()}, or a worker
     * that Spark's local mode builds from the very configuration object) and would train without
     * the bank.
     */
    @Override
    public void checkTraining() {
        if (Thread.currentThread() == virtualStepThread) {
            return;
        }
        DataParallelRounds r = rounds;
        if (Thread.currentThread() != stepThread && (r == null || !r.inRound())) {
            checkStillListening();
            throw new IllegalStateException("a network that shares the loss of a network with momentum attached (a"
                    + " clone, or a worker that Spark's local mode builds from the same configuration) is being"
                    + " trained, and it trains without its memory bank: train the network momentum is attached to;"
                    + " on Spark use SparkMomentum, or momentum.detach() first (docs/distributed.md)");
        }
    }

    private void checkStillListening() {
        if (!online.listeners().contains(this)) {
            throw new IllegalStateException("the momentum listener is no longer among the network's listeners, so"
                    + " momentum training has stopped: setListeners(...) replaces all listeners; add yours with"
                    + " addListeners(...), or call momentum.detach() first to train without momentum");
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        forwardPass(model, activations);
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        forwardPass(model, activations);
    }

    private void forwardPass(Model model, Object activations) {
        if (Thread.currentThread() == virtualStepThread) {
            return; // a micro-batch of a gradient-cache step, which completes the step itself
        }
        DataParallelRounds r = rounds;
        if (r != null && r.start(model, activations)) {
            return; // a worker's step of data-parallel training
        }
        if (trains(model)) {
            if (Thread.currentThread().getName().startsWith(PARALLEL_WRAPPER_THREAD)) {
                throw notDataParallel();
            }
            startStep(activations);
        } else {
            refuseReplica(model);
        }
    }

    /** How DL4J 1.0.0-M2.1's ParallelWrapper names its worker threads. */
    private static final String PARALLEL_WRAPPER_THREAD = "ParallelWrapper training thread";

    /**
     * Another network calls this listener: a {@code clone()} (it shares the listeners and the loss
     * instance, and trains plainly, as documented), another network with momentum of its own (its
     * loss has its own hook), or a replica that DL4J built from the configuration for data-parallel
     * training ({@code ParallelWrapper}) that was not registered with {@link #dataParallel}: its loss
     * is a fresh copy without a bank, so it would train without momentum while the original trains
     * with it. That is refused.
     */
    private void refuseReplica(Model model) {
        SurvivalLossFunction loss = NetworkHandle.survivalLossOf(model);
        if (loss != null && !loss.hasBankHook()) {
            throw notDataParallel();
        }
    }

    private static IllegalStateException notDataParallel() {
        return new IllegalStateException("a network with momentum attached is being trained by a ParallelWrapper"
                + " that momentum does not know, whose workers would train without the memory bank: train with"
                + " momentum.dataParallel(wrapper).fit(...) (docs/distributed.md), or call momentum.detach() to"
                + " train plainly in parallel");
    }

    /** Opens the step, after copying (and checking) the batch's inputs. */
    private void startStep(Object activations) {
        completePendingRound();
        synchronized (this) {
            stepEvaluation = null;
            inputs.copy(online, activations);
            stepThread = Thread.currentThread();
        }
    }

    @Override
    public void evaluated(LossEvaluation evaluation) {
        DataParallelRounds r = rounds;
        if (r != null && r.inRound()) {
            r.evaluated();
            return;
        }
        synchronized (this) {
            if (Thread.currentThread() == stepThread && stepEvaluation == null) {
                stepEvaluation = evaluation;
            }
        }
    }

    @Override
    public void failed(RuntimeException cause) {
        DataParallelRounds r = rounds;
        if (r != null && r.inRound()) {
            r.failed(cause);
            return;
        }
        synchronized (this) {
            if (Thread.currentThread() == stepThread) {
                stepThread = null; // the step is over: DL4J's fit throws
                stepEvaluation = null;
            }
        }
    }

    @Override
    public void onBackwardPass(Model model) {
        if (trains(model) && stepThread == Thread.currentThread()) {
            stepThread = null;
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (Thread.currentThread() == virtualStepThread) {
            return;
        }
        DataParallelRounds r = rounds;
        if (r != null && r.inRound()) {
            r.workerDone(model);
            return;
        }
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
        if (evaluation == null || !inputs.present()) {
            return; // not a training step with a loss evaluation
        }
        SurvivalBatch batch = evaluation.batch();
        double loss = model.score();
        completeStep(batch.includedStart(), batch.included(batch.time()), batch.included(batch.event()), () -> loss,
                () -> batch.included(inputs.targetRows(target)));
    }

    /**
     * A gradient-cache step ({@link GradientCache}) runs on this thread from now on, until
     * {@code null}: its micro-batches' losses get {@code pooling} from {@link #virtualPooling},
     * and the step is completed by the cache ({@link #completeStep}), not by DL4J's hooks.
     */
    void virtualStep(Thread thread) {
        virtualStepThread = thread;
        virtualPooling = null;
    }

    /** The pooling of the gradient-cache step's next micro-batch. */
    void virtualPooling(Pooling pooling) {
        virtualPooling = pooling;
    }

    /** Lets the engine complete a step whose target output {@code targetOutput} computes. */
    synchronized void completeStep(double[] start, double[] time, double[] event, DoubleSupplier loss,
                                   Supplier<double[][]> targetOutput) {
        completing = targetOutput;
        try {
            engine.stepDone(start, time, event, loss);
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

    /** The target's output on the unmasked rows of the step being completed. */
    @Override
    public double[][] targetOutput() {
        return completing.get();
    }

    /** Whether this listener trains {@code model} (DL4J's clone() shares listeners with the clone). */
    boolean trains(Model model) {
        return online.model() == model;
    }
}
