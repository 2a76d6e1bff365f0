package org.survival4j.samediff;

import java.util.List;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network of the parity traces as a SameDiff graph: placeholders {@code in} {@code [-1, p]} and
 * {@code label} {@code [-1, 2]}, {@code out = tanh(in W0 + b0) W1 + b1}, weights in DL4J layout
 * ({@code W} is {@code [nIn, nOut]}).
 */
final class TwoLayerGraph {
    private TwoLayerGraph() {
    }

    static SameDiff of(INDArray w0, INDArray b0, INDArray w1, INDArray b1) {
        return of(w0, b0, w1, b1, 2);
    }

    /** As {@link #of(INDArray, INDArray, INDArray, INDArray)} with labels of {@code labelColumns} columns. */
    static SameDiff of(INDArray w0, INDArray b0, INDArray w1, INDArray b1, int labelColumns) {
        DataType type = w0.dataType();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", type, -1, w0.size(0));
        sd.placeHolder("label", type, -1, labelColumns);
        SDVariable hidden = sd.math.tanh(in.mmul(sd.var("W0", w0.dup())).add(sd.var("b0", b0.dup())));
        hidden.mmul(sd.var("W1", w1.dup())).add(sd.var("b1", b1.dup())).rename("out");
        return sd;
    }

    /**
     * The rows with counting-process labels (start, stop, event): the stop and event of
     * {@code plain}, a start of 0 for even rows and a fraction of the stop for odd ones, the same for
     * a row whichever slice it is read in.
     *
     * @param firstRow the number of {@code plain}'s first row in the whole data set
     */
    static DataSet withEntryTimes(DataSet plain, int firstRow) {
        double[] stop = plain.getLabels().getColumn(0).castTo(DataType.DOUBLE).toDoubleVector();
        double[] start = new double[stop.length];
        for (int i = 0; i < start.length; i++) {
            int row = firstRow + i;
            start[i] = row % 2 == 0 ? 0 : stop[i] * ((row * 37 % 10) / 11.0);
        }
        INDArray s = Nd4j.createFromArray(start).castTo(plain.getLabels().dataType()).reshape(-1, 1);
        return new DataSet(plain.getFeatures(), Nd4j.hstack(s, plain.getLabels()));
    }

    /** A listener, placed after the momentum listener, that records {@link SameDiffMomentum#lastLoss()}. */
    static BaseListener lossRecorder(SameDiffMomentum momentum, List<Double> losses) {
        return new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
                losses.add(momentum.lastLoss());
            }
        };
    }
}
