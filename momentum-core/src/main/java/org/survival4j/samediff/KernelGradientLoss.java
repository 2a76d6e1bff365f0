package org.survival4j.samediff;

import java.util.List;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.ValueAndGradient;

/**
 * A survival loss for plain {@code sd.fit} training whose gradient is computed by the closed-form
 * kernel ({@link org.survival4j.loss.CoxPartialLikelihood} with Efron or Breslow ties, strata and
 * counting-process labels; {@link org.survival4j.loss.WeibullLikelihood};
 * {@link org.survival4j.loss.GridHazardLikelihood}; the competing-risks losses
 * {@link org.survival4j.loss.CauseSpecificCox}, {@link org.survival4j.loss.FineGray},
 * {@link org.survival4j.loss.DeepHit}) instead of by SameDiff differentiating a graph of the loss.
 * The graph gets the surrogate loss \( \sum y \cdot G \) of the output \( y \), where the constant
 * \( G \) is filled at every iteration with the kernel's \( \partial L / \partial y \) on that
 * iteration's outputs: the parameter gradients are the true loss's, from one op in the backward pass
 * where {@link SameDiffCoxLoss} takes 76: a plain step of a Cox MLP 2.2-3.1x faster, about the cost
 * of a step with SameDiff's own MSE loss ({@code docs/samediff-momentum.md}). The graph losses
 * ({@link SameDiffCoxLoss}, {@link SameDiffWeibullLoss}, {@link SameDiffGridHazardLoss}) remain for a
 * loss that has to be a differentiable expression of the graph (export, second derivatives,
 * {@code calculateGradients}).
 *
 * <pre>{@code
 * SameDiff sd = ...;  // placeholders "in" [-1, p] and "label" [-1, 2]; output "logHz" [-1, 1]
 * KernelGradientLoss loss = KernelGradientLoss.builder(sd).output("logHz").labels("label")
 *         .loss(SurvivalLoss.cox(Ties.EFRON)).build();
 * sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
 *         .dataSetFeatureMapping("in").dataSetLabelMapping("label").build());
 * sd.fit(trainIterator, 1);
 * double last = loss.lastLoss();       // the likelihood of the last batch, by the kernel
 * }</pre>
 *
 * <p>What it changes in the graph: a constant {@code survival/gradient} and the loss variable
 * {@code survival/loss}, and a listener ({@code sd.addListeners}) that checks each batch's labels,
 * computes the kernel when the forward pass produces the output and writes the gradient into the
 * constant before SameDiff's backward pass reads it. Its rules:
 * <ul>
 * <li><b>The reported loss.</b> SameDiff 1.0.0-M2.1 does not evaluate a loss variable during
 * training (it reports 0). The listener writes the kernel's value of the batch into the losses
 * SameDiff gives to listeners and records ({@code iterationDone}'s {@code Loss}, the {@code History}
 * of {@code fit}, its loss curve): listeners on the graph added after {@link #build} see it. SameDiff
 * calls the listeners passed to {@code fit(...)} first: pass {@link #listener()} before yours there.
 * The loss variable itself, read with {@code sd.output(..., "survival/loss")}, is the surrogate, not
 * the likelihood; use {@link #lastLoss()}.</li>
 * <li><b>Only inside {@code fit}.</b> \( G \) is computed by the listener from the batch's labels in
 * {@code fit}; {@code sd.calculateGradients} has no batch, and is refused (use a graph loss there).</li>
 * <li><b>Labels.</b> {@code [n, 2]} (time, event), or {@code [n, 3]} (start, stop, event) for the
 * Cox loss when the labels placeholder is declared with 3 columns; for the competing-risks losses
 * ({@link SurvivalLoss#causeSpecificCox}, {@link SurvivalLoss#fineGray}, {@link SurvivalLoss#deepHit})
 * the event column holds the cause (0 = censored), and DeepHit's time column the grid interval.
 * Checked before the step (bad labels, an output of the wrong shape or not finite stop {@code fit}
 * with an {@code IllegalArgumentException} and leave the weights as they were). Strata (Cox-type
 * losses): a second labels placeholder {@link Builder#strata}, one whole number per row, mapped in
 * the training configuration after the labels.</li>
 * <li><b>Saving.</b> {@code sd.save(file, true)} keeps the constant and the loss variable; after
 * {@code SameDiff.load}, build a {@code KernelGradientLoss} on the loaded graph with the same
 * settings to attach its listener again (it finds the loss instead of adding one).</li>
 * </ul>
 *
 * <p>For momentum training ({@link SameDiffMomentum}) this form is the default; there the kernel
 * runs on the memory bank's rows and the batch together.
 *
 * <p>Not thread-safe: it belongs to one graph and its training loop.
 *
 * @since 0.3
 */
public final class KernelGradientLoss {
    private static final Logger LOG = LoggerFactory.getLogger(KernelGradientLoss.class);
    /** Name prefix of what this class adds to the graph. */
    static final String PREFIX = "survival";

    private final SameDiff sd;
    private final String output;
    private final String labels;
    private final String strata;
    private final SurvivalLoss loss;
    private final boolean entryTimes;
    private final int logEvery;
    private final KernelGradient gradient;
    private final KernelListener listener = new KernelListener();
    private double lastLoss = Double.NaN;
    private long iterations;

    private KernelGradientLoss(Builder b, KernelGradient gradient, boolean entryTimes) {
        this.sd = b.sd;
        this.output = b.output;
        this.labels = b.labels;
        this.strata = b.strata;
        this.loss = b.loss;
        this.logEvery = b.logEvery;
        this.entryTimes = entryTimes;
        this.gradient = gradient;
        sd.addListeners(listener);
        GradientFunction.createQuietly(sd); // SameDiff prints a line per op otherwise
    }

    /** Starts configuring the loss of {@code sd}. */
    public static Builder builder(SameDiff sd) {
        return new Builder(SurvivalArguments.checkNotNull(sd, "sd"));
    }

    /** The loss of the last training iteration by the closed-form kernel; NaN before the first. */
    public double lastLoss() {
        return lastLoss;
    }

    /** Training iterations completed by {@code fit} since this instance was built. */
    public long iterations() {
        return iterations;
    }

    /** The survival loss. */
    public SurvivalLoss loss() {
        return loss;
    }

    /**
     * The graph's loss variable, {@code survival/loss}. Its value is the surrogate
     * \( \sum y \cdot G \), not the likelihood: read {@link #lastLoss()}.
     */
    public String lossName() {
        return gradient.lossName();
    }

    /**
     * Optional: passed first among the listeners of {@code fit(iterator, epochs, listeners...)},
     * it puts the kernel's loss into SameDiff's {@code Loss} before the listeners after it see it
     * (SameDiff calls the listeners given to {@code fit} before the graph's own).
     */
    public Listener listener() {
        return new TrainingListener() {
            @Override
            public void iterationDone(SameDiff graph, At at, MultiDataSet data, Loss losses) {
                listener.iterationDone(graph, at, data, losses);
            }
        };
    }

    @Override
    public String toString() {
        return "KernelGradientLoss(" + loss + ", output=" + output + ", labels=" + labels
                + (strata == null ? "" : ", strata=" + strata) + ")";
    }

    /** Fills the gradient constant in each iteration of {@code fit}, and reports the kernel's loss. */
    private final class KernelListener extends TrainingListener {
        private Batch batch;        // between iterationStart and the output
        private double batchLoss = Double.NaN;
        private boolean done = true; // the iteration's loss is reported

        @Override
        public void iterationStart(SameDiff graph, At at, MultiDataSet data, long etlMs) {
            batch = null;
            done = true;
            Batch b = Batch.read(data, graph.getTrainingConfig(), labels, entryTimes, loss.competingRisks(), strata,
                    List.of());
            gradient.prepare(b.rows(), b.placeholders);
            batch = b;
        }

        @Override
        public void activationAvailable(SameDiff graph, At at, MultiDataSet data, SameDiffOp op, String varName,
                                        INDArray activation) {
            if (!varName.equals(output)) {
                return;
            }
            if (batch == null) {
                throw new IllegalStateException(KernelGradientLoss.this + " computes its gradient in sd.fit, from the"
                        + " batch's labels; calculateGradients has no batch: use a graph loss (SameDiffCoxLoss, ...)");
            }
            double[] values = batch.outputValues(activation, varName, loss);
            if (loss.mayOverflow()) { // in a float graph, the loss of exp(log hazards) overflows first
                loss.checkRowRange(values, batch.time, activation.dataType());
            }
            ValueAndGradient vg = loss.valueAndGradient(values, batch.start, batch.time, batch.event, batch.strata, 0);
            gradient.fill(vg.gradientValues());
            batchLoss = vg.value();
            batch = null;
            done = false;
        }

        @Override
        public void iterationDone(SameDiff graph, At at, MultiDataSet data, Loss losses) {
            if (done) {
                return; // already reported (passed to fit and on the graph), or no step
            }
            done = true;
            gradient.report(losses, batchLoss);
            lastLoss = batchLoss;
            iterations++;
            if (logEvery > 0 && iterations % logEvery == 0) {
                LOG.info("iteration {}: loss {}", iterations, lastLoss);
            }
        }
    }

    /**
     * Configures {@link KernelGradientLoss}; {@link #build()} validates, then adds the loss to the
     * graph (or finds the one a saved graph holds) and registers the listener.
     */
    public static final class Builder {
        private final SameDiff sd;
        private String output;
        private String labels;
        private String strata;
        private SurvivalLoss loss;
        private int logEvery;

        private Builder(SameDiff sd) {
            this.sd = sd;
        }

        /** The output variable, {@code [n, loss.columns()]}: e.g. log hazard {@code [n, 1]} (Cox), {@code [n, 2]} (Weibull). */
        public Builder output(String name) {
            this.output = name;
            return this;
        }

        /** The labels placeholder: {@code [n, 2]} (time, event), or {@code [n, 3]} (start, stop, event) for Cox. */
        public Builder labels(String name) {
            this.labels = name;
            return this;
        }

        /**
         * Optional (Cox only): a placeholder of stratum labels, one whole number per row
         * ({@code [n]} or {@code [n, 1]}), fed from a data set label array (list it in the training
         * configuration's label mapping). Each stratum has its own risk sets.
         */
        public Builder strata(String name) {
            this.strata = name;
            return this;
        }

        /** The survival loss; required. */
        public Builder loss(SurvivalLoss loss) {
            this.loss = loss;
            return this;
        }

        /** Log the loss at INFO every {@code k} iterations; 0 (default) never. */
        public Builder logEvery(int k) {
            this.logEvery = k;
            return this;
        }

        /** Validates everything, then changes the graph. */
        public KernelGradientLoss build() {
            SurvivalArguments.checkNotNull(loss, "loss");
            SurvivalArguments.atLeast(logEvery, "logEvery", 0);
            SDVariable out = GraphChecks.output(sd, output, loss);
            SDVariable label = GraphChecks.require(sd, labels, VariableType.PLACEHOLDER, "labels");
            if (strata != null) {
                GraphChecks.require(sd, strata, VariableType.PLACEHOLDER, "strata");
                if (!loss.takesStrata()) {
                    throw new IllegalArgumentException("strata are for the Cox-type losses, not " + loss);
                }
            }
            boolean entryTimes = GraphChecks.entryTimes(label, loss);
            KernelGradient gradient;
            if (KernelGradient.isIn(sd, PREFIX)) { // a saved graph: attach to its loss
                gradient = KernelGradient.find(sd, PREFIX, output, loss.columns());
            } else {
                GraphChecks.noLossVariables(sd);
                gradient = KernelGradient.build(sd, PREFIX, out, loss.columns());
            }
            return new KernelGradientLoss(this, gradient, entryTimes);
        }
    }
}
