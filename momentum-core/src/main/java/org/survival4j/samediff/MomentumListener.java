package org.survival4j.samediff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.MemoryBank;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SameDiff listener that runs momentum training around each optimizer step of {@code sd.fit}.
 *
 * <ol>
 *   <li>{@code iterationStart} (before the forward pass): checks the batch labels, then sets the
 *       pooled loss's constants to the bank rows and the pooled labels.</li>
 *   <li>{@code activationAvailable}: copies the online output of the batch, to report the loss.</li>
 *   <li>(SameDiff computes the gradient and applies the updater.)</li>
 *   <li>{@code iterationDone} (parameters updated): keeps the pooled rows of the iteration, from
 *       which {@link #lastLoss()} computes the loss with the closed-form kernel when asked (SameDiff
 *       M2.1 reports 0 there), moves the target towards the online graph, runs the target on the
 *       same batch and appends its outputs with the batch labels to the bank.</li>
 * </ol>
 * The batch's arrays are read only inside the call that receives them; everything kept is copied.
 * A batch rejected in {@code iterationStart} (empty, bad labels, too many rows) or in
 * {@code activationAvailable} (an output of the wrong shape, or not finite, or Cox log hazards too far
 * apart for the graph: {@link SameDiffCoxLoss#checkRange}) stops {@code fit} before
 * the step: weights, target and bank stay as they were. If the step itself diverged (a NaN or
 * infinite online variable), {@code iterationDone} throws before the EMA: target, bank and
 * {@link #iteration()} stay as they were (the online weights cannot be undone: SameDiff has applied
 * the step), and {@link #lastLoss()} is the loss that step was taken on. A pooled Cox set without
 * events is counted ({@link #batchesWithoutEvents()}), the first one logged.
 *
 * <p>Not thread-safe: it belongs to one training loop.
 */
final class MomentumListener extends BaseListener {
    private static final Logger LOG = LoggerFactory.getLogger(SameDiffMomentum.class);

    private final SameDiff online;
    private final MomentumSettings settings;
    private final TargetGraph target;
    private final MemoryBank bank;
    private final PooledLoss pooled;
    private long iteration;
    private long batchesWithoutEvents;
    private double lastLoss;
    private double[] lastOutputs; // pooled rows of the last iteration; the loss is computed when asked for
    private double[] lastTime;
    private double[] lastEvent;

    // State of the current iteration, between iterationStart and iterationDone.
    private double[] pooledTime;
    private double[] pooledEvent;
    private double[] bankOutputs;
    private double[] batchOutputs;

    MomentumListener(SameDiff online, MomentumSettings settings, TargetGraph target, MemoryBank bank,
                     PooledLoss pooled, long iteration, double lastLoss) {
        this.online = online;
        this.settings = settings;
        this.target = target;
        this.bank = bank;
        this.pooled = pooled;
        this.iteration = iteration;
        this.lastLoss = lastLoss;
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
        if (sd != online) {
            throw new IllegalStateException("this momentum listener belongs to another graph");
        }
        pooledTime = null; // a batch rejected below leaves nothing for iterationDone
        TrainingConfig config = sd.getTrainingConfig();
        INDArray labelArray = data.getLabels(indexOf(config.getDataSetLabelMapping(), settings.labels()));
        if (labelArray == null || labelArray.isEmpty() || labelArray.rank() == 0) {
            throw new IllegalArgumentException("the batch's labels " + settings.labels() + " are empty (shape "
                    + (labelArray == null ? "null" : Arrays.toString(labelArray.shape())) + "); DL4J's ViewIterator"
                    + " gives such batches over row views that do not start at row 0: dup() the rows first");
        }
        Labels batch = Labels.of(labelArray, null);
        int n = batch.rows();
        if (n > settings.batchSize()) {
            throw new IllegalArgumentException("the batch has " + n + " rows but momentum was built for batches of"
                    + " at most batchSize = " + settings.batchSize());
        }
        for (String name : settings.features()) {
            long rows = data.getFeatures(indexOf(config.getDataSetFeatureMapping(), name)).size(0);
            if (rows != n) {
                throw new IllegalArgumentException("features " + name + " has " + rows + " rows but the labels have "
                        + n);
            }
        }
        // The batch takes the place of the n oldest rows of the ring: the newest (capacity - n) bank rows take part.
        int columns = settings.loss().columns();
        int m = Math.min(bank.size(), settings.capacity() - n);
        double[] outputs = new double[m * columns];
        double[] time = new double[m + n];
        double[] event = new double[m + n];
        bank.copyNewest(m, outputs, time, event);
        for (int i = 0; i < n; i++) {
            time[m + i] = batch.time[i];
            event[m + i] = batch.event[i] ? 1 : 0;
        }
        pooled.feed(outputs, time, event);
        pooledTime = time;
        pooledEvent = event;
        bankOutputs = outputs;
        batchOutputs = null;
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
                                    INDArray activation) {
        if (varName.equals(settings.output()) && pooledTime != null) {
            // Checked here, before the loss ops run: a wrong shape would otherwise be reshaped silently.
            int columns = settings.loss().columns();
            long actualColumns = activation.rank() == 1 ? 1 : activation.rank() == 2 ? activation.size(1) : -1;
            long rows = activation.rank() == 0 ? -1 : activation.size(0);
            int expectedRows = pooledTime.length - bankOutputs.length / columns;
            if (actualColumns != columns || rows != expectedRows) {
                throw new IllegalArgumentException("output " + varName + " has shape "
                        + Arrays.toString(activation.shape()) + ": " + settings.loss() + " expects ["
                        + expectedRows + ", " + columns + "]");
            }
            // Names the row and column of a NaN or infinite value (the online network diverged or got
            // bad features); thrown before the step.
            double[][] values = SurvivalArguments.finiteColumns(activation, "online output " + varName, columns);
            double[] flat = new double[expectedRows * columns];
            for (int i = 0; i < values.length; i++) {
                System.arraycopy(values[i], 0, flat, i * columns, columns);
            }
            if (settings.loss().isCox()) {
                double[] pooledOutputs = Arrays.copyOf(bankOutputs, pooledTime.length);
                System.arraycopy(flat, 0, pooledOutputs, bankOutputs.length, flat.length);
                SameDiffCoxLoss.checkRange(pooledOutputs, pooledEvent, pooled.coxGroups(), activation.dataType());
            }
            batchOutputs = flat;
        }
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
        if (pooledTime == null) {
            return; // iterationStart rejected the batch
        }
        try {
            int bankRows = bankOutputs.length / settings.loss().columns();
            int n = pooledTime.length - bankRows;
            setLastIteration();
            countWithoutEvents(bankRows + n);
            target.update(sd); // checks that every online variable is finite before changing the target
            try {
                addTargetOutputs(sd, data, n);
            } catch (RuntimeException e) {
                target.undoUpdate(); // the target stays as it was, like the bank
                throw e;
            }
            iteration++;
            if (settings.logEvery() > 0 && iteration % settings.logEvery() == 0) {
                LOG.info("momentum iteration {}: loss {} on {} rows ({} from the bank)", iteration, lastLoss(),
                        bankRows + n, bankRows);
            }
        } finally {
            // Whether or not the iteration completed, its state is spent: the next one starts afresh.
            pooledTime = null;
            pooledEvent = null;
            bankOutputs = null;
            batchOutputs = null;
        }
    }

    /** Runs the just-updated target on the batch; adds its outputs with the batch's labels to the bank. */
    private void addTargetOutputs(SameDiff sd, MultiDataSet data, int n) {
        TrainingConfig config = sd.getTrainingConfig();
        Map<String, INDArray> inputs = new HashMap<>();
        for (String name : settings.features()) {
            inputs.put(name, data.getFeatures(indexOf(config.getDataSetFeatureMapping(), name)));
        }
        INDArray targetOut = target.output(inputs, settings.output());
        if (!NDArrays.allFinite(targetOut)) {
            // finite weights, infinite output: the step made them huge
            throw new IllegalStateException("the target output " + settings.output() + " holds NaN or infinite"
                    + " values after the EMA step, although the online variables are finite: the online network"
                    + " diverged (learning rate too large?). The target and the bank were left as they were"
                    + " before the step; the online weights cannot be restored (SameDiff has already applied"
                    + " the step)");
        }
        double[] time = new double[n];
        double[] event = new double[n];
        System.arraycopy(pooledTime, pooledTime.length - n, time, 0, n);
        System.arraycopy(pooledEvent, pooledEvent.length - n, event, 0, n);
        bank.add(NDArrays.rows(targetOut), time, event); // [n, columns], or [n] for one column
    }

    /** Cox only: counts pooled sets without an event (loss 0, zero gradient); logs the first. */
    private void countWithoutEvents(int rows) {
        if (!settings.loss().isCox()) {
            return;
        }
        for (double e : pooledEvent) {
            if (e != 0) {
                return;
            }
        }
        if (batchesWithoutEvents++ == 0) {
            LOG.warn("momentum iteration {}: the {} pooled rows (bank and batch) have no event; the loss is 0 with a"
                    + " zero gradient. Further such batches are counted (batchesWithoutEvents()), not logged.",
                    iteration + 1, rows);
        }
    }

    /** Keeps the pooled rows of this iteration; {@link #lastLoss()} evaluates them on first use. */
    private void setLastIteration() {
        lastLoss = Double.NaN;
        lastOutputs = null;
        if (batchOutputs != null) {
            lastOutputs = new double[bankOutputs.length + batchOutputs.length];
            System.arraycopy(bankOutputs, 0, lastOutputs, 0, bankOutputs.length);
            System.arraycopy(batchOutputs, 0, lastOutputs, bankOutputs.length, batchOutputs.length);
            lastTime = pooledTime;
            lastEvent = pooledEvent;
        }
    }

    private static int indexOf(List<String> mapping, String name) {
        int i = mapping == null ? -1 : mapping.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("the training configuration does not map a data set array to "
                    + name + " (mapping: " + mapping + ")");
        }
        return i;
    }

    long iteration() {
        return iteration;
    }

    /** Cox only: iterations whose pooled set held no event (loss 0, zero gradient); not checkpointed. */
    long batchesWithoutEvents() {
        return batchesWithoutEvents;
    }

    /** The loss of the last iteration by the closed-form kernel; computed once, on first use. */
    double lastLoss() {
        if (lastOutputs != null) {
            lastLoss = settings.loss().value(lastOutputs, lastTime, lastEvent);
            lastOutputs = null;
        }
        return lastLoss;
    }

    @Override
    public String toString() {
        return "MomentumListener(iteration=" + iteration + ", bank=" + bank + ")";
    }
}
