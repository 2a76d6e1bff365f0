package org.survival4j.samediff;

import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumCheckpoint;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.momentum.MomentumEngine;

/**
 * Momentum training (MoCo-style, as torchsurv's {@code Momentum}) for a survival model built as a
 * SameDiff graph: the Cox or Weibull loss of each batch is computed together with a memory bank of
 * earlier outputs, which decouples the loss from the batch size.
 *
 * <p>Two copies of the network take part. The <em>online</em> graph (the user's) is trained by
 * SameDiff's optimizer; the <em>target</em> graph, an independent copy, follows it by an exponential
 * moving average. Each iteration of {@code sd.fit(...)} with {@link #listener()} runs the momentum
 * step of {@link MomentumEngine}: the loss is taken on [bank rows ; batch rows], the bank rows being
 * graph constants (so only the batch rows carry a gradient); after SameDiff's updater step the target
 * moves towards the online weights, runs on the same batch, and its outputs with the batch labels
 * replace the oldest bank rows. Inference ({@link #infer}) uses the target. The SameDiff user guide
 * is {@code docs/samediff-momentum.md}; the semantics and the deliberate differences from torchsurv
 * are in {@code docs/conventions.md}.
 *
 * <pre>{@code
 * SameDiff sd = ...;  // placeholders "in" [-1, p] and "label" [-1, 2]; output "logHz" [-1, 1]
 * SameDiffMomentum momentum = SameDiffMomentum.builder(sd)
 *         .features("in").output("logHz").labels("label")
 *         .loss(SurvivalLoss.cox(Ties.EFRON))
 *         .config(MomentumConfig.builder().batchSize(16).steps(10).rate(0.999).build())
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
    static final String FRONT_END = "SameDiff";
    private static final String ONLINE = "online.fb";
    private static final String TARGET = "target.fb";

    private final SameDiff online;
    private final GraphBinding binding;
    private final TargetGraph target;
    private final MomentumListener listener;

    private SameDiffMomentum(SameDiff online, GraphBinding binding, MomentumConfig config, TargetGraph target,
                             PooledLoss pooled) {
        this.online = online;
        this.binding = binding;
        this.target = target;
        this.listener = new MomentumListener(online, binding, target, pooled, config);
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
        if (binding.features().size() != 1) {
            throw new IllegalArgumentException("the graph has " + binding.features().size()
                    + " features placeholders: use infer(Map)");
        }
        return infer(Map.of(binding.features().get(0), SurvivalArguments.checkNotNull(features, "features")));
    }

    /** The target network's output for the given placeholder values, a new array. */
    public INDArray infer(Map<String, INDArray> inputs) {
        return target.output(inputs, binding.output()).dup();
    }

    /** The momentum settings. */
    public MomentumConfig config() {
        return engine().config();
    }

    /** Completed momentum iterations (carried over by {@link #save} and {@link #restore}). */
    public long iteration() {
        return engine().iterations();
    }

    /** The loss of the last iteration, on [bank rows ; batch rows] before the step; NaN before the first. */
    public double lastLoss() {
        return engine().lastLoss();
    }

    /** As {@link MomentumEngine#batchesWithoutEvents()}: 0 for the Weibull losses. */
    public long batchesWithoutEvents() {
        return engine().batchesWithoutEvents();
    }

    /** Rows in the memory bank. */
    public int bankSize() {
        return engine().bankSize();
    }

    /** The bank rows, oldest first, as a new {@code [size, columns + 2]} array (outputs, time, event). */
    public INDArray bankRows() {
        return engine().bankRows();
    }

    /** The loss this momentum minimises. */
    public SurvivalLoss loss() {
        return binding.loss();
    }

    private MomentumEngine engine() {
        return listener.engine();
    }

    /**
     * Writes a checkpoint ({@link MomentumCheckpoint}: both graphs, the online one with its updater
     * state, the bank and the settings) from which {@link #restore} continues exactly where training
     * stopped.
     */
    public void save(File file) throws IOException {
        SurvivalArguments.checkNotNull(file, "file");
        SurvivalLoss loss = binding.loss();
        Map<String, Object> lossJson = new LinkedHashMap<>();
        lossJson.put("kind", loss.kind().name());
        lossJson.put("ties", loss.ties() == null ? null : loss.ties().name());
        lossJson.put("reduction", loss.reduction().name());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("features", binding.features());
        settings.put("output", binding.output());
        settings.put("labels", binding.labels());
        settings.put("loss", lossJson);
        settings.put("logEvery", binding.logEvery());
        Map<String, MomentumCheckpoint.EntryWriter> graphs = new LinkedHashMap<>();
        graphs.put(ONLINE, out -> online.save(out, true));
        graphs.put(TARGET, out -> target().save(out, false));
        MomentumCheckpoint.write(file, FRONT_END, engine(), settings, graphs);
    }

    /** Reads a checkpoint written by {@link #save}; train on with {@code online().fit(..., listener())}. */
    public static SameDiffMomentum restore(File file) throws IOException {
        MomentumCheckpoint saved = MomentumCheckpoint.read(SurvivalArguments.checkNotNull(file, "file"), FRONT_END);
        GraphBinding binding = binding(saved);
        SameDiff online = SameDiff.load(saved.entry(ONLINE), true);
        SameDiff targetGraph = SameDiff.load(saved.entry(TARGET), false);
        SameDiffMomentum momentum;
        try {
            momentum = new SameDiffMomentum(online, binding, saved.config(), TargetGraph.of(targetGraph, online),
                    PooledLoss.find(online, GraphBinding.PREFIX, binding.loss(), saved.config().bankCapacity()));
        } catch (IllegalArgumentException e) {
            throw saved.damaged(e.getMessage());
        }
        saved.restore(momentum.engine(), binding.loss().columns());
        return momentum;
    }

    private static GraphBinding binding(MomentumCheckpoint saved) throws IOException {
        JsonNode loss = saved.setting("loss");
        for (String key : new String[] {"kind", "reduction"}) {
            if (!loss.hasNonNull(key)) {
                throw saved.damaged("the loss in momentum.json has no \"" + key + "\"");
            }
        }
        JsonNode features = saved.setting("features");
        String output = saved.setting("output").asText();
        String labels = saved.setting("labels").asText();
        try {
            Ties ties = loss.path("ties").isTextual() ? Ties.valueOf(loss.path("ties").asText()) : null;
            SurvivalLoss survivalLoss = SurvivalLoss.of(SurvivalLoss.Kind.valueOf(loss.path("kind").asText()), ties,
                    Reduction.valueOf(loss.path("reduction").asText()));
            List<String> names = new java.util.ArrayList<>();
            features.forEach(n -> names.add(n.asText()));
            return new GraphBinding(names, output, labels, survivalLoss, saved.setting("logEvery").asInt());
        } catch (IllegalArgumentException e) {
            throw saved.damaged("momentum.json holds invalid settings: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "SameDiffMomentum(" + binding.loss() + ", " + config() + ", iteration=" + iteration() + ", bank="
                + bankSize() + " rows)";
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

        /** The momentum settings (default {@code MomentumConfig.builder().build()}); batchSize is the largest batch. */
        public Builder config(MomentumConfig config) {
            SurvivalArguments.checkNotNull(config, "config");
            return batchSize(config.batchSize()).steps(config.steps()).rate(config.rate());
        }

        /** Shorthand for the {@link MomentumConfig} setting: the largest batch; default 16. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Shorthand for the {@link MomentumConfig} setting: batches the bank holds; default 10. */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Shorthand for the {@link MomentumConfig} setting: the EMA rate in [0, 1]; default 0.999. */
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
            MomentumConfig config = MomentumConfig.builder().batchSize(batchSize).steps(steps).rate(rate).build();
            GraphBinding binding = new GraphBinding(features, output, labels, loss, logEvery);
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

            TargetGraph target = TargetGraph.copyOf(sd);
            PooledLoss pooled = PooledLoss.build(sd, GraphBinding.PREFIX, out, sd.getVariable(labels), loss,
                    config.bankCapacity());
            if (updater != null) {
                sd.setTrainingConfig(TrainingConfig.builder().updater(updater).dataSetFeatureMapping(features)
                        .dataSetLabelMapping(labels).build());
            }
            return new SameDiffMomentum(sd, binding, config, target, pooled);
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
