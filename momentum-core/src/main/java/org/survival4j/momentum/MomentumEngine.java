package org.survival4j.momentum;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;

/**
 * The momentum step, written once for every front end (He et al. 2020,
 * doi:10.1109/CVPR42600.2020.00975; torchsurv's {@code Momentum}). It owns the memory bank, the EMA
 * of the target network, the iteration count, the last loss and the count of steps without events.
 *
 * <p>Per training step a front end asks {@link #bankRowsFor(int)} for the bank rows its batch of
 * {@code n} rows is pooled with (the newest {@code bankCapacity - n}, so at most
 * {@code steps * batchSize} rows in all), lets its framework compute the loss on [bank rows ; batch
 * rows] and take the optimizer step, then calls {@link #stepDone}: the target moves towards the
 * online weights, \( \theta_k \leftarrow m\,\theta_k + (1 - m)\,\theta_q \), runs on the batch, and
 * its outputs with the batch's labels overwrite the oldest bank rows. The networks are reached
 * through the front end's {@link NetworkPair}.
 *
 * <p>A step that diverged never reaches the target or the bank: if an online parameter is not
 * finite after the optimizer step, or the target's output is not finite after the EMA, the target
 * is restored bit for bit, bank and counters stay as they were, and an
 * {@link IllegalStateException} says so (the online weights cannot be restored: the framework has
 * already applied the step).
 *
 * <pre>{@code
 * MomentumEngine engine = new MomentumEngine(MomentumConfig.builder().batchSize(16).build(), pair, true);
 * BankRows bank = engine.bankRowsFor(16);                 // empty before the first step
 * // ... loss on [bank ; batch], optimizer step ...
 * engine.stepDone(batchTime, batchEvent, () -> loss);
 * engine.iterations();                                     // 1
 * }</pre>
 *
 * <p>Thread-safe (synchronized), although one engine belongs to one training loop: other threads
 * may read it, and run inference on the target {@linkplain #betweenSteps between steps}.
 *
 * @since 0.1
 */
public final class MomentumEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MomentumEngine.class);

    private final MomentumConfig config;
    private final NetworkPair networks;
    private final boolean countsStepsWithoutEvents;
    private final int causes;      // the largest event code of the labels: 1 for event indicators
    private final ExponentialMovingAverage ema;

    private MemoryBank bank;       // created at the first step, once the output width is known
    private BankRows pooled = BankRows.NONE;
    private int pooledRows = -1;   // pooled holds this many rows' worth of the current bank; -1: stale
    private long iterations;
    private long rowsAdded;        // since the engine was made or loaded
    private long stepsWithoutEvents;
    private double lastLoss = Double.NaN;
    private DoubleSupplier pendingLoss; // the last step's loss, evaluated when first asked for

    /**
     * @param config the bank size and EMA rate
     * @param networks the online and target networks
     * @param coxLoss whether the loss is a Cox likelihood, whose value is 0 with a zero gradient on
     *                pooled rows without events: such steps are counted ({@link #batchesWithoutEvents()})
     */
    public MomentumEngine(MomentumConfig config, NetworkPair networks, boolean coxLoss) {
        this(config, networks, coxLoss, 1);
    }

    /**
     * An engine for labels whose event column holds the codes 0 to {@code causes}: 1 for event
     * indicators (0/1), {@code K} for the causes of competing risks (0 = censored), or
     * {@link SurvivalArguments#ANY_CAUSE} when any whole number may be a cause (a Fine-Gray loss).
     * The bank keeps the codes as they are, so that a pooled loss sees each bank row's cause; a
     * checkpoint's bank must hold the same kind of codes.
     *
     * @param coxLoss whether the loss is a partial likelihood that is 0 with a zero gradient on
     *                pooled rows without an event of any cause (Cox, cause-specific Cox)
     */
    public MomentumEngine(MomentumConfig config, NetworkPair networks, boolean coxLoss, int causes) {
        this.config = SurvivalArguments.checkNotNull(config, "config");
        this.networks = SurvivalArguments.checkNotNull(networks, "networks");
        this.countsStepsWithoutEvents = coxLoss;
        this.causes = SurvivalArguments.atLeast(causes, "causes", 1);
        this.ema = new ExponentialMovingAverage(config.rate());
    }

    /**
     * Fails if momentum with {@code config} cannot train a network of {@code columns} output
     * columns: its memory bank could not hold them (more than 1,024 columns, e.g. grid-hazard knots,
     * or more values than one Java array holds). The bank is made at the first step, after the
     * optimizer has updated the online network: front ends call this when momentum is attached,
     * before anything changes.
     *
     * @throws IllegalArgumentException naming the limit
     */
    public static void checkOutputColumns(MomentumConfig config, int columns) {
        MemoryBank.checkShape(SurvivalArguments.checkNotNull(config, "config").bankCapacity(), columns);
    }

    /**
     * The bank rows a batch of {@code batchRows} rows is pooled with: the newest
     * {@code bankCapacity - batchRows}, oldest first (fewer while the bank fills). The same instance
     * is returned until the bank changes or another batch size is asked for.
     */
    public synchronized BankRows bankRowsFor(int batchRows) {
        int wanted = Math.max(0, config.bankCapacity() - batchRows);
        if (wanted != pooledRows) {
            pooled = bank == null ? BankRows.NONE : bank.newest(Math.min(wanted, bank.size()));
            pooledRows = wanted;
        }
        return pooled;
    }

    /**
     * Completes a training step after the optimizer has updated the online network: EMA of the
     * target, target output on the batch into the bank, counters. See the class comment for a step
     * that diverged.
     *
     * @param time the times of the batch rows the loss used, finite and {@code >= 0}
     * @param event their events, 0 or 1 (or their causes, 0 to the engine's largest code)
     * @param loss the step's pooled loss, evaluated at most once, when {@link #lastLoss()} is asked
     * @throws IllegalStateException if the step diverged; nothing was changed
     */
    public synchronized void stepDone(double[] time, double[] event, DoubleSupplier loss) {
        stepDone(null, time, event, loss);
    }

    /**
     * As {@link #stepDone(double[], double[], DoubleSupplier)} for counting-process labels: the bank
     * keeps the rows' entry times too ({@code start} null: labels without them).
     *
     * @param start the entry times of the batch rows, each below its row's time, or null
     */
    public synchronized void stepDone(double[] start, double[] time, double[] event, DoubleSupplier loss) {
        int n = time.length;
        SurvivalArguments.eventCodes(event, n, causes);
        SurvivalArguments.time(time, "time", n);
        if (start != null) {
            SurvivalArguments.entryTimes(start, time);
        }
        if (bank != null) { // before the EMA: a refused step changes nothing
            MemoryBank.checkLayout(bank.entryTimes(), start != null);
        }
        boolean withoutEvents = countsStepsWithoutEvents && !bankRowsFor(n).hasEvent()
                && Arrays.stream(event).allMatch(e -> e == 0);
        pendingLoss = SurvivalArguments.checkNotNull(loss, "loss");
        List<INDArray> target = networks.targetParameters();
        List<INDArray> online = checkedOnline(target);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ema.update(target, online);
            try {
                if (n > 0) {
                    addToBank(networks.targetOutput(), start, time, event);
                }
            } catch (RuntimeException e) {
                ema.undo(target); // the target stays as it was, like the bank
                throw e;
            }
        }
        iterations++;
        if (withoutEvents && stepsWithoutEvents++ == 0) {
            LOG.warn("momentum iteration {}: the pooled rows (bank and batch) have no event; the loss is 0 with a"
                    + " zero gradient. Further such steps are counted (batchesWithoutEvents()), not logged.",
                    iterations);
        }
    }

    /** The online parameters, checked for finite values before anything changes. */
    private List<INDArray> checkedOnline(List<INDArray> target) {
        List<INDArray> online = networks.onlineParameters();
        if (online.size() != target.size()) {
            throw new IllegalStateException("the online network has " + online.size() + " parameter arrays, the"
                    + " target " + target.size());
        }
        for (int i = 0; i < online.size(); i++) {
            INDArray q = online.get(i);
            if (!NDArrays.allFinite(q)) {
                double[] values = NDArrays.rowMajor(q);
                int bad = 0;
                while (Double.isFinite(values[bad])) {
                    bad++;
                }
                throw new IllegalStateException("online parameter " + networks.parameterName(i) + " "
                        + Arrays.toString(q.shape()) + " holds " + values[bad] + " at flat index " + bad
                        + " after the optimizer step of iteration " + (iterations + 1) + ": the step diverged"
                        + " (learning rate too large?). " + UNCHANGED);
            }
        }
        return online;
    }

    private static final String UNCHANGED = "The target network and the memory bank were left as they were before"
            + " the step; the online weights cannot be restored (the optimizer has already applied the step)";

    private void addToBank(double[][] out, double[] start, double[] time, double[] event) {
        if (out.length != time.length) {
            throw new IllegalStateException("the target network gave " + out.length + " output rows for a batch of "
                    + time.length);
        }
        try {
            SurvivalArguments.finiteCells(out, "target output");
        } catch (IllegalArgumentException e) {
            // finite weights, infinite output: the optimizer step made them huge
            throw new IllegalStateException(e.getMessage() + " after the EMA step of iteration " + (iterations + 1)
                    + ", although the online parameters are finite: the online network diverged (learning rate too"
                    + " large?). " + UNCHANGED, e);
        }
        if (bank == null) {
            bank = MemoryBank.ofCapacity(config.bankCapacity(), out[0].length, start != null, causes);
        }
        bank.add(out, start, time, event);
        rowsAdded += out.length;
        pooledRows = -1;
    }

    /**
     * Runs {@code action} between two steps: no step is being completed while it runs, and none
     * starts completing before it returns. Front ends run inference on the target network this way
     * from other threads while training runs, so that it never sees the target half-way through
     * the EMA; a front end that replaces the target and the bank together does so this way too.
     *
     * @return what {@code action} returns
     */
    public synchronized <T> T betweenSteps(Supplier<T> action) {
        return action.get();
    }

    /** The settings. */
    public MomentumConfig config() {
        return config;
    }

    /** The largest event code of the labels: 1 for event indicators, else the causes (see the constructor). */
    public int causes() {
        return causes;
    }

    /** Completed steps (restored with a checkpoint). */
    public synchronized long iterations() {
        return iterations;
    }

    /**
     * The pooled loss of the last step (taken even if the step then diverged), NaN before the first.
     */
    public synchronized double lastLoss() {
        if (pendingLoss != null) {
            lastLoss = pendingLoss.getAsDouble();
            pendingLoss = null;
        }
        return lastLoss;
    }

    /**
     * Cox loss only: completed training steps whose pooled rows (bank and batch) held no event, so
     * that their loss was 0 with a zero gradient; the first is logged as a warning. Nothing else is
     * counted (a loss scored outside training is not a step). Counted since the engine was made
     * (not stored in checkpoints), or as {@linkplain #load(INDArray, double[], long, long, double)
     * loaded}.
     */
    public synchronized long batchesWithoutEvents() {
        return stepsWithoutEvents;
    }

    /** Rows in the memory bank. */
    public synchronized int bankSize() {
        return bank == null ? 0 : bank.size();
    }

    /**
     * A copy of the memory bank, {@code [size, columns + 2]}: target outputs, time, event (or cause);
     * oldest first.
     */
    public synchronized INDArray bankRows() {
        return bank == null ? Nd4j.create(DataType.DOUBLE, 0, 0) : bank.toArray();
    }

    /**
     * The entry times of the bank's rows, in the order of {@link #bankRows()}, for counting-process
     * labels (start, stop, event); {@code null} if the rows have none (labels (time, event)).
     */
    public synchronized double[] bankEntryTimes() {
        return bank == null || !bank.entryTimes() ? null : bank.newest(bank.size()).start;
    }

    /** Rows added to the bank since the engine was made or {@linkplain #load loaded}. */
    public synchronized long rowsAdded() {
        return rowsAdded;
    }

    /**
     * Replaces the bank, the iteration count and the last loss, for front ends that merge what
     * copies of the network trained elsewhere (distributed training): {@code rows} as
     * {@link #bankRows()} gives them, {@code [n, columns + 2]} (outputs, time, event), oldest first;
     * only the newest {@code bankCapacity} are kept. Nothing changes if they are invalid.
     *
     * @throws IllegalArgumentException if a row is not finite, a time negative or an event code not
     *     one the engine takes ({@link #causes()})
     */
    public synchronized void load(INDArray rows, long iterations, double lastLoss) {
        load(rows, null, iterations, stepsWithoutEvents, lastLoss);
    }

    /**
     * As {@link #load(INDArray, long, double)} for rows with entry times ({@code start} as
     * {@link #bankEntryTimes()} gives them, or null for rows without), and with the count of
     * {@link #batchesWithoutEvents()} replaced too.
     */
    public synchronized void load(INDArray rows, double[] start, long iterations, long batchesWithoutEvents,
                                  double lastLoss) {
        SurvivalArguments.checkNotNull(rows, "rows");
        if (iterations < 0 || batchesWithoutEvents < 0) {
            throw new IllegalArgumentException("iterations and batchesWithoutEvents must be >= 0, got " + iterations
                    + " and " + batchesWithoutEvents);
        }
        MemoryBank loaded = null;
        if (rows.length() > 0) {
            double[][] table = rows.toDoubleMatrix();
            int columns = table[0].length - 2;
            if (columns < 1) {
                throw new IllegalArgumentException("bank rows need at least one output column and time and event, got "
                        + table[0].length + " columns");
            }
            double[][] out = new double[table.length][];
            double[] time = new double[table.length];
            double[] event = new double[table.length];
            for (int i = 0; i < table.length; i++) {
                out[i] = Arrays.copyOf(table[i], columns);
                time[i] = table[i][columns];
                event[i] = table[i][columns + 1];
            }
            if (start != null && start.length != table.length) {
                throw new IllegalArgumentException(start.length + " entry times for " + table.length + " bank rows");
            }
            loaded = MemoryBank.ofCapacity(config.bankCapacity(), columns, start != null, causes);
            loaded.add(out, start, time, event);
        }
        restore(loaded, iterations, lastLoss);
        stepsWithoutEvents = batchesWithoutEvents;
        rowsAdded = 0;
    }

    /** The bank, or null before the first step: for checkpoints. */
    synchronized MemoryBank bank() {
        return bank;
    }

    /** Restores the state a checkpoint saved. */
    synchronized void restore(MemoryBank savedBank, long savedIterations, double savedLoss) {
        bank = savedBank;
        pooledRows = -1;
        iterations = savedIterations;
        lastLoss = savedLoss;
        pendingLoss = null;
    }

    @Override
    public String toString() {
        return "MomentumEngine(" + config + ", bank " + bankSize() + " rows, " + iterations() + " iterations)";
    }
}
