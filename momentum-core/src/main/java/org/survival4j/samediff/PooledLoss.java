package org.survival4j.samediff;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;
import org.survival4j.data.TimeGroups;

/**
 * The momentum loss inside the online graph: the survival loss on [memory-bank rows ; batch rows],
 * where the bank rows are constants and only the batch rows (the user's output) get a gradient.
 *
 * <p>Everything that changes from one iteration to the next enters as a named constant whose array
 * is overwritten before each iteration ({@link #feed}): the bank outputs, and the label-derived arrays
 * (the Cox risk-set arrays of {@link CoxRiskSets}, or the bank labels for the other losses). Constants rather
 * than placeholders because SameDiff's {@code fit} builds the placeholder map from the data set and
 * the training configuration only, so a listener cannot feed extra placeholders; a constant's array
 * may be replaced between iterations, with another number of rows, and both the forward pass and
 * the gradient see the new values. The bank rows have no gradient (constants never do).
 *
 * <p>The Cox slot layout is fixed when the graph is built: one stratum, {@code maxRows} event-time
 * slots, enough for any pooled set of at most {@code maxRows} rows.
 *
 * <p>Not thread-safe: it belongs to one graph.
 */
final class PooledLoss {
    private static final String BANK_OUTPUTS = "/bankOutputs";
    private static final String BANK_LABELS = "/bankLabels";
    private static final String COX = "/cox";
    private static final String LOSS = "/loss";
    /** Every name {@link #build} adds (after the prefix). */
    private static final String[] NAMES = {BANK_OUTPUTS, BANK_LABELS, COX + "/segment", COX + "/event",
            COX + "/weight", COX + "/fraction", COX + "/mask", COX + "/atRisk", LOSS};

    private final SameDiff sd;
    private final SurvivalLoss loss;
    private final String prefix;
    private final int maxRows;
    private final DataType type;
    private final CoxRiskSets.Variables riskSets; // null unless Cox
    private TimeGroups groups;                     // Cox: the pooled labels last fed, grouped by time

    private PooledLoss(SameDiff sd, SurvivalLoss loss, String prefix, int maxRows, DataType type,
                       CoxRiskSets.Variables riskSets) {
        this.sd = sd;
        this.loss = loss;
        this.prefix = prefix;
        this.maxRows = maxRows;
        this.type = type;
        this.riskSets = riskSets;
    }

    /**
     * Adds the pooled loss to the graph and marks it as a loss variable.
     *
     * @param output the user's output, {@code [n, loss.columns()]} (or {@code [n]} for one column)
     * @param labels the labels placeholder {@code [n, 2]}, or {@code [n, 3]} (start, stop, event) for
     *               the Cox loss with entry times; only the sum-over-rows losses read it in the graph
     * @param maxRows the most pooled rows an iteration may have: {@code steps * batchSize} (the batch
     *                plus the newest {@code maxRows - n} bank rows)
     */
    static PooledLoss build(SameDiff sd, String prefix, SDVariable output, SDVariable labels, SurvivalLoss loss,
                            int maxRows) {
        for (String name : NAMES) { // all checked before the graph is changed
            if (sd.hasVariable(prefix + name)) {
                throw new IllegalArgumentException("the graph already has a variable " + prefix + name
                        + ": was momentum attached twice?");
            }
        }
        DataType type = output.dataType();
        int columns = loss.columns();
        boolean entryTimes = hasEntryTimes(labels);
        SDVariable bankOutputs = sd.constant(prefix + BANK_OUTPUTS, Nd4j.zeros(type, 0, columns));
        SDVariable pooled = sd.concat(0, bankOutputs, sd.reshape(output, -1, columns));
        SDVariable nll;
        CoxRiskSets.Variables riskSets = null;
        if (loss.isCox()) {
            riskSets = coxConstants(sd, prefix + COX, type, maxRows, entryTimes);
            nll = loss.coxGraph().negativeLogLikelihood(sd, pooled, riskSets);
        } else {
            SDVariable batchLabels = labels.dataType() == type ? labels : labels.castTo(type);
            SDVariable bankLabels = sd.constant(prefix + BANK_LABELS, Nd4j.zeros(type, 0, 2));
            nll = loss.rowGraph(sd, pooled, sd.concat(0, bankLabels, batchLabels));
        }
        nll = nll.rename(prefix + LOSS);
        nll.markAsLoss();
        return new PooledLoss(sd, loss, prefix, maxRows, type, riskSets);
    }

    /** Whether a labels placeholder holds counting-process labels: 3 columns (start, stop, event). */
    static boolean hasEntryTimes(SDVariable labels) {
        long[] shape = labels.getShape();
        return shape != null && shape.length == 2 && shape[1] == 3;
    }

    /** Finds the pooled loss that {@link #build} added to a graph (e.g. one loaded from a checkpoint). */
    static PooledLoss find(SameDiff sd, String prefix, SurvivalLoss loss, int maxRows) {
        SDVariable bankOutputs = required(sd, prefix + BANK_OUTPUTS);
        CoxRiskSets.Variables riskSets = null;
        if (loss.isCox()) {
            String p = prefix + COX;
            riskSets = new CoxRiskSets.Variables(1, maxRows, required(sd, p + "/segment"), required(sd, p + "/event"),
                    required(sd, p + "/weight"), required(sd, p + "/fraction"), required(sd, p + "/mask"),
                    sd.hasVariable(p + "/atRisk") ? sd.getVariable(p + "/atRisk") : null);
        } else {
            required(sd, prefix + BANK_LABELS);
        }
        required(sd, prefix + LOSS);
        return new PooledLoss(sd, loss, prefix, maxRows, bankOutputs.dataType(), riskSets);
    }

    private static CoxRiskSets.Variables coxConstants(SameDiff sd, String p, DataType type, int maxRows,
                                                      boolean entryTimes) {
        long slots = maxRows + 1L; // one stratum: maxRows event-time slots and the extra slot
        return new CoxRiskSets.Variables(1, maxRows,
                sd.constant(p + "/segment", Nd4j.zeros(DataType.INT, 0)),
                sd.constant(p + "/event", Nd4j.zeros(type, 0)),
                sd.constant(p + "/weight", Nd4j.zeros(type, 1, slots)),
                sd.constant(p + "/fraction", Nd4j.zeros(type, 1, slots)),
                sd.constant(p + "/mask", Nd4j.zeros(type, 1, slots)),
                entryTimes ? sd.constant(p + "/atRisk", Nd4j.zeros(type, slots, 0)) : null);
    }

    /** Whether the graph takes counting-process labels (start, stop, event): the Cox loss with entry times. */
    boolean entryTimes() {
        return riskSets != null && riskSets.atRisk != null;
    }

    private static SDVariable required(SameDiff sd, String name) {
        if (!sd.hasVariable(name)) {
            throw new IllegalArgumentException("the graph has no variable " + name + ": not a momentum graph");
        }
        return sd.getVariable(name);
    }

    /** The name of the loss variable. */
    String lossName() {
        return prefix + LOSS;
    }

    /**
     * Sets the constants for the next iteration. The labels are trusted (validated by the caller).
     *
     * @param bankOutputs outputs of the bank rows, oldest first, row-major ({@code bankRows * columns} values)
     * @param start entry times of the pooled rows if {@link #entryTimes()}, else null
     * @param time times of the pooled rows: bank rows first, then the batch rows
     * @param event events (1 or 0) of the pooled rows, in the same order
     */
    void feed(double[] bankOutputs, double[] start, double[] time, double[] event) {
        if (time.length > maxRows) {
            throw new IllegalArgumentException("pooled rows = " + time.length + ": the momentum graph holds at most "
                    + maxRows + " (steps * batchSize); is the batch larger than batchSize?");
        }
        int columns = loss.columns();
        int bankRows = bankOutputs.length / columns;
        assign(prefix + BANK_OUTPUTS, bankOutputs, bankRows, columns);
        if (riskSets != null) {
            boolean[] e = new boolean[event.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = event[i] != 0;
            }
            groups = TimeGroups.of(time, e, null);
            CoxRiskSets.of(groups, e, start, loss.ties(), 1, maxRows).assignTo(riskSets);
        } else {
            double[] labels = new double[2 * bankRows];
            for (int i = 0; i < bankRows; i++) {
                labels[2 * i] = time[i];
                labels[2 * i + 1] = event[i];
            }
            assign(prefix + BANK_LABELS, labels, bankRows, 2);
        }
    }

    /** Puts values into a constant, in place once the number of rows is stable (no native allocation). */
    private void assign(String name, double[] values, long rows, long columns) {
        SDVariable constant = sd.getVariable(name);
        INDArray array = NDArrays.into(constant.getArr(), values, type, rows, columns);
        if (array != constant.getArr()) {
            constant.setArray(array);
        }
    }

    /** Cox: the pooled labels of the last {@link #feed}, grouped by time (the graph's risk sets); else null. */
    TimeGroups coxGroups() {
        return groups;
    }

    @Override
    public String toString() {
        return "PooledLoss(" + loss + ", maxRows=" + maxRows + ", type=" + type + ")";
    }
}
