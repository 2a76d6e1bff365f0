package org.survival4j.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.dl4j.SurvivalLossFunction.Pooling;
import org.survival4j.momentum.BankRows;

/**
 * The exact optimizer step of a large batch at the activation memory of a small one, for the
 * survival losses (cached output gradients, after Gao et al. 2021, "Scaling Deep Contrastive
 * Learning Batch Size under Memory Limited Setup"). A Cox likelihood couples every row of its
 * batch, so a batch of {@code k * b} rows is another objective than {@code k} batches of {@code b};
 * here {@code k} micro-batches make one step on their union:
 * <ol>
 *   <li>the network runs in inference mode on each micro-batch, and only the outputs are kept;</li>
 *   <li>each micro-batch is run in training mode and back-propagated with the loss of
 *   [the other micro-batches' kept outputs (constants) ; its own rows]: the gradient through its
 *   own rows is that of the pooled loss of all {@code k * b} rows;</li>
 *   <li>the parameter gradients are summed, and DL4J's updater takes one step with the sum, as
 *   {@code net.fit} on the concatenated batch would (regularization, gradient normalization, the
 *   listeners' {@code iterationDone}, the iteration count).</li>
 * </ol>
 * Exact for networks without dropout or batch normalization: with dropout each micro-batch draws
 * its own masks (and the outputs kept in step 1 none), so the step is not the one a single large
 * batch would take; batch normalization normalizes each micro-batch by its own statistics. With
 * momentum ({@link #attach(Momentum, int)}) each step is the momentum step of the union; attach
 * the momentum first (a network with a plain cache refuses {@code Momentum.attach}).
 *
 * <pre>{@code
 * GradientCache cache = GradientCache.attach(net, 8);   // 8 micro-batches make one step
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     cache.fit(trainIterator);                         // batches of 16 rows: steps of 128
 * }
 * }</pre>
 */
public final class GradientCache {
    private final NetworkHandle net;
    private final int microBatches;
    private final Momentum momentum;          // null: plain training
    private final SurvivalLossFunction loss;  // plain training: the loss whose hook is ours
    private final Hook hook;

    private GradientCache(NetworkHandle net, int microBatches, Momentum momentum) {
        if (microBatches < 1) {
            throw new IllegalArgumentException("microBatches must be >= 1, got " + microBatches);
        }
        net.checkMiniBatch();
        this.net = net;
        this.microBatches = microBatches;
        this.momentum = momentum;
        this.hook = new Hook(net.model());
        if (momentum == null) {
            SurvivalLossFunction.BankHook present = net.survivalLoss().installedHook();
            if (attachedPlainlyTo(net)) {
                throw new IllegalStateException("a gradient cache is already attached to this network: train with it,"
                        + " or call its detach() before attaching another");
            }
            if (present instanceof MomentumTrainingListener m && m.trains(net.model())) {
                throw new IllegalStateException("momentum training is attached to this network: attach the gradient"
                        + " cache to the momentum (GradientCache.attach(momentum, k)), or call momentum.detach()");
            }
            this.loss = net.ownSurvivalLoss();
            loss.bankHook(hook);
        } else {
            this.loss = null;
        }
        net.addListener(hook);
    }

    /**
     * Trains {@code net} in steps of {@code microBatches} micro-batches, each a batch of its iterator.
     *
     * @throws IllegalStateException if a cache or momentum is already attached to {@code net}
     */
    public static GradientCache attach(MultiLayerNetwork net, int microBatches) {
        return new GradientCache(NetworkHandle.of(SurvivalArguments.checkNotNull(net, "net")), microBatches, null);
    }

    /** As {@link #attach(MultiLayerNetwork, int)} for a {@code ComputationGraph} with one input and output. */
    public static GradientCache attach(ComputationGraph net, int microBatches) {
        return new GradientCache(NetworkHandle.of(SurvivalArguments.checkNotNull(net, "net")), microBatches, null);
    }

    /**
     * Momentum training in steps of {@code microBatches} micro-batches: each step is the momentum
     * step of their union (pooled with the bank rows for all its rows; one EMA of the target, which
     * then runs on every micro-batch; their rows enter the bank in order). {@code steps} of the
     * momentum settings counts these steps, {@code batchSize} their rows.
     *
     * @throws IllegalStateException if momentum was detached
     */
    public static GradientCache attach(Momentum momentum, int microBatches) {
        SurvivalArguments.checkNotNull(momentum, "momentum");
        if (!momentum.isAttached()) {
            throw new IllegalStateException("momentum is not attached to its network");
        }
        return new GradientCache(momentum.onlineHandle(), microBatches, momentum);
    }
    /**
     * One pass over {@code data}: each {@code microBatches} consecutive batches make one step (the
     * last group may be smaller). Each batch is copied when it is read, so an iterator may refill
     * the same arrays on every {@code next()}, as workspace-backed and prefetching iterators do.
     */
    public void fit(DataSetIterator data) {
        SurvivalArguments.checkNotNull(data, "data");
        if (data.resetSupported()) {
            data.reset();
        }
        List<DataSet> group = new ArrayList<>();
        while (data.hasNext()) {
            group.add(detachedCopy(data.next()));
            if (group.size() == microBatches) {
                step(group);
                group.clear();
            }
        }
        if (!group.isEmpty()) {
            step(group);
        }
    }

    /**
     * The batch's arrays copied outside any workspace: the iterator may overwrite its own before the
     * step. Missing arrays stay missing ({@code DataSet.copy()} fails on absent labels, which the step
     * reports by name).
     */
    private static DataSet detachedCopy(DataSet batch) {
        SurvivalArguments.checkNotNull(batch, "batch");
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new DataSet(dup(batch.getFeatures()), dup(batch.getLabels()), dup(batch.getFeaturesMaskArray()),
                    dup(batch.getLabelsMaskArray()));
        }
    }

    private static INDArray dup(INDArray a) {
        return a == null ? null : a.dup();
    }

    /**
     * One optimizer step on the union of {@code batches} (labels {@code [n, 2]} or as the loss
     * takes them; 2-d outputs, one row per example).
     */
    public void step(List<DataSet> batches) {
        SurvivalArguments.checkNotNull(batches, "batches");
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one micro-batch");
        }
        List<StepPart> kept = new ArrayList<>();
        for (int j = 0; j < batches.size(); j++) {
            try {
                kept.add(keptRows(net, SurvivalArguments.checkNotNull(batches.get(j), "batch")));
            } catch (IllegalArgumentException e) { // checked before anything changes
                throw new IllegalArgumentException("micro-batch " + j + " of the step: " + e.getMessage(), e);
            }
        }
        int last = batches.size() - 1;
        BankRows bank = momentum == null ? BankRows.NONE : momentum.engine().bankRowsFor(StepPart.rows(kept));
        MomentumTrainingListener listener = momentum == null ? null : momentum.listener();
        if (listener != null) {
            listener.virtualStep(Thread.currentThread());
        }
        INDArray sum = null;
        try {
            for (int j = 0; j <= last; j++) {
                Pooling p = pooling(bank, kept, j, batches.get(last).numExamples());
                if (listener != null) {
                    listener.virtualPooling(p);
                } else {
                    hook.pooling = p;
                }
                if (j < last) {
                    INDArray g = net.gradientOf(batches.get(j));
                    sum = sum == null ? g.dup() : sum.addi(g);
                }
            }
            hook.add = sum;
            net.fit(batches.get(last)); // DL4J's own step: the hook adds the other micro-batches' gradients
        } finally {
            hook.pooling = null;
            hook.add = null;
            if (listener != null) {
                listener.virtualStep(null);
            }
        }
        if (listener != null) {
            completeMomentumStep(listener, batches, kept);
        }
    }

    /** The momentum step of the union: labels in micro-batch order, the target run on each micro-batch. */
    private void completeMomentumStep(MomentumTrainingListener listener, List<DataSet> batches, List<StepPart> kept) {
        double loss = net.model().score();
        NetworkHandle target = momentum.targetHandle();
        Supplier<double[][]> targetOutput = () -> {
            List<double[]> out = new ArrayList<>();
            for (DataSet b : batches) {
                out.addAll(Arrays.asList(target.outputRows(new INDArray[] {b.getFeatures()}, featuresMask(b))));
            }
            return out.toArray(new double[0][]);
        };
        listener.completeStep(StepPart.start(kept), StepPart.concat(kept, StepPart::time),
                StepPart.concat(kept, StepPart::event), () -> loss, targetOutput);
    }

    private static INDArray[] featuresMask(DataSet b) {
        return b.getFeaturesMaskArray() == null ? null : new INDArray[] {b.getFeaturesMaskArray()};
    }

    /** Removes the cache from the network: it trains as before (plainly, or with its momentum). */
    public void detach() {
        if (loss != null) {
            loss.bankHook(null);
        }
        net.removeListener(hook);
    }

    /**
     * Micro-batch {@code j}'s pooling: the bank rows, the other micro-batches' kept rows, and the factor that makes
     * its parameter gradient sum with the others' to that of the union under DL4J's division of the
     * step's gradient by the size of the last micro-batch (DL4J passes its rows as the batch size).
     */
    private static Pooling pooling(BankRows bank, List<StepPart> kept, int j, int lastRows) {
        return new Pooling(StepPart.pooledRows(bank, kept, j), (double) lastRows / kept.get(j).output().length);
    }

    /** A micro-batch's inference-mode outputs and labels, checked. */
    private static StepPart keptRows(NetworkHandle net, DataSet b) {
        INDArray labelArray = b.getLabels();
        if (labelArray == null || labelArray.rank() != 2 || labelArray.columns() < 2 || labelArray.columns() > 3) {
            throw new IllegalArgumentException("the gradient cache takes labels [n, 2] (time, event or cause) or"
                    + " [n, 3] (start, stop, event or cause) with 2-d outputs; got labels of shape " + (labelArray == null ? "none"
                    : Arrays.toString(labelArray.shape())));
        }
        double[][] output = net.outputRows(new INDArray[] {b.getFeatures()}, featuresMask(b));
        double[][] labels = labelArray.toDoubleMatrix();
        int c = (int) labelArray.columns();
        double[] start = c == 3 ? new double[labels.length] : null;
        double[] time = new double[labels.length];
        double[] event = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (start != null) {
                start[i] = labels[i][0];
            }
            time[i] = labels[i][c - 2];
            event[i] = labels[i][c - 1];
        }
        SurvivalArguments.finiteCells(output, "output");
        SurvivalArguments.time(time, "time", time.length);
        net.survivalLoss().checkEvents(event);
        if (start != null) {
            SurvivalArguments.entryTimes(start, time);
        }
        return new StepPart(output, start, time, event);
    }

    /**
     * Whether a plain cache ({@link #attach(MultiLayerNetwork, int)}) is attached to {@code net}: its
     * hook is in the network's loss (a {@code clone()} shares the loss, hence the owner check).
     */
    static boolean attachedPlainlyTo(NetworkHandle net) {
        return net.survivalLoss().installedHook() instanceof Hook h && h.trains(net.model());
    }

    /** Gives the loss the step's pooling, and adds the other micro-batches' gradients before the update. */
    private static final class Hook extends BaseTrainingListener implements SurvivalLossFunction.BankHook {
        private final Model owner;
        volatile Pooling pooling;  // during a step
        volatile INDArray add;     // during the last micro-batch's fit: the others' summed gradients

        Hook(Model owner) {
            this.owner = owner;
        }

        boolean trains(Model model) {
            return owner == model;
        }

        @Override
        public Pooling pooling(SurvivalBatch batch, Supplier<double[][]> output) {
            Pooling p = pooling;
            return p == null ? Pooling.NONE : p; // scoring outside a step sees its batch alone
        }

        @Override
        public void onGradientCalculation(Model model) {
            INDArray a = add;
            if (a != null) {
                model.gradient().gradient().addi(a);
            }
        }
    }
}
