package org.survival4j.examples.train;

import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.DataSet;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.dl4j.DataParallelTraining;
import org.survival4j.dl4j.GradientCache;
import org.survival4j.dl4j.Momentum;

/**
 * How an epoch's batches reach the network: {@code net.fit(batch)} one by one; with several
 * workers, DL4J's {@code ParallelWrapper} (through {@link Momentum#dataParallel} with momentum),
 * each round taking {@code workers} consecutive batches; with a virtual batch, the
 * {@link GradientCache}, each step taking {@code virtualBatch / batchSize} consecutive batches. An
 * error of the losses (a NaN output, a diverged momentum step) is reported as a diverged training.
 */
abstract class EpochFitter implements AutoCloseable {
    /** Fits the batches; returns the mean loss DL4J reported for them. */
    abstract double fit(List<DataSet> batches, int epoch);

    @Override
    public void close() {
    }

    static EpochFitter of(MultiLayerNetwork net, Momentum momentum, TrainingSettings settings) {
        if (settings.virtualBatch() > 0) {
            int microBatches = settings.virtualBatch() / settings.batchSize();
            GradientCache cache = momentum == null ? GradientCache.attach(net, microBatches)
                    : GradientCache.attach(momentum, microBatches);
            return new Sequential(net, settings, microBatches, cache::step);
        }
        return settings.workers() == 1 ? new Sequential(net, settings, 1, group -> net.fit(group.get(0)))
                : new Parallel(net, momentum, settings);
    }

    /** The training diverged: said so, with what to try, instead of the loss's raw message alone. */
    static TrainingDivergedException diverged(RuntimeException e, int epoch, TrainingSettings settings) {
        return new TrainingDivergedException("training diverged in epoch " + epoch + " (learning rate "
                + SurvivalArguments.format(settings.learningRate()) + "): try a smaller --learning-rate (the default"
                + " is " + SurvivalArguments.format(TrainingSettings.defaults().learningRate()) + ") or fewer hidden"
                + " units. Cause: " + e.getMessage(), e);
    }

    /**
     * On this thread, one step per group of {@code group} consecutive batches: {@code net.fit} on a
     * batch, or a gradient-cache step on its micro-batches.
     */
    private static final class Sequential extends EpochFitter {
        private final MultiLayerNetwork net;
        private final TrainingSettings settings;
        private final int group;
        private final Consumer<List<DataSet>> step;

        Sequential(MultiLayerNetwork net, TrainingSettings settings, int group, Consumer<List<DataSet>> step) {
            this.net = net;
            this.settings = settings;
            this.group = group;
            this.step = step;
        }

        @Override
        double fit(List<DataSet> batches, int epoch) {
            double lossSum = 0;
            int steps = 0;
            for (int from = 0; from < batches.size(); from += group) {
                try {
                    step.accept(batches.subList(from, Math.min(batches.size(), from + group)));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw diverged(e, epoch, settings);
                }
                lossSum += net.score();
                steps++;
            }
            return lossSum / steps;
        }
    }

    /** Data-parallel: the wrapper's workers run concurrently; each reports its loss to {@link #losses}. */
    private static final class Parallel extends EpochFitter {
        private final TrainingSettings settings;
        private final ParallelWrapper wrapper;
        private final DataParallelTraining momentumTraining; // null without momentum
        private final LossSum losses = new LossSum();

        Parallel(MultiLayerNetwork net, Momentum momentum, TrainingSettings settings) {
            this.settings = settings;
            this.wrapper = new ParallelWrapper.Builder<>(net).workers(settings.workers()).prefetchBuffer(2)
                    .averagingFrequency(1).build();
            // DL4J's handler of a worker's uncaught error only logs it and prints its stack trace to
            // System.err; the worker has stored the error, which fit rethrows here, so none is needed
            wrapper.setHandler((thread, error) -> { });
            this.momentumTraining = momentum == null ? null : momentum.dataParallel(wrapper);
            wrapper.getListeners().add(losses);
        }

        @Override
        double fit(List<DataSet> batches, int epoch) {
            losses.reset();
            ListDataSetIterator<DataSet> data = new ListDataSetIterator<>(batches, 1);
            try {
                if (momentumTraining != null) {
                    momentumTraining.fit(data);
                } else {
                    wrapper.fit(data);
                }
            } catch (RuntimeException e) {
                RuntimeException cause = null; // the innermost: a worker's own error, not "another worker failed"
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
                        cause = (RuntimeException) t;
                    }
                }
                throw cause == null ? e : diverged(cause, epoch, settings);
            }
            return losses.mean();
        }

        @Override
        public void close() {
            wrapper.shutdown();
        }
    }

    /** The mean of the workers' losses, each reported once per step, from the workers' threads. */
    private static final class LossSum extends BaseTrainingListener {
        private double sum;
        private int count;

        synchronized void reset() {
            sum = 0;
            count = 0;
        }

        synchronized double mean() {
            return sum / count;
        }

        @Override
        public synchronized void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
            count++;
        }
    }
}
