package org.survival4j.samediff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;

/**
 * One training batch as a listener of {@code sd.fit} sees it in {@code iterationStart}: the labels
 * checked and unpacked, the stratum labels if the loss has them, and the data set's feature and
 * label arrays by placeholder name, read through the graph's {@link TrainingConfig} mappings.
 * Everything is checked here, before the step, so that a bad batch leaves the weights as they were;
 * the labels are copied (iterators may reuse their buffers), the arrays by name are the data set's
 * own, only read during the iteration.
 */
final class Batch {
    final double[] start; // null without entry times
    final double[] time;
    final double[] event; // 1 or 0; the cause codes for a competing-risks loss
    final int[] strata;   // null: one stratum
    final Map<String, INDArray> placeholders; // the data set's arrays by the placeholder they feed

    private Batch(Labels labels, int[] strata, Map<String, INDArray> placeholders) {
        this.start = labels.start;
        this.time = labels.time;
        this.event = new double[labels.rows()];
        for (int i = 0; i < event.length; i++) {
            event[i] = labels.cause != null ? labels.cause[i] : labels.event[i] ? 1 : 0;
        }
        this.strata = strata;
        this.placeholders = placeholders;
    }

    /**
     * Reads and checks a batch.
     *
     * @param labels the labels placeholder ({@code [n, 2]}, or {@code [n, 3]} with entry times)
     * @param entryTimes whether the graph was built for counting-process labels {@code [n, 3]}
     * @param causes whether the last label column is a cause code (a competing-risks loss)
     * @param strata the placeholder of the stratum labels ({@code [n]} or {@code [n, 1]}, whole
     *               numbers; mapped like the labels), or null
     * @param features the features placeholders to check: finite, as many rows as the labels
     * @throws IllegalArgumentException naming what is wrong
     */
    static Batch read(MultiDataSet data, TrainingConfig config, String labels, boolean entryTimes, boolean causes,
                      String strata, List<String> features) {
        INDArray labelArray = data.getLabels(indexOf(config.getDataSetLabelMapping(), labels));
        if (labelArray == null || labelArray.isEmpty() || labelArray.rank() == 0) {
            throw new IllegalArgumentException("the batch's labels " + labels + " are empty (shape "
                    + (labelArray == null ? "null" : Arrays.toString(labelArray.shape())) + "); DL4J's ViewIterator"
                    + " gives such batches over row views that do not start at row 0: dup() the rows first");
        }
        Labels l = causes ? Labels.withCauses(labelArray, entryTimes)
                : entryTimes ? Labels.withEntryTimes(labelArray, null) : Labels.of(labelArray, null);
        if (entryTimes && l.start == null) {
            throw new IllegalArgumentException("the batch's labels " + labels + " have 2 columns but the graph was"
                    + " built for counting-process labels [n, 3] (start, stop, event)");
        }
        int n = l.rows();
        int[] strataLabels = strata == null ? null
                : wholeNumbers(data.getLabels(indexOf(config.getDataSetLabelMapping(), strata)), "strata " + strata, n);
        Map<String, INDArray> byName = new HashMap<>();
        List<String> mapping = config.getDataSetFeatureMapping();
        for (int i = 0; i < mapping.size(); i++) {
            byName.put(mapping.get(i), data.getFeatures(i));
        }
        List<String> labelMapping = config.getDataSetLabelMapping();
        for (int i = 0; i < labelMapping.size(); i++) {
            byName.put(labelMapping.get(i), data.getLabels(i));
        }
        for (String name : features) {
            INDArray f = data.getFeatures(indexOf(mapping, name));
            SurvivalArguments.finiteValues(f, "features " + name); // before the step, not as NaN weights
            if (f.size(0) != n) {
                throw new IllegalArgumentException("features " + name + " has " + f.size(0) + " rows but the labels have "
                        + n);
            }
        }
        return new Batch(l, strataLabels, byName);
    }

    int rows() {
        return time.length;
    }

    /**
     * The output of the batch, checked when the forward pass produces it (before the loss ops and
     * the gradient run): {@code [rows(), columns]} ({@code [rows()]} for one column) and finite.
     *
     * @return the values, row-major
     * @throws IllegalArgumentException naming the shape, or the row and column of a NaN or infinite value
     */
    double[] outputValues(INDArray activation, String name, SurvivalLoss loss) {
        int columns = loss.columns();
        long actualColumns = activation.rank() == 1 ? 1 : activation.rank() == 2 ? activation.size(1) : -1;
        long rows = activation.rank() == 0 ? -1 : activation.size(0);
        if (actualColumns != columns || rows != rows()) {
            throw new IllegalArgumentException("output " + name + " has shape " + Arrays.toString(activation.shape())
                    + ": " + loss + " expects [" + rows() + ", " + columns + "]");
        }
        // Names the row and column of a NaN or infinite value (the network diverged or got bad features).
        double[][] values = SurvivalArguments.finiteColumns(activation, "online output " + name, columns);
        double[] flat = new double[values.length * columns];
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(values[i], 0, flat, i * columns, columns);
        }
        return flat;
    }

    /** The position of a placeholder in a data set mapping of the training configuration. */
    static int indexOf(List<String> mapping, String name) {
        int i = mapping == null ? -1 : mapping.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("the training configuration does not map a data set array to "
                    + name + " (mapping: " + mapping + ")");
        }
        return i;
    }

    private static int[] wholeNumbers(INDArray values, String name, int n) {
        double[] v = values == null ? new double[0] : NDArrays.rowMajor(values);
        if (v.length != n || (values.rank() == 2 && values.size(1) != 1)) {
            throw new IllegalArgumentException(name + " has shape " + (values == null ? "null"
                    : Arrays.toString(values.shape())) + ": one stratum label per row, [" + n + "] or [" + n + ", 1]");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (!(v[i] == Math.rint(v[i]) && Math.abs(v[i]) <= Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + v[i] + " is not a whole number");
            }
            out[i] = (int) v[i];
        }
        return out;
    }
}
