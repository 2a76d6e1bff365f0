package org.survival4j.samediff;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.MemoryBank;

/**
 * Momentum training (MoCo-style, as torchsurv's {@code Momentum}) for a survival model built as a
 * SameDiff graph: the Cox or Weibull loss of each batch is computed together with a memory bank of
 * earlier outputs, which decouples the loss from the batch size.
 *
 * <p>Two copies of the network take part. The <em>online</em> graph (the user's) is trained by
 * SameDiff's optimizer; the <em>target</em> graph, an independent copy, follows it by an exponential
 * moving average \( \theta_k \leftarrow m\,\theta_k + (1 - m)\,\theta_q \). The memory bank holds
 * the target's outputs for the last {@code steps * batchSize} rows with their time and event. Each
 * iteration of {@code sd.fit(...)} with {@link #listener()}:
 * <ol>
 *   <li>the online graph runs on the batch of {@code n} rows; the loss is taken on [bank rows ;
 *       batch rows] with the newest {@code steps * batchSize - n} bank rows (so at most
 *       {@code steps * batchSize} rows in all, as the torchsurv reference traces do), the bank rows
 *       being constants, so only the batch rows carry a gradient;</li>
 *   <li>SameDiff's updater takes the step;</li>
 *   <li>the target moves towards the updated online weights (all trainable variables, in place);</li>
 *   <li>the target runs on the same batch; its outputs and the batch labels replace the oldest bank rows.</li>
 * </ol>
 * The bank starts empty. Inference ({@link #infer}) uses the target. Deliberate differences from
 * torchsurv are listed in {@code docs/math/momentum.md} and {@code docs/conventions.md}: the EMA
 * uses the weights after the step, every batch row gets a gradient, and training resumes exactly
 * from {@link #save}. The SameDiff user guide is {@code docs/samediff-momentum.md}.
 *
 * <pre>{@code
 * SameDiff sd = ...;  // placeholders "in" [-1, p] and "label" [-1, 2]; output "logHz" [-1, 1]
 * SameDiffMomentum momentum = SameDiffMomentum.builder(sd)
 *         .features("in").output("logHz").labels("label")
 *         .loss(SurvivalLoss.cox(Ties.EFRON))
 *         .batchSize(16).steps(10).rate(0.999)
 *         .updater(new Adam(1e-3))
 *         .build();
 * sd.fit(trainIterator, 5, momentum.listener());       // batches of at most 16 rows
 * INDArray logHz = momentum.infer(features);            // the target network
 * momentum.save(new File("model.zip"));                 // both graphs, the bank, the iteration
 * }</pre>
 *
 * <p>Not thread-safe: one instance belongs to one training loop.
 *
 * @since 0.1
 */
public final class SameDiffMomentum {
    private final SameDiff online;
    private final MomentumSettings settings;
    private final TargetGraph target;
    private final MemoryBank bank;
    private final PooledLoss pooled;
    private final MomentumListener listener;

    SameDiffMomentum(SameDiff online, MomentumSettings settings, TargetGraph target, MemoryBank bank,
                     PooledLoss pooled, long iteration, double lastLoss) {
        this.online = online;
        this.settings = settings;
        this.target = target;
        this.bank = bank;
        this.pooled = pooled;
        this.listener = new MomentumListener(online, settings, target, bank, pooled, iteration, lastLoss);
    }

    /** Starts configuring momentum training of {@code sd}. */
    public static Builder builder(SameDiff sd) {
        return new Builder(SurvivalArguments.checkNotNull(sd, "sd"));
    }

    /** The listener to pass to {@code online().fit(...)}; always the same instance. */
    public Listener listener() {
        return listener;
    }

    /** The online graph (trained by the optimizer; holds the momentum loss). */
    public SameDiff online() {
        return online;
    }

    /** The target graph (the moving average; only the user's network). Read it, do not train it. */
    public SameDiff target() {
        return target.graph();
    }

    /**
     * The target network's output for one features array, a new array.
     *
     * @param features values of the (single) features placeholder
     */
    public INDArray infer(INDArray features) {
        if (settings.features().size() != 1) {
            throw new IllegalArgumentException("the graph has " + settings.features().size()
                    + " features placeholders: use infer(Map)");
        }
        return infer(Map.of(settings.features().get(0), SurvivalArguments.checkNotNull(features, "features")));
    }

    /** The target network's output for the given placeholder values, a new array. */
    public INDArray infer(Map<String, INDArray> inputs) {
        return target.output(inputs, settings.output()).dup();
    }

    /** Completed momentum iterations (carried over by {@link #save} and {@link #restore}). */
    public long iteration() {
        return listener.iteration();
    }

    /** The loss of the last iteration, on [bank ; batch] before the step; NaN before the first. */
    public double lastLoss() {
        return listener.lastLoss();
    }

    /**
     * Cox only: iterations whose pooled set (bank rows and batch) held no event, so that their loss
     * was 0 with a zero gradient (the first is logged as a warning); 0 for the Weibull losses. Counted
     * since this instance was built or restored (not stored in checkpoints).
     */
    public long batchesWithoutEvents() {
        return listener.batchesWithoutEvents();
    }

    /** Rows in the memory bank. */
    public int bankSize() {
        return bank.size();
    }

    /** The bank rows, oldest first, as a new {@code [size, columns + 2]} array (outputs, time, event). */
    public INDArray bankRows() {
        return bank.toArray();
    }

    /** The loss this momentum minimises. */
    public SurvivalLoss loss() {
        return settings.loss();
    }

    /**
     * Writes a checkpoint (a zip of both graphs with the online updater state, the bank and the
     * settings) from which {@link #restore} continues exactly where training stopped.
     */
    public void save(File file) throws IOException {
        MomentumCheckpoint.write(file, this);
    }

    /** Reads a checkpoint written by {@link #save}; train on with {@code online().fit(..., listener())}. */
    public static SameDiffMomentum restore(File file) throws IOException {
        return MomentumCheckpoint.read(file);
    }

    MomentumSettings settings() {
        return settings;
    }

    MemoryBank bank() {
        return bank;
    }

    PooledLoss pooledLoss() {
        return pooled;
    }

    @Override
    public String toString() {
        return "SameDiffMomentum(" + settings.loss() + ", batchSize=" + settings.batchSize() + ", steps="
                + settings.steps() + ", rate=" + settings.rate() + ", iteration=" + iteration() + ", bank=" + bank
                + ")";
    }

    /**
     * Configures {@link SameDiffMomentum}; {@link #build()} validates, copies the target graph, adds the
     * loss to the online graph and sets its training configuration.
     */
    public static final class Builder {
        private final SameDiff sd;
        private List<String> features = List.of();
        private String output;
        private String labels;
        private SurvivalLoss loss;
        private int batchSize = 16;
        private int steps = 10;
        private double rate = 0.999;
        private IUpdater updater;
        private int logEvery;

        private Builder(SameDiff sd) {
            this.sd = sd;
        }

        /** The features placeholders, in the order of the data set's feature arrays. */
        public Builder features(String... names) {
            this.features = List.of(names);
            return this;
        }

        /** The output variable: log hazard {@code [n, 1]} (Cox), or log scale and log shape {@code [n, 2]} (Weibull). */
        public Builder output(String name) {
            this.output = name;
            return this;
        }

        /** The labels placeholder, {@code [n, 2]} = (time, event). */
        public Builder labels(String name) {
            this.labels = name;
            return this;
        }

        /** The survival loss; required. */
        public Builder loss(SurvivalLoss loss) {
            this.loss = loss;
            return this;
        }

        /** The largest batch; default 16. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Batches the bank holds ({@code steps * batchSize} rows); default 10. */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The EMA momentum {@code m} in [0, 1]; default 0.999. */
        public Builder rate(double rate) {
            this.rate = rate;
            return this;
        }

        /**
         * The optimizer; the graph gets a new training configuration with it. Without it, the graph's
         * own training configuration is kept and must map the features and labels placeholders.
         */
        public Builder updater(IUpdater updater) {
            this.updater = updater;
            return this;
        }

        /** Log the loss at INFO every {@code k} iterations; 0 (default) never. */
        public Builder logEvery(int k) {
            this.logEvery = k;
            return this;
        }

        /** Validates everything, then changes the graph (target copy, loss, training configuration). */
        public SameDiffMomentum build() {
            MomentumSettings settings = new MomentumSettings(features, output, labels, loss, batchSize, steps, rate,
                    logEvery);
            for (String name : features) {
                requireType(name, VariableType.PLACEHOLDER, "features");
            }
            requireType(labels, VariableType.PLACEHOLDER, "labels");
            SDVariable out = sd.getVariable(requireType(output, null, "output"));
            if (out.getVariableType() != VariableType.ARRAY) {
                throw new IllegalArgumentException("output " + output + " is a " + out.getVariableType().name()
                        .toLowerCase() + ": it must be computed by an op of the graph from the features");
            }
            if (!sd.getLossVariables().isEmpty()) {
                throw new IllegalArgumentException("the graph already has loss variables " + sd.getLossVariables()
                        + ", which would be trained together with the momentum loss: remove them first with"
                        + " sd.setLossVariables(new String[0])");
            }
            long[] shape = out.getShape();
            if (shape != null && shape.length == 2 && shape[1] > 0 && shape[1] != loss.columns()) {
                throw new IllegalArgumentException("output " + output + " has " + shape[1] + " columns but " + loss
                        + " reads " + loss.columns());
            }
            if (updater == null) {
                checkConfig();
            }

            TargetGraph target = TargetGraph.copyOf(sd, rate);
            PooledLoss pooled = PooledLoss.build(sd, MomentumSettings.PREFIX, out, sd.getVariable(labels), loss,
                    settings.capacity());
            if (updater != null) {
                sd.setTrainingConfig(TrainingConfig.builder().updater(updater).dataSetFeatureMapping(features)
                        .dataSetLabelMapping(labels).build());
            }
            return new SameDiffMomentum(sd, settings, target, MemoryBank.ofCapacity(settings.capacity(),
                    loss.columns()), pooled, 0, Double.NaN);
        }

        private String requireType(String name, VariableType type, String what) {
            if (!sd.hasVariable(name) || (type != null && sd.getVariable(name).getVariableType() != type)) {
                throw new IllegalArgumentException(what + ": the graph has no " + (type == null ? "variable"
                        : type.name().toLowerCase()) + " named " + name);
            }
            return name;
        }

        private void checkConfig() {
            TrainingConfig config = sd.getTrainingConfig();
            if (config == null) {
                throw new IllegalArgumentException("the graph has no training configuration: give updater(...)");
            }
            if (config.getDataSetFeatureMapping() == null || !config.getDataSetFeatureMapping().containsAll(features)
                    || config.getDataSetLabelMapping() == null || !config.getDataSetLabelMapping().contains(labels)) {
                throw new IllegalArgumentException("the graph's training configuration maps features "
                        + config.getDataSetFeatureMapping() + " and labels " + config.getDataSetLabelMapping()
                        + "; it must map " + features + " and " + labels);
            }
            if (config.getLossVariables() != null && !config.getLossVariables().isEmpty()) {
                throw new IllegalArgumentException("the graph's training configuration lists loss variables "
                        + config.getLossVariables() + ": remove them first with config.setLossVariables(null);"
                        + " the momentum loss is the only loss");
            }
        }
    }
}
