package org.survival4j.dl4j;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.MomentumConfig;

/**
 * Momentum training apart from the online network (the target's parameters, the memory bank, the
 * counters) as a serializable value: for trainers that run momentum on copies of a network on other
 * machines and bring back what they trained (the {@code spark} module). A copy starts from the
 * state ({@link #attachTo}); the states the copies end with are merged ({@link #merge}) into the
 * original ({@link #copyTo}), whose online parameters the trainer has averaged.
 *
 * <pre>{@code
 * MomentumState start = MomentumState.of(momentum);             // on the driver
 * Momentum onWorker = start.attachTo(workerCopyOfNet);          // on each worker, then fit it
 * MomentumState trained = MomentumState.of(onWorker);           // sent back
 * MomentumState.merge(start, List.of(trained, ...)).copyTo(momentum);
 * }</pre>
 */
public final class MomentumState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final int steps;
    private final double rate;
    private final double[] target;   // the target's flattened parameters
    private final double[][] bank;   // [rows][columns + 2]: outputs, time, event; oldest first
    private final double[] bankStart; // the bank rows' entry times (counting-process labels), or null
    private final long iterations;
    private final long batchesWithoutEvents;
    private final double lastLoss;
    private final long rowsAdded;    // bank rows added since the copy started (0 on the original)

    private MomentumState(MomentumConfig config, double[] target, double[][] bank, double[] bankStart, long iterations,
                          long batchesWithoutEvents, double lastLoss, long rowsAdded) {
        this.batchSize = config.batchSize();
        this.steps = config.steps();
        this.rate = config.rate();
        this.target = target;
        this.bank = bank;
        this.bankStart = bankStart;
        this.iterations = iterations;
        this.batchesWithoutEvents = batchesWithoutEvents;
        this.lastLoss = lastLoss;
        this.rowsAdded = rowsAdded;
    }

    /** The state of {@code momentum} now. */
    public static MomentumState of(Momentum momentum) {
        SurvivalArguments.checkNotNull(momentum, "momentum");
        INDArray bank = momentum.bankRows();
        return new MomentumState(momentum.config(), momentum.targetHandle().params().toDoubleVector(),
                bank.length() == 0 ? new double[0][] : bank.toDoubleMatrix(), momentum.engine().bankEntryTimes(),
                momentum.iterations(), momentum.batchesWithoutEvents(), momentum.lastLoss(),
                momentum.engine().rowsAdded());
    }

    /** The settings. */
    public MomentumConfig config() {
        return MomentumConfig.builder().batchSize(batchSize).steps(steps).rate(rate).build();
    }

    /** Completed momentum steps. */
    public long iterations() {
        return iterations;
    }

    /** Momentum steps whose pooled rows held no event ({@link Momentum#batchesWithoutEvents()}). */
    public long batchesWithoutEvents() {
        return batchesWithoutEvents;
    }

    /** Rows in the memory bank. */
    public int bankSize() {
        return bank.length;
    }

    /**
     * Momentum on {@code copy}, a network with the same configuration as the original (e.g. built
     * from it by a distributed trainer), starting from this state: its target gets this state's
     * parameters, its bank this state's rows.
     *
     * @throws IllegalArgumentException if {@code copy} is not a MultiLayerNetwork or ComputationGraph
     *     with as many parameters as the original
     */
    public Momentum attachTo(Model copy) {
        SurvivalArguments.checkNotNull(copy, "copy");
        if (copy.numParams() != target.length) {
            throw new IllegalArgumentException("the network has " + copy.numParams() + " parameters, the network"
                    + " this momentum state comes from " + target.length);
        }
        Momentum momentum;
        if (copy instanceof MultiLayerNetwork m) {
            momentum = Momentum.attach(m, config());
        } else if (copy instanceof ComputationGraph g) {
            momentum = Momentum.attach(g, config());
        } else {
            throw new IllegalArgumentException("momentum trains a MultiLayerNetwork or a ComputationGraph, got "
                    + copy.getClass().getName());
        }
        copyTo(momentum);
        return momentum;
    }

    /**
     * Puts this state's target parameters, bank and counters into {@code momentum} (same settings
     * and network); its online network is left as it is.
     */
    public void copyTo(Momentum momentum) {
        SurvivalArguments.checkNotNull(momentum, "momentum");
        if (!momentum.config().equals(config())) {
            throw new IllegalArgumentException("momentum has the settings " + momentum.config() + ", this state "
                    + config());
        }
        INDArray params = momentum.targetHandle().params();
        if (params.length() != target.length) {
            throw new IllegalArgumentException("the target network has " + params.length() + " parameters, this"
                    + " state " + target.length);
        }
        INDArray rows = bank.length == 0 ? Nd4j.create(DataType.DOUBLE, 0, 0) : Nd4j.createFromArray(bank);
        INDArray targetParams = Nd4j.createFromArray(target).castTo(params.dataType()).reshape(params.shape());
        momentum.engine().betweenSteps(() -> { // infer from another thread sees the state before or after
            // validates the rows before the target changes
            momentum.engine().load(rows, bankStart, iterations, batchesWithoutEvents, lastLoss);
            return params.assign(targetParams);
        });
    }

    /**
     * What {@code copies}, each started from {@code start} ({@link #attachTo}) and trained one
     * round, make together: the target is the mean of the copies' targets (with one step per copy,
     * this is the EMA of the mean of their online parameters, which the trainer averages), the bank
     * is {@code start}'s followed by the rows each copy added, in the order given, the iteration
     * count advances by the most steps any copy took, the count of steps without events by every
     * copy's steps without events (each copy's step is a step of its own), and the last loss is the
     * copies' mean.
     *
     * @throws IllegalArgumentException if there is no copy or a copy has other settings or size
     */
    public static MomentumState merge(MomentumState start, List<MomentumState> copies) {
        SurvivalArguments.checkNotNull(start, "start");
        SurvivalArguments.checkNotNull(copies, "copies");
        if (copies.isEmpty()) {
            throw new IllegalArgumentException("no copy to merge");
        }
        double[] target = new double[start.target.length];
        int rows = start.bank.length;
        long iterations = start.iterations;
        long withoutEvents = start.batchesWithoutEvents;
        double loss = 0;
        for (MomentumState c : copies) {
            if (!c.config().equals(start.config()) || c.target.length != target.length) {
                throw new IllegalArgumentException("a copy has other settings or another network than the start");
            }
            for (int i = 0; i < target.length; i++) {
                target[i] += c.target[i] / copies.size();
            }
            rows += (int) Math.min(c.rowsAdded, c.bank.length);
            iterations = Math.max(iterations, c.iterations);
            withoutEvents += c.batchesWithoutEvents - start.batchesWithoutEvents;
            loss += c.lastLoss / copies.size();
        }
        double[][] bank = new double[rows][];
        boolean entryTimes = start.bankStart != null || copies.stream().anyMatch(c -> c.bankStart != null);
        double[] bankStart = entryTimes ? new double[rows] : null;
        int next = 0;
        for (int i = 0; i < start.bank.length; i++) {
            next = copyRow(start, i, bank, bankStart, next);
        }
        for (MomentumState c : copies) {
            int added = (int) Math.min(c.rowsAdded, c.bank.length);
            for (int i = c.bank.length - added; i < c.bank.length; i++) {
                next = copyRow(c, i, bank, bankStart, next);
            }
        }
        int capacity = start.config().bankCapacity();
        int from = Math.max(0, rows - capacity);
        return new MomentumState(start.config(), target, Arrays.copyOfRange(bank, from, rows),
                entryTimes ? Arrays.copyOfRange(bankStart, from, rows) : null, iterations, withoutEvents, loss, 0);
    }

    /** Copies bank row {@code i} of {@code state} to row {@code next} of the merged bank; the next free row. */
    private static int copyRow(MomentumState state, int i, double[][] bank, double[] bankStart, int next) {
        if ((bankStart == null) != (state.bankStart == null)) {
            throw new IllegalArgumentException("the copies' banks mix rows with and without entry times");
        }
        bank[next] = state.bank[i];
        if (bankStart != null) {
            bankStart[next] = state.bankStart[i];
        }
        return next + 1;
    }
}
