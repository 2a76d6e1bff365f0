package org.survival4j.examples.train;

import java.util.List;
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
 * @param hidden sizes of the hidden ReLU layers; empty for a linear model
 * @param learningRate Adam's learning rate
 * @param weightDecay decoupled weight decay applied by the updater
 * @param dropout probability of dropping a hidden unit during training, in [0, 1)
 * @param workers data-parallel workers (DL4J's {@code ParallelWrapper}), each taking batches of
 *                {@code batchSize} rows; 1 trains the network directly. With momentum, the
 *                {@code workers} batches of a round train as one batch (docs/distributed.md)
 * @param virtualBatch rows of one optimizer step built from micro-batches of {@code batchSize} rows
 *                     with the gradient cache (exactly the step of one batch of that many rows);
 *                     0 for none. One worker only
 * @param knots knots of the grid loss ({@link LossKind#GRID}): 0 and quantiles of the training
 *              event times ({@code Trainer.gridKnots}), as many as asked for or fewer where quantiles
 *              coincide: a trained model's settings hold the number its network has
 *              ({@code Trainer.asTrained}); ignored by the other losses
 */
public record TrainingSettings(LossKind loss, Ties ties, int batchSize, int steps, double rate, int epochs,
                               boolean momentum, long seed, List<Integer> hidden, double learningRate,
                               double weightDecay, double dropout, int workers, int virtualBatch, int knots) {

    /** The survival losses the trainer knows. */
    public enum LossKind {
        /** Cox partial likelihood: one output, the log relative hazard. */
        COX,
        /** Weibull likelihood: two outputs, log scale and log shape. */
        WEIBULL,
        /** Log hazards on a time grid: one output per knot ({@code knots} of them). */
        GRID
    }

    /** Knots of the grid loss by default. */
    public static final int DEFAULT_KNOTS = 8;

    /** Validates every field. */
    public TrainingSettings {
        hidden = List.copyOf(hidden);
        require(loss != null, "loss must be cox, weibull or grid");
        require(loss != LossKind.GRID || knots >= 2 && knots <= 100, "the grid loss needs 2 to 100 knots, got "
                + knots);
        require(ties != null, "ties must be efron or breslow");
        require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        require(steps >= 1, "steps must be >= 1, got " + steps);
        require(rate >= 0 && rate <= 1, "rate must be in [0, 1], got " + SurvivalArguments.format(rate));
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        for (int h : hidden) {
            require(h >= 1, "hidden layer sizes must be >= 1, got " + hidden);
        }
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got "
                + SurvivalArguments.format(learningRate));
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be >= 0, got "
                + SurvivalArguments.format(weightDecay));
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + SurvivalArguments.format(dropout));
        require(workers >= 1, "workers must be >= 1, got " + workers);
        require(virtualBatch == 0 || virtualBatch >= batchSize && virtualBatch % batchSize == 0,
                "the virtual batch must be a multiple of the batch size " + batchSize + ", got " + virtualBatch);
        require(virtualBatch == 0 || workers == 1, "the virtual batch (gradient cache) trains on one worker:"
                + " it does not combine with workers yet");
    }

    /**
     * The defaults of {@code survival4j train}: Cox (Efron), batch 16, momentum with 10 steps and
     * rate 0.999, one hidden layer of 32 units, Adam 1e-3, weight decay 1e-4, no dropout, 40 epochs, seed 1.
     */
    public static TrainingSettings defaults() {
        return new TrainingSettings(LossKind.COX, Ties.EFRON, 16, 10, 0.999, 40, true, 1, List.of(32), 1e-3, 1e-4, 0,
                1, 0, DEFAULT_KNOTS);
    }

    public TrainingSettings withLoss(LossKind v) {
        return new TrainingSettings(v, ties, batchSize, steps, rate, epochs, momentum, seed, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withTies(Ties v) {
        return new TrainingSettings(loss, v, batchSize, steps, rate, epochs, momentum, seed, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withBatchSize(int v) {
        return new TrainingSettings(loss, ties, v, steps, rate, epochs, momentum, seed, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withSteps(int v) {
        return new TrainingSettings(loss, ties, batchSize, v, rate, epochs, momentum, seed, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withRate(double v) {
        return new TrainingSettings(loss, ties, batchSize, steps, v, epochs, momentum, seed, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withEpochs(int v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, v, momentum, seed, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withMomentum(boolean v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, v, seed, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withSeed(long v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, momentum, v, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withHidden(List<Integer> v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, momentum, seed, v, learningRate,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withLearningRate(double v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, momentum, seed, hidden, v,
                weightDecay, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withWeightDecay(double v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, momentum, seed, hidden, learningRate,
                v, dropout, workers, virtualBatch, knots);
    }

    public TrainingSettings withDropout(double v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, momentum, seed, hidden, learningRate,
                weightDecay, v, workers, virtualBatch, knots);
    }

    public TrainingSettings withWorkers(int v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, momentum, seed, hidden, learningRate,
                weightDecay, dropout, v, virtualBatch, knots);
    }

    public TrainingSettings withKnots(int v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, momentum, seed, hidden, learningRate,
                weightDecay, dropout, workers, virtualBatch, v);
    }

    public TrainingSettings withVirtualBatch(int v) {
        return new TrainingSettings(loss, ties, batchSize, steps, rate, epochs, momentum, seed, hidden, learningRate,
                weightDecay, dropout, workers, v, knots);
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
        return loss.name().toLowerCase() + (loss == LossKind.COX ? " (" + ties.name().toLowerCase() + ")"
                : loss == LossKind.GRID ? " (" + knots + " knots)" : "")
                + ", " + (hidden.isEmpty() ? "linear" : network() + " ReLU") + ", batch " + batchSize + ", " + epochs
                + " epochs, Adam " + SurvivalArguments.format(learningRate) + ", weight decay "
                + SurvivalArguments.format(weightDecay) + (dropout > 0 ? ", dropout " + SurvivalArguments.format(dropout) : "")
                + (momentum ? ", momentum (steps " + steps + ", rate " + SurvivalArguments.format(rate) + ")"
                : ", no momentum")
                + (workers > 1 ? ", " + workers + " data-parallel workers" : "")
                + (virtualBatch > 0 ? ", virtual batch " + virtualBatch + " (gradient cache)" : "") + ", seed " + seed;
    }

    private String network() {
        return hidden.isEmpty() ? "linear" : "MLP " + hidden;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidInputException(message);
        }
    }
}
