package org.survival4j.samediff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.BankRows;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.momentum.MomentumEngine;
import org.survival4j.momentum.NetworkPair;

/**
 * Hooks the {@link MomentumEngine} into {@code sd.fit}. {@code iterationStart} checks the batch
 * labels and puts the bank rows the batch is pooled with into the pooled loss's constants;
 * {@code activationAvailable} checks the online output and keeps a copy for the reported loss
 * (SameDiff M2.1 reports 0); after the updater, {@code iterationDone} lets the engine complete the
 * step through this listener's {@link NetworkPair}. A batch rejected before the step (empty, bad
 * labels, too many rows, an output of the wrong shape or not finite, Cox log hazards too far apart
 * for the graph: {@link SameDiffCoxLoss#checkRange}) leaves weights, target and bank as they were.
 * Everything kept is copied. Not thread-safe: it belongs to one training loop.
 */
final class MomentumListener extends BaseListener implements NetworkPair {
    private static final Logger LOG = LoggerFactory.getLogger(SameDiffMomentum.class);

    private final SameDiff online;
    private final GraphBinding binding;
    private final TargetGraph target;
    private final PooledLoss pooled;
    private final int maxBatch;
    private final MomentumEngine engine;

    // State of the current iteration, between iterationStart and iterationDone.
    private BankRows bankRows;
    private double[] batchStart; // null without entry times
    private double[] batchTime;
    private double[] batchEvent;
    private double[] batchOutputs;
    private MultiDataSet batch;

    MomentumListener(SameDiff online, GraphBinding binding, TargetGraph target, PooledLoss pooled,
                     MomentumConfig config) {
        this.online = online;
        this.binding = binding;
        this.target = target;
        this.pooled = pooled;
        this.maxBatch = config.batchSize();
        this.engine = new MomentumEngine(config, this, binding.loss().isCox());
    }

    MomentumEngine engine() {
        return engine;
    }

    /**
     * What {@link SameDiffMomentum#listener()} gives. SameDiff calls the listeners passed to
     * {@code fit} before the graph's own in {@code iterationDone}; passed, this one completes the
     * step at its place in that list, so that listeners after it see the step done (the graph's
     * instance then finds nothing left to do). It refuses another graph's {@code fit}.
     */
    BaseListener positioned() {
        return new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
                if (sd != online) {
                    throw new IllegalStateException("this momentum listener belongs to another graph");
                }
            }

            @Override
            public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
                MomentumListener.this.iterationDone(sd, at, data, loss);
            }
        };
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
        batchTime = null; // a batch rejected below leaves nothing for iterationDone
        TrainingConfig config = sd.getTrainingConfig();
        INDArray labelArray = data.getLabels(indexOf(config.getDataSetLabelMapping(), binding.labels()));
        if (labelArray == null || labelArray.isEmpty() || labelArray.rank() == 0) {
            throw new IllegalArgumentException("the batch's labels " + binding.labels() + " are empty (shape "
                    + (labelArray == null ? "null" : Arrays.toString(labelArray.shape())) + "); DL4J's ViewIterator"
                    + " gives such batches over row views that do not start at row 0: dup() the rows first");
        }
        Labels labels = pooled.entryTimes() ? Labels.withEntryTimes(labelArray, null) : Labels.of(labelArray, null);
        if (pooled.entryTimes() && labels.start == null) {
            throw new IllegalArgumentException("the batch's labels " + binding.labels() + " have 2 columns but the"
                    + " momentum graph was built for counting-process labels [n, 3] (start, stop, event)");
        }
        int n = labels.rows();
        if (n > maxBatch) {
            throw new IllegalArgumentException("the batch has " + n + " rows but momentum was built for batches of"
                    + " at most batchSize = " + maxBatch);
        }
        for (String name : binding.features()) {
            INDArray features = data.getFeatures(indexOf(config.getDataSetFeatureMapping(), name));
            SurvivalArguments.finiteValues(features, "features " + name); // before the step, not as NaN weights
            long rows = features.size(0);
            if (rows != n) {
                throw new IllegalArgumentException("features " + name + " has " + rows + " rows but the labels have "
                        + n);
            }
        }
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            event[i] = labels.event[i] ? 1 : 0;
        }
        bankRows = engine.bankRowsFor(n);
        pooled.feed(bankRows.outputValues(), bankRows.startThen(labels.start), bankRows.timeThen(labels.time),
                bankRows.eventThen(event));
        batchStart = labels.start;
        batchTime = labels.time;
        batchEvent = event;
        batchOutputs = null;
        batch = data;
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet data, SameDiffOp op, String varName,
                                    INDArray activation) {
        if (!varName.equals(binding.output()) || batchTime == null) {
            return;
        }
        // Checked here, before the loss ops run: a wrong shape would otherwise be reshaped silently.
        int columns = binding.loss().columns();
        long actualColumns = activation.rank() == 1 ? 1 : activation.rank() == 2 ? activation.size(1) : -1;
        long rows = activation.rank() == 0 ? -1 : activation.size(0);
        if (actualColumns != columns || rows != batchTime.length) {
            throw new IllegalArgumentException("output " + varName + " has shape " + Arrays.toString(activation.shape())
                    + ": " + binding.loss() + " expects [" + batchTime.length + ", " + columns + "]");
        }
        // Names the row and column of a NaN or infinite value (the online network diverged or got bad
        // features); thrown before the step.
        double[][] values = SurvivalArguments.finiteColumns(activation, "online output " + varName, columns);
        double[] flat = new double[values.length * columns];
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(values[i], 0, flat, i * columns, columns);
        }
        if (binding.loss().isCox()) {
            SameDiffCoxLoss.checkRange(pooledOutputs(flat), bankRows.eventThen(batchEvent),
                    bankRows.startThen(batchStart), pooled.coxGroups(),
                    activation.dataType());
        } else {
            binding.loss().checkRowRange(bankRows.outputThen(values), bankRows.timeThen(batchTime),
                    activation.dataType());
        }
        batchOutputs = flat;
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
        if (batchTime == null) {
            return; // iterationStart rejected the batch
        }
        try {
            engine.stepDone(batchStart, batchTime, batchEvent, lastLoss());
            long iteration = engine.iterations();
            if (binding.logEvery() > 0 && iteration % binding.logEvery() == 0) {
                LOG.info("momentum iteration {}: loss {} on {} rows ({} from the bank)", iteration, engine.lastLoss(),
                        bankRows.size() + batchTime.length, bankRows.size());
            }
        } finally {
            // Whether or not the iteration completed, its state is spent: the next one starts afresh.
            batchStart = null;
            batchTime = null;
            batchEvent = null;
            batchOutputs = null;
            bankRows = null;
            batch = null;
        }
    }

    /** The loss of this iteration by the closed-form kernel, for the engine to evaluate when asked. */
    private DoubleSupplier lastLoss() {
        if (batchOutputs == null) {
            return () -> Double.NaN;
        }
        double[] outputs = pooledOutputs(batchOutputs);
        double[] start = bankRows.startThen(batchStart);
        double[] time = bankRows.timeThen(batchTime);
        double[] event = bankRows.eventThen(batchEvent);
        SurvivalLoss loss = binding.loss();
        return () -> loss.value(outputs, start, time, event);
    }

    private double[] pooledOutputs(double[] batchValues) {
        double[] bankValues = bankRows.outputValues();
        double[] all = Arrays.copyOf(bankValues, bankValues.length + batchValues.length);
        System.arraycopy(batchValues, 0, all, bankValues.length, batchValues.length);
        return all;
    }

    @Override
    public List<INDArray> onlineParameters() {
        return target.parameters(online);
    }

    @Override
    public List<INDArray> targetParameters() {
        return target.parameters(target.graph());
    }

    @Override
    public String parameterName(int i) {
        return target.parameterNames().get(i);
    }

    /** Runs the target graph on the batch of the iteration being completed. */
    @Override
    public double[][] targetOutput() {
        TrainingConfig config = online.getTrainingConfig();
        Map<String, INDArray> inputs = new HashMap<>();
        for (String name : binding.features()) {
            inputs.put(name, batch.getFeatures(indexOf(config.getDataSetFeatureMapping(), name)));
        }
        return NDArrays.rows(target.output(inputs, binding.output())); // [n, columns], or [n] for one column
    }

    private static int indexOf(List<String> mapping, String name) {
        int i = mapping == null ? -1 : mapping.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("the training configuration does not map a data set array to "
                    + name + " (mapping: " + mapping + ")");
        }
        return i;
    }

    @Override
    public String toString() {
        return "MomentumListener(" + engine + ")";
    }
}
