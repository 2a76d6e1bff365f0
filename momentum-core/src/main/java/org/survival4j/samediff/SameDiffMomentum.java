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
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.MomentumCheckpoint;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.momentum.MomentumEngine;
import org.survival4j.momentum.MomentumTraining;

/**
 * Momentum training (MoCo-style, as torchsurv's {@code Momentum}) for a survival model built as a
 * SameDiff graph: the survival loss of each batch (any {@link SurvivalLoss}: Cox, Weibull, grid
 * hazards, and the competing-risks losses, whose bank rows keep their causes) is computed together
 * with a memory bank of earlier outputs, which decouples the loss from the batch size.
 *
 * <p>Two copies of the network take part. The <em>online</em> graph (the user's) is trained by
 * SameDiff's optimizer; the <em>target</em> graph, an independent copy, follows it by an exponential
 * moving average. Each iteration of {@code sd.fit(...)} (the graph carries the listener) runs the momentum
 * step of {@link MomentumEngine}: the loss is taken on [bank rows ; batch rows], only the batch rows
 * carrying a gradient; after SameDiff's updater step the target moves towards the online weights,
 * runs on the same batch, and its outputs with the batch labels replace the oldest bank rows. The
 * loss reaches the online graph as the closed-form kernel's gradient (a surrogate whose parameter
 * gradients are the pooled loss's, {@link KernelGradientLoss}'s mechanism; the default) or, with
 * {@link Builder#graphLoss graphLoss(true)}, as a graph function with the bank rows as constants.
 * Inference ({@link #infer}) uses the target. The SameDiff user guide is
 * {@code docs/samediff-momentum.md}; the semantics and the deliberate differences from torchsurv are
 * in {@code docs/conventions.md}.
 *
 * <pre>{@code
 * SameDiff sd = ...;  // placeholders "in" [-1, p] and "label" [-1, 2]; output "logHz" [-1, 1]
 * SameDiffMomentum momentum = SameDiffMomentum.builder(sd)
 *         .features("in").output("logHz").labels("label")
 *         .loss(SurvivalLoss.cox(Ties.EFRON))
 *         .config(MomentumConfig.builder().batchSize(16).steps(10).rate(0.999).build())
 *         .updater(new Adam(1e-3))
 *         .build();
 * sd.fit(trainIterator, 5);                            // batches of at most 16 rows
 * INDArray logHz = momentum.infer(features);            // the target network
 * momentum.save(new File("model.zip"));                 // both graphs, the bank, the iteration
 * }</pre>
 *
 * <p>SameDiff 1.0.0-M2.1 keeps memory for every iteration of a {@code fit} call until the call
 * returns (about 16 KB an iteration for a small Cox MLP): for long runs call {@code fit} once per
 * epoch or few epochs.
 *
 * <p>One instance belongs to one training loop. {@link #infer} and the counters and bank
 * ({@link #iterations()}, {@link #bankRows()}, ...) may be called from other threads while it
 * trains: they change nothing, and see the state after the last completed step. Everything else
 * belongs to the training loop's thread.
 *
 * @since 0.1
 */
public final class SameDiffMomentum extends MomentumTraining {
    static final String FRONT_END = "SameDiff";
    private static final String ONLINE = "online.fb";
    private static final String TARGET = "target.fb";

    private final MomentumListener listener;
    private final GraphBinding binding;
    private final SameDiff online;
    private final TargetGraph target;

    private SameDiffMomentum(SameDiff online, GraphBinding binding, MomentumConfig config, TargetGraph target,
                             PooledLoss pooled, KernelGradient gradient) {
        this.online = online;
        this.binding = binding;
        this.target = target;
        this.listener = new MomentumListener(online, binding, target, pooled, gradient, config);
        // The graph carries the momentum loss, whose constants only this listener keeps right: so it
        // carries the listener too, and every sd.fit(...) runs the momentum step, with or without
        // listener() among its arguments (without it, 0.1 trained on stale constants or crashed).
        online.addListeners(listener);
        // now rather than at the first fit, and without the line per op SameDiff prints meanwhile
        GradientFunction.createQuietly(online);
    }

    /** Starts configuring momentum training of {@code sd}. */
    public static Builder builder(SameDiff sd) {
        return new Builder(SurvivalArguments.checkNotNull(sd, "sd"));
    }

    /**
     * Optional: the graph carries the momentum listener, so {@code sd.fit(iterator, epochs)} runs
     * the momentum step. Passed to {@code fit} (as 0.1 required), this listener completes each step
     * at its place among the listeners given there, so that listeners after it see the step done
     * (e.g. {@link #lastLoss()}); without it, the step completes after them.
     */
    public Listener listener() {
        return listener.positioned();
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

    /**
     * The target network's output for the given placeholder values, a new array. It may be called
     * from another thread while {@code fit} runs: it changes nothing and sees the target of the
     * last completed step.
     */
    public INDArray infer(Map<String, INDArray> inputs) {
        // between steps: the training thread may be moving the target by EMA right now
        return engine().betweenSteps(() -> target.output(inputs, binding.output()).dup());
    }

    /** The loss this momentum minimises. */
    public SurvivalLoss loss() {
        return binding.loss();
    }

    /**
     * The online graph's loss variable, {@code momentum/loss}. With the default kernel-gradient form
     * its value is the surrogate \( \sum y \cdot G \), not the likelihood, and SameDiff does not
     * evaluate it during training anyway: read {@link #lastLoss()} (the listener also puts that value
     * into the {@code Loss} SameDiff gives to listeners and records). With
     * {@link Builder#graphLoss graphLoss(true)} it is the pooled likelihood as a graph function.
     */
    public String lossName() {
        return listener.lossName();
    }

    @Override
    protected MomentumEngine engine() {
        return listener.engine();
    }

    /**
     * Writes a checkpoint ({@link MomentumCheckpoint}: both graphs, the online one with its updater
     * state, the bank and the settings) from which {@link #restore} continues exactly where training
     * stopped.
     */
    public void save(File file) throws IOException {
        Map<String, MomentumCheckpoint.EntryWriter> graphs = new LinkedHashMap<>();
        graphs.put(ONLINE, out -> online.save(out, true));
        graphs.put(TARGET, out -> target().save(out, false));
        MomentumCheckpoint.write(SurvivalArguments.checkNotNull(file, "file"), FRONT_END, engine(), binding.settings(),
                graphs);
    }

    /** Reads a checkpoint written by {@link #save}; train on with {@code online().fit(...)}. */
    public static SameDiffMomentum restore(File file) throws IOException {
        MomentumCheckpoint saved = MomentumCheckpoint.read(SurvivalArguments.checkNotNull(file, "file"), FRONT_END);
        GraphBinding binding = GraphBinding.of(saved);
        SameDiff online = saved.read(ONLINE, in -> SameDiff.load(in, true));
        SameDiff targetGraph = saved.read(TARGET, in -> SameDiff.load(in, false));
        SameDiffMomentum momentum;
        try {
            binding.checkNames(online, targetGraph);
            PooledLoss pooled = binding.graphLoss() ? PooledLoss.find(online, GraphBinding.PREFIX, binding.loss(),
                    saved.config().bankCapacity()) : null;
            KernelGradient gradient = binding.graphLoss() ? null
                    : KernelGradient.find(online, GraphBinding.PREFIX, binding.output(), binding.loss().columns());
            momentum = new SameDiffMomentum(online, binding, saved.config(), TargetGraph.of(targetGraph, online),
                    pooled, gradient);
        } catch (IllegalArgumentException e) {
            throw saved.damaged(e.getMessage());
        }
        saved.restore(momentum.engine(), binding.loss().columns());
        return momentum;
    }

    @Override
    public String toString() {
        return "SameDiffMomentum(" + binding.loss() + ", " + config() + ", iteration=" + iterations() + ", bank="
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
        private MomentumConfig config = MomentumConfig.builder().build();
        private IUpdater updater;
        private int logEvery;
        private boolean graphLoss;

        private Builder(SameDiff sd) {
            this.sd = sd;
        }

        /** The features placeholders, in the order of the data set's feature arrays. */
        public Builder features(String... names) {
            this.features = List.of(names);
            return this;
        }

        /**
         * The output variable: log hazard {@code [n, 1]} (Cox), or log scale and log shape {@code [n, 2]}
         * (Weibull); {@link SurvivalLoss#columns()} columns in general.
         */
        public Builder output(String name) {
            this.output = name;
            return this;
        }

        /**
         * The labels placeholder, {@code [n, 2]} = (time, event), or (start, stop, event) when declared
         * with 3 columns (Cox, cause-specific Cox); for the competing-risks losses the event column holds
         * the cause (0 = censored).
         */
        public Builder labels(String name) {
            this.labels = name;
            return this;
        }

        /** The survival loss; required. */
        public Builder loss(SurvivalLoss loss) {
            this.loss = loss;
            return this;
        }

        /** The momentum settings (default {@code MomentumConfig.builder().build()}); batchSize: the largest batch. */
        public Builder config(MomentumConfig config) {
            this.config = config;
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

        /**
         * Which form the loss takes in the online graph. {@code false} (the default): the kernel
         * gradient, the surrogate \( \sum y \cdot G \) whose \( G \) the closed-form kernel
         * fills with the gradient of the pooled loss at each step (one op in the backward pass; the
         * exact kernel, no numerical range limit for Cox). {@code true}: the loss as a graph function
         * ({@link SameDiffCoxLoss}, {@link SameDiffWeibullLoss}, {@link SameDiffGridHazardLoss} on
         * [bank rows ; batch rows]), for a graph whose loss variable must be the differentiable
         * likelihood (export, second derivatives); 2.5-2.7x the time per step. The competing-risks
         * losses have no graph form: {@code true} is refused for them.
         */
        public Builder graphLoss(boolean graphLoss) {
            this.graphLoss = graphLoss;
            return this;
        }

        /** Validates everything, then changes the graph (target copy, loss, training configuration). */
        public SameDiffMomentum build() {
            SurvivalArguments.checkNotNull(config, "config");
            GraphBinding binding = new GraphBinding(features, output, labels, loss, logEvery, graphLoss);
            for (String name : features) {
                GraphChecks.require(sd, name, VariableType.PLACEHOLDER, "features");
            }
            SDVariable label = GraphChecks.require(sd, labels, VariableType.PLACEHOLDER, "labels");
            SDVariable out = GraphChecks.output(sd, output, loss);
            GraphChecks.noLossVariables(sd);
            if (loss.competingRisks() && graphLoss) {
                throw new IllegalArgumentException(loss + " has no graph form: the competing-risks losses train with"
                        + " the kernel gradient (graphLoss(false), the default)");
            }
            GraphChecks.entryTimes(label, loss);
            if (updater == null) {
                checkTrainingConfig();
            }
            MomentumEngine.checkOutputColumns(config, loss.columns()); // the bank can hold them

            if (!graphLoss) {
                KernelGradient.checkNames(sd, GraphBinding.PREFIX); // before the graph is changed
            }
            TargetGraph target = TargetGraph.copyOf(sd);
            PooledLoss pooled = graphLoss ? PooledLoss.build(sd, GraphBinding.PREFIX, out, label, loss,
                    config.bankCapacity()) : null;
            KernelGradient gradient = graphLoss ? null
                    : KernelGradient.build(sd, GraphBinding.PREFIX, out, loss.columns());
            if (updater != null) {
                sd.setTrainingConfig(TrainingConfig.builder().updater(updater).dataSetFeatureMapping(features)
                        .dataSetLabelMapping(labels).build());
            }
            return new SameDiffMomentum(sd, binding, config, target, pooled, gradient);
        }

        private void checkTrainingConfig() {
            TrainingConfig training = sd.getTrainingConfig();
            if (training == null) {
                throw new IllegalArgumentException("the graph has no training configuration: give updater(...)");
            }
            List<String> featureMapping = training.getDataSetFeatureMapping();
            List<String> labelMapping = training.getDataSetLabelMapping();
            if (featureMapping == null || !featureMapping.containsAll(features) || labelMapping == null
                    || !labelMapping.contains(labels)) {
                throw new IllegalArgumentException("the graph's training configuration maps features "
                        + training.getDataSetFeatureMapping() + " and labels " + training.getDataSetLabelMapping()
                        + "; it must map " + features + " and " + labels);
            }
            if (training.getLossVariables() != null && !training.getLossVariables().isEmpty()) {
                throw new IllegalArgumentException("the graph's training configuration lists loss variables "
                        + training.getLossVariables() + ": remove them first with config.setLossVariables(null);"
                        + " the momentum loss is the only loss");
            }
        }
    }
}
