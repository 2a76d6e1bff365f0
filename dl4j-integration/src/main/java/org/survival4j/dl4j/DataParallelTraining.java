package org.survival4j.dl4j;

import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.survival4j.data.SurvivalArguments;

/**
 * A network with momentum, trained data-parallel by DL4J's {@code ParallelWrapper}: {@code W}
 * workers with batches of {@code b} rows train as the network would alone with batches of
 * {@code W * b} rows, with one memory bank and one target network (docs/distributed.md). Made by
 * {@link Momentum#dataParallel(ParallelWrapper)}; train through its {@code fit}, not the wrapper's.
 *
 * <pre>{@code
 * Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(2 * 16).steps(10).build());
 * ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(1).build();
 * DataParallelTraining training = momentum.dataParallel(wrapper);
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     training.fit(trainIterator);   // batches of 16 rows per worker
 * }
 * INDArray logHazard = momentum.infer(testFeatures);
 * }</pre>
 */
public final class DataParallelTraining {
    private final ParallelWrapper wrapper;
    private final DataParallelRounds rounds;

    DataParallelTraining(ParallelWrapper wrapper, DataParallelRounds rounds) {
        this.wrapper = wrapper;
        this.rounds = rounds;
    }

    /**
     * One pass over {@code data}, each round feeding one batch to each worker.
     *
     * @throws IllegalStateException if a worker failed (the round it failed in left the network,
     *     the target and the bank as they were; DL4J's wrapper must then be rebuilt)
     */
    public void fit(DataSetIterator data) {
        SurvivalArguments.checkNotNull(data, "data");
        rounds.fit(() -> wrapper.fit(data));
    }

    /** As {@link #fit(DataSetIterator)}, for a {@code ComputationGraph} with several inputs. */
    public void fit(MultiDataSetIterator data) {
        SurvivalArguments.checkNotNull(data, "data");
        rounds.fit(() -> wrapper.fit(data));
    }

    /** The wrapper that trains (for its settings; call {@code shutdown()} on it when done). */
    public ParallelWrapper wrapper() {
        return wrapper;
    }
}
