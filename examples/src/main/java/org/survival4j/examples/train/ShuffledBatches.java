package org.survival4j.examples.train;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * An epoch's batches for DL4J's {@code fit(iterator)}: each {@link #reset()} draws a new random
 * order of the rows from one seeded {@link Random} and cuts it into batches, exactly as the
 * trainer's own epoch loop does ({@link Trainer#batches}), so that both loops see the same batches.
 * Not asynchronous (no prefetching thread, no workspace-backed copies).
 */
final class ShuffledBatches implements DataSetIterator {
    private final SurvivalData data;
    private final int batchSize;
    private final Random order;
    private List<DataSet> batches = List.of();
    private int next;

    ShuffledBatches(SurvivalData data, int batchSize, Random order) {
        this.data = data;
        this.batchSize = batchSize;
        this.order = order;
    }

    @Override
    public void reset() {
        batches = Trainer.batches(data, batchSize, order);
        next = 0;
    }

    @Override
    public boolean hasNext() {
        return next < batches.size();
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the epoch's " + batches.size() + " batches are done: reset() first");
        }
        return batches.get(next++);
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("the batches are cut at reset()");
    }

    @Override
    public int inputColumns() {
        return data.columns().size();
    }

    @Override
    public int totalOutcomes() {
        return data.start() == null ? 2 : 3;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("the batches are used as they are");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
