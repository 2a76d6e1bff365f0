package org.survival4j.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;

/**
 * Trains epoch by epoch while a validation score improves, then puts the network back as it was
 * after its best epoch. With momentum training the scored network is the target (the one that
 * predicts), and what is put back is the whole training state of the best epoch: the online and
 * target weights, the updater's state, the memory bank and the iteration and epoch counters, so that
 * training can go on from there exactly as if the later epochs had not happened.
 *
 * <p>Scores, on the validation rows with the scored network in inference mode:
 * {@link Criterion#VALIDATION_LOSS}, the network's survival loss with MEAN reduction, the core
 * kernel of its loss function (Cox: the partial likelihood with the loss's ties, per event; Weibull
 * and grid: per row; cause-specific Cox: the per-cause partial likelihoods summed, per event of any
 * cause; Fine-Gray: per event of the cause of interest, censoring weights from the validation rows;
 * DeepHit: \( \alpha L_1 + (1 - \alpha) L_2 \) with the loss's \( \alpha, \sigma \); lower is
 * better), or {@link Criterion#C_INDEX} (higher is better): Harrell's C of the risk score (Cox: the
 * log hazard; Weibull: minus the median time; grid: the cumulative hazard at the last knot) and, for
 * competing risks, the cause-specific concordance of {@link org.survival4j.metrics.ConcordanceIndex#causeSpecific}
 * (Wolbers et al. 2009): Fine-Gray, of the cause of interest with the log subdistribution hazard as
 * its risk (it ranks the cumulative incidence at every time alike); cause-specific Cox, the unweighted
 * mean over causes of each cause's concordance with its log cause-specific hazard; DeepHit, the same
 * mean with each cause's predicted cumulative incidence at the end of the grid as its risk. A cause
 * without an event among the validation rows is left out of that mean (its concordance is
 * undefined) and adds nothing to the cause-specific Cox likelihood; a Fine-Gray cause of interest
 * without one is refused. An epoch counts as better when it beats the best so far by more than
 * {@code minDelta}; training stops after {@code patience} epochs without one, after
 * {@code maxEpochs}, or when the score is not finite (a diverged network; the best epoch is still
 * restored).
 *
 * <pre>{@code
 * Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(16).steps(10).build());
 * EarlyStopping.Result r = EarlyStopping.builder(validationSet)
 *         .criterion(EarlyStopping.Criterion.C_INDEX).patience(10).maxEpochs(200).build()
 *         .fit(momentum, trainIterator);
 * System.out.println(r);              // "best epoch 23 of 33 (C-index 0.6712): no better epoch in 10"
 * }</pre>
 *
 * <p>The training iterator is reset before each epoch. Plain networks and momentum training on one
 * process are supported (not the gradient cache or data-parallel rounds), for every survival loss of
 * this package: Cox, Weibull, grid hazards and the competing-risks losses (cause-specific Cox,
 * Fine-Gray, DeepHit; with momentum the bank keeps the causes and is put back with them). The
 * validation labels are checked against the network's loss (their width, event codes or causes
 * 0..K, DeepHit's grid indices) before any training.
 *
 * @since 0.2
 */
public final class EarlyStopping {
    /** What is compared between epochs. */
    public enum Criterion {
        /** The survival loss on the validation rows, MEAN reduction; lower is better. */
        VALIDATION_LOSS,
        /** Harrell's C of the risk score (competing risks: cause-specific, see the class comment); higher is better. */
        C_INDEX
    }

    /**
     * The outcome.
     *
     * @param bestEpoch the epoch whose state the network now holds (1-based; 0 if no epoch had a finite score)
     * @param bestScore its score
     * @param scores the score after each epoch trained
     * @param criterion what was scored
     * @param reason why training stopped
     */
    public record Result(int bestEpoch, double bestScore, List<Double> scores, Criterion criterion, String reason) {
        /** Copies the scores. */
        public Result {
            scores = List.copyOf(scores);
        }

        /** The number of epochs trained (more than {@link #bestEpoch()} unless the last was the best). */
        public int epochs() {
            return scores.size();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "best epoch %d of %d (%s %.4f): %s", bestEpoch, epochs(),
                    criterion == Criterion.C_INDEX ? "C-index" : "validation loss", bestScore, reason);
        }
    }

    /** Reports the epoch just trained: its number (1-based), its score and whether it is the best so far. */
    public interface EpochListener {
        void epochDone(int epoch, double score, boolean best);
    }

    private final INDArray features;
    private final INDArray labels;
    private final Criterion criterion;
    private final int patience;
    private final int maxEpochs;
    private final double minDelta;
    private final EpochListener listener;

    private EarlyStopping(Builder b) {
        this.features = b.validation.getFeatures().dup();
        this.labels = b.validation.getLabels().castTo(DataType.DOUBLE).dup();
        this.criterion = b.criterion;
        this.patience = b.patience;
        this.maxEpochs = b.maxEpochs;
        this.minDelta = b.minDelta;
        this.listener = b.listener;
    }

    /**
     * A builder scoring on {@code validation}: features and labels {@code [n, 2]} (time, event) or
     * {@code [n, 3]} (start, stop, event), as the network's loss takes them (competing risks: the
     * cause 0..K in the event column; DeepHit: the grid index in the time column), with at least one event.
     */
    public static Builder builder(DataSet validation) {
        return new Builder(validation);
    }

    /** Trains a plain network (no momentum). */
    public Result fit(MultiLayerNetwork net, DataSetIterator train) {
        return run(SurvivalArguments.checkNotNull(net, "net"), null, train);
    }

    /** Trains a plain graph with one input and one output. */
    public Result fit(ComputationGraph net, DataSetIterator train) {
        return run(SurvivalArguments.checkNotNull(net, "net"), null, train);
    }

    /** Trains with momentum: fits {@code momentum.network()}, scores {@code momentum.target()}. */
    public Result fit(Momentum momentum, DataSetIterator train) {
        SurvivalArguments.checkNotNull(momentum, "momentum");
        if (!momentum.isAttached()) {
            throw new IllegalStateException("momentum was detached from its network: attach it, or early-stop the"
                    + " network itself");
        }
        return run(momentum.network(), momentum, train);
    }

    private Result run(Model net, Momentum momentum, DataSetIterator train) {
        SurvivalArguments.checkNotNull(train, "train");
        ValidationScore validation = ValidationScore.of(net, features, labels, criterion);
        List<Double> scores = new ArrayList<>();
        Snapshot best = null;
        int bestEpoch = 0;
        double bestScore = Double.NaN;
        String reason = "reached the maximum of " + maxEpochs + " epochs";
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            train.reset();
            if (net instanceof MultiLayerNetwork mln) {
                mln.fit(train);
            } else {
                ((ComputationGraph) net).fit(train);
            }
            double score = validation.of(momentum != null ? momentum.target() : net);
            scores.add(score);
            boolean better = Double.isFinite(score) && (best == null || improves(score, bestScore));
            if (better) {
                best = Snapshot.take(net, momentum);
                bestEpoch = epoch;
                bestScore = score;
            }
            if (listener != null) {
                listener.epochDone(epoch, score, better);
            }
            if (!Double.isFinite(score)) {
                reason = "the validation score was " + score + " after epoch " + epoch + " (training diverged)";
                break;
            }
            if (epoch - bestEpoch >= patience) {
                reason = "no better epoch in " + patience;
                break;
            }
        }
        if (best != null) {
            best.restore(net, momentum);
        }
        return new Result(bestEpoch, bestScore, scores, criterion, reason);
    }

    private boolean improves(double score, double bestScore) {
        return criterion == Criterion.C_INDEX ? score > bestScore + minDelta : score < bestScore - minDelta;
    }

    /** The training state after an epoch, kept in memory and put back in place. */
    private record Snapshot(INDArray params, INDArray updaterState, int iterations, int epochs,
                            INDArray targetParams, INDArray bank, double[] bankStarts, long momentumIterations,
                            long batchesWithoutEvents, double lastLoss) {
        static Snapshot take(Model net, Momentum momentum) {
            INDArray updater = updaterState(net);
            if (momentum == null) {
                return new Snapshot(net.params().dup(), updater == null ? null : updater.dup(), iterations(net),
                        epochs(net), null, null, null, 0, 0, Double.NaN);
            }
            return new Snapshot(net.params().dup(), updater == null ? null : updater.dup(), iterations(net),
                    epochs(net), momentum.targetHandle().params().dup(), momentum.bankRows(),
                    momentum.bankEntryTimes(), momentum.iterations(), momentum.batchesWithoutEvents(),
                    momentum.lastLoss());
        }

        void restore(Model net, Momentum momentum) {
            net.params().assign(params);
            INDArray updater = updaterState(net);
            if (updater != null && updaterState != null) {
                updater.assign(updaterState);
            }
            if (net instanceof MultiLayerNetwork mln) {
                mln.getLayerWiseConfigurations().setIterationCount(iterations);
                mln.getLayerWiseConfigurations().setEpochCount(epochs);
            } else {
                ((ComputationGraph) net).getConfiguration().setIterationCount(iterations);
                ((ComputationGraph) net).getConfiguration().setEpochCount(epochs);
            }
            if (momentum != null) {
                momentum.targetHandle().params().assign(targetParams);
                momentum.engine().load(bank.length() == 0 ? Nd4j.empty(DataType.DOUBLE) : bank, bankStarts,
                        momentumIterations, batchesWithoutEvents, lastLoss);
            }
        }

        private static INDArray updaterState(Model net) {
            Updater u = net instanceof MultiLayerNetwork mln ? mln.getUpdater(false)
                    : ((ComputationGraph) net).getUpdater(false);
            return u == null ? null : u.getStateViewArray();
        }

        private static int iterations(Model net) {
            return net instanceof MultiLayerNetwork mln ? mln.getIterationCount()
                    : ((ComputationGraph) net).getIterationCount();
        }

        private static int epochs(Model net) {
            return net instanceof MultiLayerNetwork mln ? mln.getEpochCount() : ((ComputationGraph) net).getEpochCount();
        }
    }

    /** Builds an {@link EarlyStopping}; defaults: validation loss, patience 10, at most 100 epochs, minDelta 0. */
    public static final class Builder {
        private final DataSet validation;
        private Criterion criterion = Criterion.VALIDATION_LOSS;
        private int patience = 10;
        private int maxEpochs = 100;
        private double minDelta;
        private EpochListener listener;

        private Builder(DataSet validation) {
            this.validation = SurvivalArguments.checkNotNull(validation, "validation");
        }

        /** What to compare (default {@link Criterion#VALIDATION_LOSS}). */
        public Builder criterion(Criterion criterion) {
            this.criterion = Objects.requireNonNull(criterion, "criterion");
            return this;
        }

        /** Epochs without a better score before stopping, {@code >= 1} (default 10). */
        public Builder patience(int patience) {
            SurvivalArguments.atLeast(patience, "patience", 1);
            this.patience = patience;
            return this;
        }

        /** The most epochs to train, {@code >= 1} (default 100). */
        public Builder maxEpochs(int maxEpochs) {
            SurvivalArguments.atLeast(maxEpochs, "maxEpochs", 1);
            this.maxEpochs = maxEpochs;
            return this;
        }

        /** How much an epoch must beat the best score by to count as better, {@code >= 0} (default 0). */
        public Builder minDelta(double minDelta) {
            if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
                throw new IllegalArgumentException("minDelta must be finite and >= 0, got " + minDelta);
            }
            this.minDelta = minDelta;
            return this;
        }

        /** Called after every epoch (progress output). */
        public Builder listener(EpochListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the validation set has no features, labels of another
         *         shape, event codes that are not whole numbers {@code >= 0}, or no event (the codes
         *         the loss takes are checked by {@code fit})
         */
        public EarlyStopping build() {
            INDArray f = validation.getFeatures();
            INDArray l = validation.getLabels();
            if (f == null || l == null || l.rank() != 2 || (l.columns() != 2 && l.columns() != 3) || f.rows() != l.rows()) {
                throw new IllegalArgumentException("the validation set needs features and labels [n, 2] (time, event) or"
                        + " [n, 3] (start, stop, event) with as many rows");
            }
            // whole numbers >= 0 here (event indicators or causes); the codes the loss takes are checked by fit
            int[] event = SurvivalArguments.anyCause(l.getColumn(l.columns() - 1).castTo(DataType.DOUBLE)
                    .toDoubleVector(), "validation event", (int) l.rows());
            if (Arrays.stream(event).allMatch(e -> e == 0)) {
                throw new IllegalArgumentException("the validation set has no events: neither its partial likelihood nor"
                        + " its C-index can tell epochs apart");
            }
            return new EarlyStopping(this);
        }
    }
}
