package org.survival4j.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.deeplearning4j.parallelism.factory.DefaultTrainerContext;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.survival4j.dl4j.SurvivalLossFunction.Pooling;
import org.survival4j.momentum.BankRows;
import org.survival4j.momentum.MomentumEngine;

/**
 * Data-parallel momentum on DL4J's {@code ParallelWrapper} (AVERAGING mode, averaging frequency 1):
 * {@code W} workers with batches of {@code b} rows train as one network with batches of
 * {@code W * b} rows, the batches of a round concatenated in worker order.
 *
 * <p>In each round the wrapper hands one batch to each of {@code W' <= W} workers (fewer in a last,
 * short round), each worker takes a local step, and the wrapper averages the parameters and the
 * updater state. Here each worker's loss waits until every worker of the round has given its
 * outputs and labels (values only: MoCo's all-gather, extended to the online outputs), and is then
 * the pooled likelihood of [bank rows ; every worker's batch rows], with the other workers' rows as
 * constants, the worker's own rows last. Its gradient is scaled by {@code W'}, so that the average
 * of the {@code W'} updates is the update of one network on the whole pooled loss: exact for
 * updaters linear in the gradient (SGD, Nesterov momentum); for Adam and the like the averaged
 * moments differ (docs/distributed.md). The losses pass a second barrier before any worker
 * back-propagates, so a loss that fails on one worker fails every worker, and no update is applied.
 *
 * <p>DL4J calls nothing after it averages, so the momentum step of a round (EMA of the target
 * from the averaged parameters, the target on all {@code W'} batches, the bank) is completed when
 * the next round starts, when {@link #fit} ends, or when the {@code Momentum} is read after
 * {@code fit} ({@link #completePendingForReader()}). A round that failed is dropped: target and
 * bank stay as they were before it.
 *
 * <p>The wrapper's worker threads call this concurrently; everything is guarded by this object's
 * monitor, which a waiting worker releases.
 */
final class DataParallelRounds {
    /** How a completed round reaches the engine (the listener's step completion). */
    interface StepCompletion {
        void complete(double[] start, double[] time, double[] event, DoubleSupplier loss,
                      Supplier<double[][]> targetOutput);
    }

    private final ParallelWrapper wrapper;
    private final NetworkHandle online;
    private final NetworkHandle target;
    private final MomentumEngine engine;
    private final StepCompletion completion;
    private final SurvivalLossFunction.BankHook hook;
    private final List<BatchInputs> inputs = new ArrayList<>(); // per worker, reused across rounds

    private long fedRounds;   // the wrapper's round counter when the last round was released or dropped
    private Round round;      // the round being trained, or null
    private Round pending;    // the round trained and averaged but not yet completed, or null
    private boolean fitting;  // inside fit(...)

    /**
     * @throws IllegalArgumentException if the wrapper trains another network, or in a mode whose
     *     semantics momentum does not reproduce (shared gradients, averaging frequency other than 1,
     *     updater state not averaged)
     */
    DataParallelRounds(ParallelWrapper wrapper, NetworkHandle online, NetworkHandle target, MomentumEngine engine,
                       StepCompletion completion, SurvivalLossFunction.BankHook hook) {
        if (wrapper.getModel() != online.model()) {
            throw new IllegalArgumentException("the ParallelWrapper trains another network than the one momentum is"
                    + " attached to");
        }
        if (wrapper.getGradientsAccumulator() != null
                || !(wrapper.getTrainerContext() instanceof DefaultTrainerContext)) {
            throw new IllegalArgumentException("data-parallel momentum needs ParallelWrapper's AVERAGING training mode;"
                    + " SHARED_GRADIENTS and CUSTOM apply other workers' updates inside each step, so no bank and"
                    + " target could follow one averaged network");
        }
        if (wrapper.getAveragingFrequency() != 1) {
            throw new IllegalArgumentException("data-parallel momentum needs averagingFrequency(1): the target follows"
                    + " the averaged network once per round; the wrapper has averagingFrequency("
                    + wrapper.getAveragingFrequency() + ")");
        }
        if (!wrapper.isAverageUpdaters()) {
            throw new IllegalArgumentException("data-parallel momentum needs averageUpdaters(true) (the default), so"
                    + " that every worker continues from the same updater state");
        }
        this.wrapper = wrapper;
        this.online = online;
        this.target = target;
        this.engine = engine;
        this.completion = completion;
        this.hook = hook;
        this.fedRounds = wrapper.getIterationsCounter().get();
    }

    /**
     * Runs one {@code wrapper.fit}: DL4J starts its workers for it and stops them after it. The
     * network's updater is created before (the first worker trains the network itself and holds its
     * lock while it waits here for the others, whose set-up would otherwise create that updater
     * under the same lock) and its state is put back after (stopping the workers clears the
     * network's optimizer, so the next fit would start from a fresh updater state). The round left
     * pending is completed.
     */
    void fit(Runnable wrapperFit) {
        synchronized (this) {
            if (fitting) {
                throw new IllegalStateException("this data-parallel training is already fitting");
            }
            completePending();
            fitting = true;
        }
        INDArray updaterState = updaterState(online.model());
        try {
            wrapperFit.run();
        } finally {
            synchronized (this) {
                fitting = false;
                round = null; // a round a failure left unfinished: dropped
            }
            completePending();
            if (updaterState != null && updaterState(online.model()) != updaterState) {
                setUpdaterState(online.model(), updaterState);
            }
        }
    }

    /** The network's updater state view, the updater created if absent; null if it has no state. */
    private static INDArray updaterState(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getUpdater().getStateViewArray()
                : ((ComputationGraph) model).getUpdater().getStateViewArray();
    }

    private static void setUpdaterState(Model model, INDArray state) {
        if (model instanceof MultiLayerNetwork m) {
            m.getUpdater().setStateViewArray(m, state, false);
        } else {
            ((ComputationGraph) model).getUpdater().setStateViewArray(state);
        }
    }

    /** One worker's part of a round. */
    private static final class Slot {
        final Thread thread;
        SurvivalBatch batch;  // the batch whose outputs were given, or null
        StepPart rows;        // its included rows' outputs and labels
        Pooling pooling;      // set when the round is released
        boolean evaluated;
        boolean done;

        Slot(Thread thread) {
            this.thread = thread;
        }
    }

    /** The workers' steps of one round. */
    private final class Round {
        final Trainer[] zoo = wrapper.getZoo();
        final Slot[] slots = new Slot[zoo.length];
        int expected;         // W': known once the wrapper has fed every worker of the round
        int given;
        int evaluated;
        int done;
        boolean released;
        RuntimeException failure;
        double loss = Double.NaN;

        /** The given rows of the round's workers, in worker order. */
        List<StepPart> parts() {
            List<StepPart> parts = new ArrayList<>();
            for (Slot s : slots) {
                if (s != null) {
                    parts.add(s.rows);
                }
            }
            return parts;
        }

        Slot slotOf(Thread thread) {
            for (Slot s : slots) {
                if (s != null && s.thread == thread) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * Starts a worker's step if {@code model} is a worker of the wrapper's current {@code fit}: the
     * previous round is completed first (its parameters were averaged before this round was fed),
     * the batch's inputs are copied for the target, and a replica's loss gets the bank hook.
     *
     * @return false if {@code model} is not a worker of this wrapper's running fit
     */
    synchronized boolean start(Model model, Object activations) {
        int k = workerOf(model);
        if (k < 0) {
            return false;
        }
        if (!fitting) {
            throw new IllegalStateException("a network with data-parallel momentum is trained by wrapper.fit(...)"
                    + " directly: train with momentum.dataParallel(wrapper).fit(...), which prepares DL4J's workers"
                    + " and completes the last round (docs/distributed.md)");
        }
        completePending();
        if (round != null && (round.zoo != wrapper.getZoo() || round.slots[k] != null)) {
            round = null; // a round that ended without completing (a worker failed): dropped
        }
        if (round == null) {
            round = new Round();
        }
        while (inputs.size() <= k) {
            inputs.add(new BatchInputs());
        }
        NetworkHandle worker = model == online.model() ? online : NetworkHandle.wrap(model);
        inputs.get(k).copy(worker, activations);
        SurvivalLossFunction loss = NetworkHandle.survivalLossOf(model);
        if (loss != null && !loss.hasBankHook()) {
            loss.bankHook(hook); // a replica built from the configuration: its loss is a fresh copy
        }
        round.slots[k] = new Slot(Thread.currentThread());
        return true;
    }

    /** Removes {@code listener} from the wrapper's listeners. */
    void leave(TrainingListener listener) {
        wrapper.getListeners().remove(listener);
    }

    private int workerOf(Model model) {
        Trainer[] zoo = wrapper.getZoo();
        for (int k = 0; zoo != null && k < zoo.length; k++) {
            if (zoo[k] != null && zoo[k].getModel() == model) {
                return k;
            }
        }
        return -1;
    }

    /** True if the calling thread is a worker in the round being trained. */
    synchronized boolean inRound() {
        return round != null && round.slotOf(Thread.currentThread()) != null;
    }

    /**
     * The pooling of a worker's batch: waits until every worker of the round has given its outputs.
     * A second evaluation of the same batch in the step gets the same pooling; another batch none.
     *
     * @throws IllegalStateException if another worker of the round failed (its error is the cause)
     */
    synchronized Pooling pooling(SurvivalBatch batch, Supplier<double[][]> output) {
        Round r = round;
        Slot slot = r.slotOf(Thread.currentThread());
        if (slot.batch != null) {
            return slot.batch.sameLabels(batch) && slot.pooling != null ? slot.pooling : Pooling.NONE;
        }
        slot.batch = batch;
        slot.rows = new StepPart(output.get(), batch.includedStart(), batch.included(batch.time()),
                batch.included(batch.event()));
        r.given++;
        notifyAll();
        while (!r.released) {
            checkFailures(r);
            if (r.expected == 0 && wrapper.getIterationsCounter().get() > fedRounds) {
                r.expected = fedWorkers(r);
            }
            if (r.expected > 0 && r.given == r.expected) {
                release(r);
            } else {
                await(r);
            }
        }
        return slot.pooling;
    }

    /**
     * The workers the wrapper fed in this round: those still running (none can finish before the
     * round is released). Read after the wrapper counted the round, which it does after feeding.
     */
    private int fedWorkers(Round r) {
        int fed = 0;
        for (Trainer t : r.zoo) {
            if (!t.isRunning()) { // DL4J's isRunning() is true when the worker is idle
                fed++;
            }
        }
        return fed;
    }

    /** Every worker's pooling: [bank rows ; the other workers' rows, in worker order]. */
    private void release(Round r) {
        List<StepPart> parts = r.parts();
        BankRows bank = engine.bankRowsFor(StepPart.rows(parts));
        int own = 0;
        for (Slot s : r.slots) {
            if (s != null) {
                s.pooling = new Pooling(StepPart.pooledRows(bank, parts, own++), r.expected);
            }
        }
        r.released = true;
        fedRounds = wrapper.getIterationsCounter().get();
        notifyAll();
    }

    /**
     * A worker's loss was computed: waits until every worker's was, so that none back-propagates
     * while another worker's loss failed.
     */
    synchronized void evaluated() {
        Round r = round;
        Slot slot = r.slotOf(Thread.currentThread());
        if (slot.evaluated || slot.pooling == null) {
            return; // a second evaluation, or another batch scored during the step
        }
        slot.evaluated = true;
        r.evaluated++;
        notifyAll();
        while (r.evaluated < r.expected) {
            checkFailures(r);
            await(r);
        }
    }

    /** A worker's loss failed: the round fails, and the workers waiting for it throw. */
    synchronized void failed(RuntimeException cause) {
        Round r = round;
        if (r.failure == null) {
            r.failure = cause;
        }
        notifyAll();
    }

    /** A worker's step is done (its local update applied); the last one ends the round. */
    synchronized void workerDone(Model model) {
        Round r = round;
        Slot slot = r.slotOf(Thread.currentThread());
        if (slot.done) {
            return;
        }
        slot.done = true;
        if (Double.isNaN(r.loss)) {
            r.loss = model.score(); // every worker's loss is the pooled loss
        }
        if (++r.done == r.expected && r.failure == null) {
            pending = r;
            round = null;
        }
    }

    /**
     * What a reader of the momentum (inference, the counters, a checkpoint) may complete: the
     * pending round, unless {@code fit} runs. While it runs, the round that ended last may not be
     * averaged yet (DL4J averages on the thread that called {@code fit}, after the workers' hooks,
     * and tells nobody), and the EMA of the target would then follow one worker's parameters; it is
     * completed by the next round or by the end of {@code fit}. A reader meanwhile sees the state
     * after the round before.
     */
    synchronized void completePendingForReader() {
        if (!fitting) {
            completePending();
        }
    }

    /**
     * Completes the last round that DL4J averaged: the engine's step with the labels of all its
     * workers' batches in worker order, the target run on each of them.
     */
    synchronized void completePending() {
        Round r = pending;
        if (r == null) {
            return;
        }
        pending = null; // also if the step diverges: the engine then leaves target and bank as they were
        List<StepPart> parts = r.parts();
        double loss = r.loss;
        Supplier<double[][]> targetOutput = () -> {
            List<double[]> rows = new ArrayList<>();
            for (int k = 0; k < r.slots.length; k++) {
                Slot s = r.slots[k];
                if (s != null) {
                    rows.addAll(List.of(s.batch.included(inputs.get(k).targetRows(target))));
                }
            }
            return rows.toArray(new double[0][]);
        };
        completion.complete(StepPart.start(parts), StepPart.concat(parts, StepPart::time),
                StepPart.concat(parts, StepPart::event), () -> loss, targetOutput);
    }

    /**
     * Throws if the round failed: a worker's loss failed here, or a worker failed elsewhere in its
     * step (DL4J's trainer then rethrows its error).
     */
    private void checkFailures(Round r) {
        if (r.failure == null) {
            for (Trainer t : r.zoo) {
                try {
                    t.isRunning();
                } catch (RuntimeException e) {
                    r.failure = e.getCause() instanceof RuntimeException c ? c : e;
                }
            }
        }
        if (r.failure != null) {
            notifyAll();
            throw new IllegalStateException("another worker of the ParallelWrapper failed in this round, so no worker"
                    + " updates and the target and the memory bank stay as they were: " + r.failure.getMessage(),
                    r.failure);
        }
    }

    private void await(Round r) {
        try {
            wait(1); // also polls the trainers: a worker may fail where no hook sees it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.failure = new IllegalStateException("interrupted while waiting for the other workers of the round");
            notifyAll();
        }
    }
}
