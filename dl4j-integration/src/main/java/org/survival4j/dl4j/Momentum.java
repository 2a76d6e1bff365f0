package org.survival4j.dl4j;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.MomentumCheckpoint;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.momentum.MomentumEngine;
import org.survival4j.momentum.MomentumTraining;

/**
 * Momentum training for a DL4J network with a survival loss: an EMA target network and a memory
 * bank of its outputs, so that each training loss sees up to {@code steps * batchSize} rows, the
 * batch and the newest bank rows (He et al. 2020, doi:10.1109/CVPR42600.2020.00975; torchsurv's
 * {@code Momentum}).
 *
 * <p>Each iteration of ordinary DL4J training ({@code net.fit(...)}) runs the momentum step of
 * {@link MomentumEngine}: the loss of the online network (the user's own) is computed on [bank rows
 * ; batch rows] with a gradient for the batch rows only, DL4J's updater steps, and the target
 * follows by EMA and feeds the bank. {@code net.score()} is the pooled loss (Cox: MEAN over the
 * pooled events; Weibull: MEAN over the pooled rows). The competing-risks losses train the same
 * way: the bank keeps each row's cause, and every cause's risk sets (cause-specific Cox), the
 * censoring weights (Fine-Gray) and the ranking pairs (DeepHit) span the pooled rows. Differences
 * from torchsurv are listed in {@code docs/conventions.md}.
 *
 * <p>{@code net.output}, {@code net.evaluate}, {@link #infer} and any call outside {@code fit} leave
 * the bank, the target and the counters unchanged. Only the loss of a training step includes the
 * bank rows: {@code net.score(dataSet)} (a validation loss), other listeners' losses and clones of
 * the network see their batch alone. {@link #detach()} returns the network to plain training;
 * replacing the network's listeners ({@code setListeners}) without detaching is reported by the next
 * loss. A step rejected by the loss (bad labels, NaN outputs) throws before the updater runs, and
 * leaves weights, target and bank as they were; a step that fails after the update (a target output
 * that is not finite) leaves target and bank as they were.
 *
 * <pre>{@code
 * MultiLayerNetwork net = ...;   // output layer: OutputLayer with new CoxLossFunction(), nOut 1, identity
 * Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(16).steps(10).rate(0.999).build());
 * net.fit(trainIterator, 20);                   // ordinary DL4J training
 * INDArray logHz = momentum.infer(features);    // the target network, inference mode
 * momentum.save(new File("model.momentum.zip"));
 * }</pre>
 *
 * <p>One instance belongs to one training loop. {@link #infer} and the counters and bank
 * ({@link #iterations()}, {@link #bankRows()}, ...) may be called from other threads while it
 * trains: they change nothing, and see the state after the last completed step (in data-parallel
 * training, the last completed round). Everything else belongs to the training loop's thread.
 *
 * @since 0.1
 */
public final class Momentum extends MomentumTraining {
    private static final String ONLINE = "online.zip";
    private static final String TARGET = "target.bin";

    private final NetworkHandle online;
    private final NetworkHandle target;
    private final SurvivalLossFunction loss;
    private final MomentumTrainingListener listener;
    private boolean attached;

    private Momentum(NetworkHandle online, NetworkHandle target, MomentumConfig config) {
        this.online = online;
        this.target = target;
        // fails early, before anything changes, if the loss is not a survival loss
        MomentumEngine.checkOutputColumns(config, online.survivalLoss().maxColumns()); // the bank can hold them
        online.checkMiniBatch();
        for (TrainingListener l : online.listeners()) {
            // net.clone() shares the listener collection, so another network's listener may be here: it ignores us
            if (l instanceof MomentumTrainingListener m && m.trains(online.model())) {
                throw new IllegalStateException("momentum training is already attached to this network");
            }
        }
        if (GradientCache.attachedPlainlyTo(online)) { // its steps would bypass the momentum step, and ours its cache
            throw new IllegalStateException("a gradient cache (GradientCache.attach(net, k)) is attached to this"
                    + " network and would not train with momentum: call cache.detach(), then attach in this order:"
                    + " Momentum.attach(net, config), then GradientCache.attach(momentum, k)");
        }
        this.loss = online.ownSurvivalLoss();
        this.listener = new MomentumTrainingListener(online, target, config, loss.partialLikelihood(),
                loss.eventCodes());
        loss.bankHook(listener);
        loss.trainedWithMomentum(true);
        online.addListener(listener);
        attached = true;
    }

    /**
     * Starts momentum training of a graph with one output, whose output layer uses
     * a survival loss of this package ({@link CoxLossFunction}, {@link WeibullLossFunction},
     * {@link GridHazardLossFunction}, {@link CauseSpecificCoxLossFunction}, {@link FineGrayLossFunction}
     * or {@link DeepHitLossFunction}), and any
     * number of inputs (train it from {@code MultiDataSet}s; predict with
     * {@link #infer(INDArray[], INDArray[])}). The target starts as an exact copy.
     *
     * @param net the online network, initialised
     * @param config bank size and EMA rate
     * @throws IllegalStateException if momentum is already attached, or a plain gradient cache is
     *         (attach momentum first, then {@link GradientCache#attach(Momentum, int)})
     */
    public static Momentum attach(ComputationGraph net, MomentumConfig config) {
        SurvivalArguments.checkNotNull(net, "net");
        SurvivalArguments.checkNotNull(config, "config");
        NetworkHandle online = NetworkHandle.of(net);
        return new Momentum(online, online.copy(), config);
    }

    /** As {@link #attach(ComputationGraph, MomentumConfig)} for a {@link MultiLayerNetwork}. */
    public static Momentum attach(MultiLayerNetwork net, MomentumConfig config) {
        SurvivalArguments.checkNotNull(net, "net");
        SurvivalArguments.checkNotNull(config, "config");
        NetworkHandle online = NetworkHandle.of(net);
        return new Momentum(online, online.copy(), config);
    }

    /**
     * The target network's output (inference mode): the model to predict with.
     *
     * @param features a batch of inputs
     * @return log hazards {@code [n, 1]} (Cox) or log scale and log shape {@code [n, 2]} (Weibull)
     */
    public INDArray infer(INDArray features) {
        return infer(features, null);
    }

    /**
     * As {@link #infer(INDArray)} for a batch with a features mask, e.g. padded sequences of
     * different lengths ({@code [n, timeSteps]}, 1 = real step), as in training.
     *
     * @param featuresMask the mask, or null
     */
    public INDArray infer(INDArray features, INDArray featuresMask) {
        SurvivalArguments.checkNotNull(features, "features");
        return infer(new INDArray[] {features}, featuresMask == null ? null : new INDArray[] {featuresMask});
    }

    /**
     * As {@link #infer(INDArray, INDArray)} for a {@code ComputationGraph} with several inputs:
     * one array per input, in the order of the graph's inputs.
     *
     * @param inputMasks one mask per input (entries may be null), or null
     * @throws IllegalArgumentException if the number of arrays differs from the number of inputs
     */
    public INDArray infer(INDArray[] inputs, INDArray[] inputMasks) {
        SurvivalArguments.checkNotNull(inputs, "inputs");
        if (inputs.length != target.inputCount() || (inputMasks != null && inputMasks.length != inputs.length)) {
            throw new IllegalArgumentException("the network has " + target.inputCount() + " input(s) ("
                    + target.inputNames() + "); got " + inputs.length + " arrays"
                    + (inputMasks == null ? "" : " and " + inputMasks.length + " masks"));
        }
        for (int i = 0; i < inputs.length; i++) {
            SurvivalArguments.checkNotNull(inputs[i], "inputs[" + i + "]");
        }
        // between steps: a training thread may be moving the target by EMA right now
        return engine().betweenSteps(() -> target.output(inputs, inputMasks));
    }

    /**
     * The target network, of the same type as the online one
     * ({@code ComputationGraph target = momentum.target();}). Do not train it.
     */
    @SuppressWarnings("unchecked")
    public <N extends Model> N target() {
        listener.completePendingRound();
        return (N) target.model();
    }

    /**
     * Trains the network data-parallel on DL4J's {@code ParallelWrapper} from now on: {@code W}
     * workers with batches of {@code b} rows train as this network would with batches of
     * {@code W * b} rows (the round's batches in worker order), with one memory bank and one target
     * network (docs/distributed.md). The settings then describe a round: {@code batchSize} is
     * {@code W * b}, and the bank remembers {@code steps} rounds. {@link #infer}, {@link #target()}
     * and {@link #save} work after its {@code fit} as after {@code net.fit}.
     *
     * <pre>{@code
     * Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(2 * 16).steps(10).build());
     * ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(1).build();
     * momentum.dataParallel(wrapper).fit(trainIterator);   // batches of 16 rows per worker
     * }</pre>
     *
     * @param wrapper a wrapper of this momentum's network in AVERAGING mode with
     *                {@code averagingFrequency(1)} and averaged updaters (DL4J's defaults but the frequency)
     * @return the training, whose {@code fit} trains through the wrapper
     * @throws IllegalArgumentException if the wrapper trains another network or in another mode
     * @throws IllegalStateException if momentum was detached
     */
    public DataParallelTraining dataParallel(ParallelWrapper wrapper) {
        SurvivalArguments.checkNotNull(wrapper, "wrapper");
        if (!attached) {
            throw new IllegalStateException("momentum was detached from this network");
        }
        DataParallelRounds rounds = listener.dataParallel(wrapper);
        if (!wrapper.getListeners().contains(listener)) { // attached after the wrapper was built
            wrapper.getListeners().add(listener);
        }
        return new DataParallelTraining(wrapper, rounds);
    }

    /** The online network's handle. */
    NetworkHandle onlineHandle() {
        return online;
    }

    /** The listener that runs the momentum step. */
    MomentumTrainingListener listener() {
        return listener;
    }

    /** The target network's handle, with any data-parallel round completed. */
    NetworkHandle targetHandle() {
        listener.completePendingRound();
        return target;
    }

    /** The online network: the one passed to {@code attach}, or the restored one. */
    @SuppressWarnings("unchecked")
    public <N extends Model> N network() {
        return (N) online.model();
    }

    @Override
    protected MomentumEngine engine() {
        return listener.engine();
    }

    /**
     * Whether momentum training is attached: {@link #detach()} not called, and the listener still
     * among the network's listeners.
     */
    public boolean isAttached() {
        return attached && online.listeners().contains(listener);
    }

    /** Removes the listener and the bank from the network's loss: it trains as a plain network again. */
    public void detach() {
        if (attached) {
            listener.detach();
            online.removeListener(listener);
            loss.bankHook(null);
            loss.trainedWithMomentum(false);
            attached = false;
        }
    }

    /**
     * Saves everything needed to resume training exactly (one zip file, {@link MomentumCheckpoint}):
     * the online network with its updater state ({@code online.zip}, {@code ModelSerializer}), the
     * target parameters ({@code target.bin}, ND4J binary), the memory bank, the settings and the
     * iteration count.
     */
    public void save(File file) throws IOException {
        SurvivalArguments.checkNotNull(file, "file");
        Map<String, MomentumCheckpoint.EntryWriter> networks = new LinkedHashMap<>();
        networks.put(ONLINE, online::write);
        networks.put(TARGET, out -> Nd4j.write(target.params(), new DataOutputStream(out)));
        MomentumCheckpoint.write(file, online.kind(), engine(), Map.of(), networks);
    }

    /**
     * Restores a checkpoint written by {@link #save(File)}, attached and ready to continue training:
     * {@code momentum.network()} is the online network to call {@code fit} on.
     */
    public static Momentum restore(File file) throws IOException {
        MomentumCheckpoint saved = MomentumCheckpoint.read(SurvivalArguments.checkNotNull(file, "file"),
                NetworkHandle.KINDS);
        NetworkHandle online = saved.read(ONLINE, in -> NetworkHandle.read(saved.frontEnd(), in));
        INDArray targetParams = saved.read(TARGET, in -> Nd4j.read(new DataInputStream(in)));
        if (targetParams.length() != online.params().length()) {
            throw saved.damaged("its target network has " + targetParams.length() + " parameters, its online network "
                    + online.params().length());
        }
        NetworkHandle target = online.copy();
        target.params().assign(targetParams);
        Momentum momentum = new Momentum(online, target, saved.config());
        saved.restore(momentum.engine(), online.outputColumns());
        return momentum;
    }

    @Override
    public String toString() {
        return "Momentum(" + config() + ", bank " + bankSize() + " rows, " + iterations() + " iterations"
                + (isAttached() ? "" : ", detached") + ")";
    }
}
