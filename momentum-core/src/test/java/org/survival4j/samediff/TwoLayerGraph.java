package org.survival4j.samediff;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
import org.survival4j.testing.MomentumTrace;

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
        SameDiff sd = SameDiff.create();
        network(sd, w0, b0, w1, b1, labelColumns).rename("out");
        return sd;
    }

    /**
     * The traces' network in {@code type} with an output layer of {@code loss.columns()} columns: the
     * trace's output weights when they have as many, else small seeded random ones (seed 5).
     */
    static SameDiff of(MomentumTrace trace, SurvivalLoss loss, DataType type, int labelColumns) {
        Map<String, INDArray> init = trace.init();
        boolean traceOutput = loss.columns() == init.get("W1").columns();
        Nd4j.getRandom().setSeed(5);
        INDArray w1 = traceOutput ? init.get("W1")
                : Nd4j.rand(DataType.FLOAT, init.get("W1").rows(), loss.columns()).subi(0.5).muli(0.1);
        INDArray b1 = traceOutput ? init.get("b1") : Nd4j.zeros(DataType.FLOAT, 1, loss.columns());
        return of(init.get("W0").castTo(type), init.get("b0").castTo(type), w1.castTo(type), b1.castTo(type),
                labelColumns);
    }

    /**
     * Plain training on pooled rows, as a reference for momentum: the network of {@code online}'s
     * current weights on the features {@code in} {@code [m + n, p]}, whose output {@code out} is
     * {@code bank} (fixed, {@code [m, columns]}) in its first {@code m} rows and the network's output
     * in the last {@code n}, so that only those carry a gradient ({@code out = bank + mask * net},
     * exact in floating point: {@code 0 * net} and {@code bank + 0} change nothing).
     */
    static SameDiff pooled(SameDiff online, double[][] bank, int batchRows, int labelColumns) {
        SameDiff sd = SameDiff.create();
        SDVariable net = network(sd, online.getArrForVarName("W0"), online.getArrForVarName("b0"),
                online.getArrForVarName("W1"), online.getArrForVarName("b1"), labelColumns);
        int columns = (int) online.getArrForVarName("W1").size(1);
        int m = bank.length;
        double[][] fixed = new double[m + batchRows][columns];
        double[][] mask = new double[m + batchRows][columns];
        for (int i = 0; i < m + batchRows; i++) {
            if (i < m) {
                System.arraycopy(bank[i], 0, fixed[i], 0, columns);
            } else {
                Arrays.fill(mask[i], 1);
            }
        }
        DataType type = net.dataType();
        sd.constant("bank", Nd4j.createFromArray(fixed).castTo(type))
                .add(sd.constant("mask", Nd4j.createFromArray(mask).castTo(type)).mul(net)).rename("out");
        return sd;
    }

    /** {@code tanh(in W0 + b0) W1 + b1}, on the placeholders {@code in} and {@code label}. */
    private static SDVariable network(SameDiff sd, INDArray w0, INDArray b0, INDArray w1, INDArray b1,
                                      int labelColumns) {
        DataType type = w0.dataType();
        SDVariable in = sd.placeHolder("in", type, -1, w0.size(0));
        sd.placeHolder("label", type, -1, labelColumns);
        SDVariable hidden = sd.math.tanh(in.mmul(sd.var("W0", w0.dup())).add(sd.var("b0", b0.dup())));
        return hidden.mmul(sd.var("W1", w1.dup())).add(sd.var("b1", b1.dup()));
    }

    /**
     * {@code plain}'s rows (time, event) as competing-risks labels for {@code loss}: each event gets
     * cause 1 or 2 by its row's parity (events of both causes in every batch of 2 rows or more), and
     * for DeepHit each time its grid interval (equal widths up to the largest time). Other losses'
     * labels are returned as they are.
     */
    static DataSet forLoss(DataSet plain, SurvivalLoss loss) {
        if (!loss.competingRisks()) {
            return plain;
        }
        double[][] labels = plain.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        Number intervals = loss.competingSettings().get("intervals"); // DeepHit only
        double largest = Arrays.stream(labels).mapToDouble(row -> row[0]).max().orElse(1);
        for (int i = 0; i < labels.length; i++) {
            labels[i][1] = labels[i][1] == 0 ? 0 : 1 + i % 2;
            if (intervals != null) {
                labels[i][0] = Math.min(intervals.intValue() - 1, Math.floor(labels[i][0] / largest * intervals.intValue()));
            }
        }
        return new DataSet(plain.getFeatures(), Nd4j.createFromArray(labels).castTo(plain.getLabels().dataType()));
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
