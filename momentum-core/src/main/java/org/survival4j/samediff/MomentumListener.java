package org.survival4j.samediff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.momentum.BankRows;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.momentum.MomentumEngine;
import org.survival4j.momentum.NetworkPair;

/**
 * Hooks the {@link MomentumEngine} into {@code sd.fit}. {@code iterationStart} checks the batch
 * and gets the bank rows the batch is pooled with; when the forward pass produces the online output
 * ({@code activationAvailable}) it is checked and kept; after the updater, {@code iterationDone}
 * lets the engine complete the step through this listener's {@link NetworkPair}. The pooled loss
 * reaches the graph in one of two forms:
 * <ul>
 * <li><b>kernel gradient</b> ({@link KernelGradient}, the default): when the output appears, the
 * closed-form kernel computes the loss of [bank rows ; batch rows] and its gradient for the batch
 * rows, which is written into the graph's gradient constant before the backward pass reads it;
 * the kernel's value is reported in SameDiff's {@code Loss};</li>
 * <li><b>graph</b> ({@link PooledLoss}): {@code iterationStart} puts the bank rows and the pooled
 * labels into the graph loss's constants; the output is checked against the graph's numerical range
 * ({@link SameDiffCoxLoss#checkRange}), and the loss is evaluated by the kernel only when read.</li>
 * </ul>
 * A batch rejected before the step (empty, bad labels, too many rows, an output of the wrong shape
 * or not finite, outside the graph's range) leaves weights, target and bank as they were.
 * Everything kept is copied. Not thread-safe: it belongs to one training loop.
 */
final class MomentumListener extends TrainingListener implements NetworkPair {
    private static final Logger LOG = LoggerFactory.getLogger(SameDiffMomentum.class);

    private final SameDiff online;
    private final GraphBinding binding;
    private final TargetGraph target;
    private final PooledLoss pooled;       // the graph form, or null
    private final KernelGradient gradient; // the kernel-gradient form, or null
    private final boolean entryTimes;
    private final int maxBatch;
    private final MomentumEngine engine;

    // State of the current iteration, between iterationStart and iterationDone.
    private BankRows bankRows;
    private Batch batch;
    private double[] batchOutputs;
    private double kernelLoss; // the kernel-gradient form: the loss the step is taken on

    /**
     * @param pooled the graph form's loss, or null
     * @param gradient the kernel-gradient form's surrogate, or null (exactly one of the two)
     */
    MomentumListener(SameDiff online, GraphBinding binding, TargetGraph target, PooledLoss pooled,
                     KernelGradient gradient, MomentumConfig config) {
        if ((pooled == null) == (gradient == null)) {
            throw new IllegalArgumentException("one form of the loss: graph or kernel gradient");
        }
        this.online = online;
        this.binding = binding;
        this.target = target;
        this.pooled = pooled;
        this.gradient = gradient;
        this.entryTimes = pooled != null ? pooled.entryTimes()
                : PooledLoss.hasEntryTimes(online.getVariable(binding.labels()));
        this.maxBatch = config.batchSize();
        // the bank keeps the labels' codes as they are: 0/1 events, or the causes of competing risks
        this.engine = new MomentumEngine(config, this, binding.loss().partialLikelihood(), binding.loss().eventCodes());
    }

    MomentumEngine engine() {
        return engine;
    }

    /** The online graph's loss variable. */
    String lossName() {
        return pooled != null ? pooled.lossName() : gradient.lossName();
    }

    /**
     * What {@link SameDiffMomentum#listener()} gives. SameDiff calls the listeners passed to
     * {@code fit} before the graph's own in {@code iterationDone}; passed, this one completes the
     * step at its place in that list, so that listeners after it see the step done (the graph's
     * instance then finds nothing left to do). It refuses another graph's {@code fit}.
     */
    BaseListener positioned() {
        return new TrainingListener() {
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
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
        batch = null; // a batch rejected below leaves nothing for iterationDone
        SurvivalLoss loss = binding.loss();
        Batch b = Batch.read(data, sd.getTrainingConfig(), binding.labels(), entryTimes, loss.competingRisks(), null,
                binding.features());
        int n = b.rows();
        // the codes the bank keeps, checked now: after the updater the engine would refuse them too late
        SurvivalArguments.eventCodes(b.event, n, loss.eventCodes());
        if (n > maxBatch) {
            throw new IllegalArgumentException("the batch has " + n + " rows but momentum was built for batches of"
                    + " at most batchSize = " + maxBatch);
        }
        bankRows = engine.bankRowsFor(n);
        if (pooled != null) {
            pooled.feed(bankRows.outputValues(), bankRows.startThen(b.start), bankRows.timeThen(b.time),
                    bankRows.eventThen(b.event));
        } else {
            gradient.prepare(n, b.placeholders);
        }
        batchOutputs = null;
        batch = b;
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet data, SameDiffOp op, String varName,
                                    INDArray activation) {
        if (!varName.equals(binding.output())) {
            return;
        }
        if (batch == null) { // not in fit (calculateGradients), or the batch was rejected
            if (gradient != null) {
                throw new IllegalStateException("the momentum loss's gradient is computed in sd.fit, from the bank and"
                        + " the batch; calculateGradients has neither");
            }
            return;
        }
        // Checked here, before the loss ops run: a wrong shape would otherwise be reshaped silently.
        double[] values = batch.outputValues(activation, varName, binding.loss());
        double[] outputs = pooledOutputs(values);
        SurvivalLoss loss = binding.loss();
        if (pooled != null && loss.isCox()) {
            SameDiffCoxLoss.checkRange(outputs, bankRows.eventThen(batch.event), bankRows.startThen(batch.start),
                    pooled.coxGroups(), activation.dataType());
        } else if (loss.mayOverflow()) { // the kernel's Cox gradient is bounded; exp(...) of the others may overflow
            loss.checkRowRange(outputs, bankRows.timeThen(batch.time), activation.dataType());
        }
        if (gradient != null) {
            ValueAndGradient vg = loss.valueAndGradient(outputs, bankRows.startThen(batch.start),
                    bankRows.timeThen(batch.time), bankRows.eventThen(batch.event), null, bankRows.size());
            gradient.fill(vg.gradientValues());
            kernelLoss = vg.value();
        }
        batchOutputs = values;
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
        if (batch == null) {
            return; // iterationStart rejected the batch, or the step is done
        }
        try {
            DoubleSupplier stepLoss = lastLoss();
            if (gradient != null && batchOutputs != null) {
                gradient.report(loss, kernelLoss);
            }
            engine.stepDone(batch.start, batch.time, batch.event, stepLoss);
            long iteration = engine.iterations();
            if (binding.logEvery() > 0 && iteration % binding.logEvery() == 0) {
                LOG.info("momentum iteration {}: loss {} on {} rows ({} from the bank)", iteration, engine.lastLoss(),
                        bankRows.size() + batch.rows(), bankRows.size());
            }
        } finally {
            // Whether or not the iteration completed, its state is spent: the next one starts afresh.
            batch = null;
            batchOutputs = null;
            bankRows = null;
        }
    }

    /** The loss of this iteration by the closed-form kernel: computed (kernel gradient), or evaluated when asked. */
    private DoubleSupplier lastLoss() {
        if (batchOutputs == null) {
            return () -> Double.NaN;
        }
        if (gradient != null) {
            double value = kernelLoss;
            return () -> value;
        }
        double[] outputs = pooledOutputs(batchOutputs);
        double[] start = bankRows.startThen(batch.start);
        double[] time = bankRows.timeThen(batch.time);
        double[] event = bankRows.eventThen(batch.event);
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
        Map<String, INDArray> inputs = new HashMap<>();
        for (String name : binding.features()) {
            inputs.put(name, batch.placeholders.get(name));
        }
        return NDArrays.rows(target.output(inputs, binding.output())); // [n, columns], or [n] for one column
    }

    @Override
    public String toString() {
        return "MomentumListener(" + engine + ")";
    }
}
