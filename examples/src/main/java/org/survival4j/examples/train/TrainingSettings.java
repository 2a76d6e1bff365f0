package org.survival4j.examples.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;

/**
 * Everything that defines a training run: the loss, the network, the optimizer and momentum.
 * Immutable; start from {@link #defaults()} and change fields with the {@code with...} methods.
 *
 * <pre>{@code
 * TrainingSettings s = TrainingSettings.defaults().withBatchSize(8).withMomentum(false).withSeed(3);
 * }</pre>
 *
 * @param loss Cox partial likelihood or Weibull likelihood
 * @param ties tie method of the Cox loss (ignored for Weibull)
 * @param batchSize rows per optimizer step
 * @param steps batches remembered by the momentum memory bank (bank = steps * batchSize rows)
 * @param rate EMA rate of the momentum target network, in [0, 1]
 * @param epochs passes over the training data
 * @param momentum whether to train with momentum (target network + memory bank) or plainly
 * @param seed seeds weight initialisation and batch order
 * @param hidden sizes of the hidden layers; empty for a linear model
 * @param activation the hidden layers' activation, which also sets their weight initialisation
 *                   ({@link ActivationKind})
 * @param dropout probability of dropping a unit of each hidden layer's output during training, in
 *                [0, 1): one value for every hidden layer, or one per hidden layer (alpha dropout
 *                with SELU)
 * @param optimizer Adam or SGD with Nesterov momentum
 * @param learningRate the optimizer's initial learning rate
 * @param sgdMomentum the momentum coefficient of {@link OptimizerKind#NESTEROV}, in [0, 1); unused by Adam
 * @param schedule how the learning rate decays over the epochs
 * @param weightDecay decoupled weight decay applied by the updater (DL4J's {@code weightDecay}:
 *                    each step shrinks the weights by learning rate * weightDecay * weight)
 * @param l2 coefficient of the L2 penalty on the weights (not the biases), \( \tfrac{l_2}{2}\lVert W\rVert^2 \)
 *           added to the loss (DL4J's {@code l2}; DeepSurv's {@code L2_reg}); 0 for none. Not with
 *           weight decay: DL4J's builder keeps only the last of the two
 * @param workers data-parallel workers (DL4J's {@code ParallelWrapper}), each taking batches of
 *                {@code batchSize} rows; 1 trains the network directly. With momentum, the
 *                {@code workers} batches of a round train as one batch (docs/distributed.md)
 * @param virtualBatch rows of one optimizer step built from micro-batches of {@code batchSize} rows
 *                     with the gradient cache (exactly the step of one batch of that many rows);
 *                     0 for none. One worker only
 * @param knots knots of the grid loss ({@link LossKind#GRID}): 0 and quantiles of the training
 *              event times ({@code NetworkFactory.gridKnots}), as many as asked for or fewer where quantiles
 *              coincide: a trained model's settings hold the number its network has
 *              ({@code Trainer.asTrained}); also the grid of {@link LossKind#DEEPHIT}; ignored by the other losses
 * @param causes the competing causes \( K \) of a competing-risks loss (event codes 1..K, 0 =
 *               censored); 1 for the single-event losses
 * @param cause the cause of interest of {@link LossKind#FINE_GRAY}, in 1..{@code causes}; 1 for the others
 */
public record TrainingSettings(LossKind loss, Ties ties, int batchSize, int steps, double rate, int epochs,
                               boolean momentum, long seed, List<Integer> hidden, ActivationKind activation,
                               List<Double> dropout, OptimizerKind optimizer, double learningRate,
                               double sgdMomentum, LearningRateSchedule schedule, double weightDecay, double l2,
                               int workers, int virtualBatch, int knots, int causes, int cause) {

    /** The survival losses the trainer knows. */
    public enum LossKind {
        /** Cox partial likelihood: one output, the log relative hazard. */
        COX,
        /** Weibull likelihood: two outputs, log scale and log shape. */
        WEIBULL,
        /** Log hazards on a time grid: one output per knot ({@code knots} of them). */
        GRID,
        /** Competing risks, cause-specific Cox: one log hazard per cause, their partial likelihoods summed. */
        CAUSE_SPECIFIC,
        /** Competing risks, Fine-Gray: one output, the log subdistribution hazard of the cause of interest. */
        FINE_GRAY,
        /** Competing risks, DeepHit: logits of each cause and grid interval (the grid loss's knots). */
        DEEPHIT;

        /** Whether the loss takes (time, cause) labels with causes 1..K. */
        public boolean competingRisks() {
            return this == CAUSE_SPECIFIC || this == FINE_GRAY || this == DEEPHIT;
        }

        /** The name of {@code --loss}: {@code cox}, ..., {@code cause-specific}, {@code fine-gray}. */
        public String optionName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The loss of an option name ({@link #optionName()}, any case, '_' for '-'). */
        public static LossKind ofOptionName(String name) {
            for (LossKind k : values()) {
                if (k.optionName().equalsIgnoreCase(name.replace('_', '-'))) {
                    return k;
                }
            }
            throw new InvalidInputException("unknown loss '" + name + "': cox, weibull, grid, cause-specific,"
                    + " fine-gray or deephit");
        }
    }

    /** Activations of the hidden layers, each with the weight initialisation made for it. */
    public enum ActivationKind {
        /** ReLU with He initialisation; ordinary dropout. */
        RELU,
        /**
         * SELU with LeCun-normal initialisation and alpha dropout, which keeps the self-normalising
         * mean and variance (Klambauer et al. 2017).
         */
        SELU,
        /** tanh with Xavier (Glorot) initialisation; ordinary dropout. */
        TANH
    }

    /** The optimizers the trainer knows. */
    public enum OptimizerKind {
        /** Adam (Kingma and Ba 2015) with DL4J's default betas. */
        ADAM,
        /** Stochastic gradient descent with Nesterov momentum {@code sgdMomentum} (DL4J's {@code Nesterovs}). */
        NESTEROV
    }

    /** Knots of the grid loss by default. */
    public static final int DEFAULT_KNOTS = 8;

    /** Validates every field. */
    public TrainingSettings {
        hidden = List.copyOf(hidden);
        dropout = List.copyOf(dropout);
        require(loss != null, "loss must be cox, weibull or grid");
        require(loss != LossKind.GRID && loss != LossKind.DEEPHIT || knots >= 2 && knots <= 100, "the grid and"
                + " DeepHit losses need 2 to 100 knots, got " + knots);
        require(causes >= 1, "causes must be >= 1, got " + causes);
        require(causes == 1 || loss.competingRisks(), "the " + loss.optionName() + " loss takes events 0/1, not "
                + causes + " competing causes: use cause-specific, fine-gray or deephit");
        require(cause >= 1 && cause <= causes, "the cause of interest must be in 1.." + causes + ", got " + cause);
        require(ties != null, "ties must be efron or breslow");
        require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        require(steps >= 1, "steps must be >= 1, got " + steps);
        require(rate >= 0 && rate <= 1, "rate must be in [0, 1], got " + SurvivalArguments.format(rate));
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        for (int h : hidden) {
            require(h >= 1, "hidden layer sizes must be >= 1, got " + hidden);
        }
        require(activation != null, "activation must be relu, selu or tanh");
        require(!dropout.isEmpty(), "dropout needs a value (0 for none)");
        for (double p : dropout) {
            require(p >= 0 && p < 1, "dropout must be in [0, 1), got " + SurvivalArguments.format(p));
        }
        require(dropout.size() == 1 || dropout.size() == hidden.size(), "dropout needs one value for every hidden"
                + " layer or one per hidden layer (" + hidden.size() + "), got " + dropout.size() + ": " + dropout);
        require(optimizer != null, "optimizer must be adam or nesterov");
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got "
                + SurvivalArguments.format(learningRate));
        require(sgdMomentum >= 0 && sgdMomentum < 1, "the SGD momentum must be in [0, 1), got "
                + SurvivalArguments.format(sgdMomentum));
        require(schedule != null, "the learning-rate schedule must be none, inverse, exponential or step");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be >= 0, got "
                + SurvivalArguments.format(weightDecay));
        require(l2 >= 0 && Double.isFinite(l2), "l2 must be >= 0, got " + SurvivalArguments.format(l2));
        require(l2 == 0 || weightDecay == 0, "an L2 penalty and weight decay do not go together (DL4J keeps only the"
                + " last of them): set one to 0");
        require(workers >= 1, "workers must be >= 1, got " + workers);
        require(virtualBatch == 0 || virtualBatch >= batchSize && virtualBatch % batchSize == 0,
                "the virtual batch must be a multiple of the batch size " + batchSize + ", got " + virtualBatch);
        require(virtualBatch == 0 || workers == 1, "the virtual batch (gradient cache) trains on one worker:"
                + " it does not combine with workers yet");
    }

    /**
     * The defaults of {@code survival4j train}: Cox (Efron), batch 16, momentum with 10 steps and
     * rate 0.999, one hidden ReLU layer of 32 units, no dropout, Adam 1e-3 without decay, weight
     * decay 1e-4, no L2 penalty, 40 epochs, seed 1.
     */
    public static TrainingSettings defaults() {
        return new TrainingSettings(LossKind.COX, Ties.EFRON, 16, 10, 0.999, 40, true, 1, List.of(32),
                ActivationKind.RELU, List.of(0.0), OptimizerKind.ADAM, 1e-3, 0.9, LearningRateSchedule.none(), 1e-4,
                0, 1, 0, DEFAULT_KNOTS, 1, 1);
    }

    public TrainingSettings withLoss(LossKind v) {
        return edit(f -> f.loss = v);
    }

    public TrainingSettings withTies(Ties v) {
        return edit(f -> f.ties = v);
    }

    public TrainingSettings withBatchSize(int v) {
        return edit(f -> f.batchSize = v);
    }

    public TrainingSettings withSteps(int v) {
        return edit(f -> f.steps = v);
    }

    public TrainingSettings withRate(double v) {
        return edit(f -> f.rate = v);
    }

    public TrainingSettings withEpochs(int v) {
        return edit(f -> f.epochs = v);
    }

    public TrainingSettings withMomentum(boolean v) {
        return edit(f -> f.momentum = v);
    }

    public TrainingSettings withSeed(long v) {
        return edit(f -> f.seed = v);
    }

    /** New hidden layer sizes; per-layer dropout values must then match their number. */
    public TrainingSettings withHidden(List<Integer> v) {
        return edit(f -> f.hidden = v);
    }

    public TrainingSettings withActivation(ActivationKind v) {
        return edit(f -> f.activation = v);
    }

    /** The same dropout on every hidden layer's output. */
    public TrainingSettings withDropout(double v) {
        return edit(f -> f.dropout = List.of(v));
    }

    /** Dropout per hidden layer (one value, or one per hidden layer). */
    public TrainingSettings withDropout(List<Double> v) {
        return edit(f -> f.dropout = v);
    }

    public TrainingSettings withOptimizer(OptimizerKind v) {
        return edit(f -> f.optimizer = v);
    }

    public TrainingSettings withLearningRate(double v) {
        return edit(f -> f.learningRate = v);
    }

    public TrainingSettings withSgdMomentum(double v) {
        return edit(f -> f.sgdMomentum = v);
    }

    public TrainingSettings withSchedule(LearningRateSchedule v) {
        return edit(f -> f.schedule = v);
    }

    public TrainingSettings withWeightDecay(double v) {
        return edit(f -> f.weightDecay = v);
    }

    public TrainingSettings withL2(double v) {
        return edit(f -> f.l2 = v);
    }

    public TrainingSettings withWorkers(int v) {
        return edit(f -> f.workers = v);
    }

    public TrainingSettings withKnots(int v) {
        return edit(f -> f.knots = v);
    }

    /** The number of competing causes (1 for a single event). */
    public TrainingSettings withCauses(int v) {
        return edit(f -> f.causes = v);
    }

    /** The cause of interest of Fine-Gray. */
    public TrainingSettings withCause(int v) {
        return edit(f -> f.cause = v);
    }

    public TrainingSettings withVirtualBatch(int v) {
        return edit(f -> f.virtualBatch = v);
    }

    /** The dropout probability of hidden layer {@code layer}'s output (0-based). */
    public double dropoutOf(int layer) {
        return dropout.size() == 1 ? dropout.get(0) : dropout.get(layer);
    }

    /**
     * The momentum settings of this run: the bank holds {@code steps} optimizer steps' rows: rounds
     * of {@code workers} batches of {@code batchSize} rows, or virtual batches.
     */
    public MomentumConfig momentumConfig() {
        int rowsPerStep = virtualBatch > 0 ? virtualBatch : workers * batchSize;
        return MomentumConfig.builder().batchSize(rowsPerStep).steps(steps).rate(rate).build();
    }

    /** A short name for tables, e.g. {@code MLP [32] + momentum, batch 16} or {@code linear plain, batch 8}. */
    public String label() {
        return network() + (momentum ? " + momentum" : " plain") + ", batch " + batchSize
                + (workers > 1 ? " x " + workers + " workers" : "")
                + (virtualBatch > 0 ? " -> virtual " + virtualBatch : "");
    }

    /** One line for logs and reports, with every setting. */
    public String describe() {
        boolean anyDropout = dropout.stream().anyMatch(p -> p > 0);
        return loss.optionName() + (loss == LossKind.COX || loss == LossKind.CAUSE_SPECIFIC
                ? " (" + ties.name().toLowerCase(Locale.ROOT) + ")" : loss == LossKind.GRID ? " (" + knots + " knots)"
                : loss == LossKind.DEEPHIT ? " (" + knots + " grid times)" : "")
                + (loss.competingRisks() ? ", " + causes + " causes" : "")
                + (loss == LossKind.FINE_GRAY ? ", cause " + cause : "")
                + ", " + (hidden.isEmpty() ? "linear" : network() + " " + activationName())
                + ", batch " + batchSize + ", " + epochs + " epochs, "
                + (optimizer == OptimizerKind.ADAM ? "Adam " : "SGD-Nesterov (momentum "
                + SurvivalArguments.format(sgdMomentum) + ") ") + SurvivalArguments.format(learningRate)
                + (schedule.kind() == LearningRateSchedule.Kind.NONE ? "" : ", schedule " + schedule)
                + ", weight decay " + SurvivalArguments.format(weightDecay)
                + (l2 > 0 ? ", l2 " + SurvivalArguments.format(l2) : "")
                + (anyDropout && !hidden.isEmpty() ? ", " + (activation == ActivationKind.SELU ? "alpha " : "")
                + "dropout " + (dropout.size() == 1 ? SurvivalArguments.format(dropout.get(0)) : formatList(dropout))
                : "")
                + (momentum ? ", momentum (steps " + steps + ", rate " + SurvivalArguments.format(rate) + ")"
                : ", no momentum")
                + (workers > 1 ? ", " + workers + " data-parallel workers" : "")
                + (virtualBatch > 0 ? ", virtual batch " + virtualBatch + " (gradient cache)" : "") + ", seed " + seed;
    }

    private static String formatList(List<Double> values) {
        List<String> text = new ArrayList<>();
        for (double v : values) {
            text.add(SurvivalArguments.format(v));
        }
        return "[" + String.join(", ", text) + "]";
    }

    private String activationName() {
        return switch (activation) {
            case RELU -> "ReLU";
            case SELU -> "SELU";
            case TANH -> "tanh";
        };
    }

    private String network() {
        return hidden.isEmpty() ? "linear" : "MLP " + hidden;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidInputException(message);
        }
    }

    /** A copy of these settings with one change, validated as a whole by the record's constructor. */
    private TrainingSettings edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new TrainingSettings(f.loss, f.ties, f.batchSize, f.steps, f.rate, f.epochs, f.momentum, f.seed,
                f.hidden, f.activation, f.dropout, f.optimizer, f.learningRate, f.sgdMomentum, f.schedule,
                f.weightDecay, f.l2, f.workers, f.virtualBatch, f.knots, f.causes, f.cause);
    }

    /** The fields as mutable variables, for {@link #edit}. */
    private static final class Fields {
        LossKind loss;
        Ties ties;
        int batchSize;
        int steps;
        double rate;
        int epochs;
        boolean momentum;
        long seed;
        List<Integer> hidden;
        ActivationKind activation;
        List<Double> dropout;
        OptimizerKind optimizer;
        double learningRate;
        double sgdMomentum;
        LearningRateSchedule schedule;
        double weightDecay;
        double l2;
        int workers;
        int virtualBatch;
        int knots;
        int causes;
        int cause;

        Fields(TrainingSettings s) {
            loss = s.loss;
            ties = s.ties;
            batchSize = s.batchSize;
            steps = s.steps;
            rate = s.rate;
            epochs = s.epochs;
            momentum = s.momentum;
            seed = s.seed;
            hidden = s.hidden;
            activation = s.activation;
            dropout = s.dropout;
            optimizer = s.optimizer;
            learningRate = s.learningRate;
            sgdMomentum = s.sgdMomentum;
            schedule = s.schedule;
            weightDecay = s.weightDecay;
            l2 = s.l2;
            workers = s.workers;
            virtualBatch = s.virtualBatch;
            knots = s.knots;
            causes = s.causes;
            cause = s.cause;
        }
    }
}
