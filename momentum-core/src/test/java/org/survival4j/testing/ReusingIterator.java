package org.survival4j.testing;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Consecutive batches of a data set, all delivered in one reused pair of buffers that the next
 * call overwrites, as prefetching and workspace-backed iterators do. Anything that keeps a
 * reference to a batch instead of copying it sees later batches' values.
 */
public final class ReusingIterator implements DataSetIterator {
    private final DataSet data;
    private final int batch;
    private final INDArray features;
    private final INDArray labels;
    private int cursor;

    /** Batches of {@code batch} rows of {@code data} (a last partial batch is left out). */
    public ReusingIterator(DataSet data, int batch) {
        this.data = data;
        this.batch = batch;
        this.features = data.getFeatures().get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()).dup();
        this.labels = data.getLabels().get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()).dup();
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException();
    }

    @Override
    public DataSet next() {
        features.assign(data.getFeatures().get(NDArrayIndex.interval(cursor, cursor + batch), NDArrayIndex.all()));
        labels.assign(data.getLabels().get(NDArrayIndex.interval(cursor, cursor + batch), NDArrayIndex.all()));
        cursor += batch;
        return new DataSet(features, labels);
    }

    @Override
    public boolean hasNext() {
        return cursor + batch <= data.numExamples();
    }

    @Override
    public int inputColumns() {
        return (int) features.size(1);
    }

    @Override
    public int totalOutcomes() {
        return (int) labels.size(1);
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
    public void reset() {
        cursor = 0;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException();
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
