package org.survival4j.momentum;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every momentum front end reports about its training: the settings, the steps done, the
 * last loss and the memory bank, read from its {@link MomentumEngine}. The DL4J {@code Momentum}
 * and {@code SameDiffMomentum} extend it.
 *
 * <pre>{@code
 * momentum.iterations();   // steps since attach, carried over by save and restore
 * momentum.bankRows();     // [rows, columns + 2]: target outputs, time, event; oldest first
 * }</pre>
 *
 * @since 0.1
 */
public abstract class MomentumTraining {
    /** For the front ends. */
    protected MomentumTraining() {
    }

    /** The engine that runs the momentum step. */
    protected abstract MomentumEngine engine();

    /** The momentum settings. */
    public final MomentumConfig config() {
        return engine().config();
    }

    /** Completed momentum steps (training iterations), carried over by a checkpoint. */
    public final long iterations() {
        return engine().iterations();
    }

    /** The pooled loss of the last step, on [bank rows ; batch rows] before the step; NaN before the first. */
    public final double lastLoss() {
        return engine().lastLoss();
    }

    /** See {@link MomentumEngine#batchesWithoutEvents()}: 0 for the Weibull losses. */
    public final long batchesWithoutEvents() {
        return engine().batchesWithoutEvents();
    }

    /** Rows currently in the memory bank. */
    public final int bankSize() {
        return engine().bankSize();
    }

    /**
     * A copy of the memory bank, {@code [size, columns + 2]}: target outputs, time, event; oldest
     * first. With counting-process labels the time is the stop; the starts are {@link #bankEntryTimes()}.
     */
    public final INDArray bankRows() {
        return engine().bankRows();
    }

    /**
     * The entry times of the bank's rows, in the order of {@link #bankRows()}, when training on
     * counting-process labels (start, stop, event); {@code null} for labels (time, event).
     */
    public final double[] bankEntryTimes() {
        return engine().bankEntryTimes();
    }
}
