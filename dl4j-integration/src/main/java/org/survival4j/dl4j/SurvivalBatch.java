package org.survival4j.dl4j;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;

/**
 * The inputs of one {@code ILossFunction} call, copied out of DL4J's arrays and checked for the
 * survival layout: labels {@code [n, 2]} = (time, event), an output with the number of columns the
 * loss expects, and an optional mask.
 *
 * <p>Everything is copied into Java arrays, so an instance never refers to a workspace array and
 * stays valid after DL4J has reused that memory. Two batches with equal contents (pre-activation
 * output, labels, mask and activation) are {@linkplain #sameInputs(SurvivalBatch) the same inputs},
 * which is how the losses recognise that {@code computeScore} follows {@code computeGradient} on one
 * batch.
 *
 * <p><b>Masks.</b> DL4J hands the labels mask to the loss as {@code [n, 1]} (per example) or
 * {@code [n, columns]} (per output). A row whose mask is 0 is left out of the likelihood as if it
 * were not in the batch; a row whose mask is 1 is in. Other mask values, and per-output masks that
 * keep some columns of a row but not others, are rejected: a survival likelihood cannot drop half of
 * a row. The labels and outputs of excluded rows are not checked (they may be padding).
 *
 * <p>The shape and mask checks of the DL4J adapters are all here; checks of the values themselves
 * (finite outputs, times {@code >= 0}, events 0/1) are done by {@link org.survival4j.data.SurvivalArguments}
 * so that messages are the same as in the core losses.
 */
final class SurvivalBatch {
    static final String LABELS_NULL = "labels must not be null";
    static final String OUTPUT_NULL = "output (preOutput) must not be null";
    static final String LABELS_SHAPE = "labels has shape %s: expected [n, 2] with the time in column 0 and the event "
            + "indicator (1 = event, 0 = censored) in column 1, or (Cox) [n, 3]: start, stop, event in counting-process"
            + " form";
    static final String OUTPUT_SHAPE = "output has shape %s: expected %s";
    static final String ROWS = "labels has %d rows but the output has %d";
    static final String MASK_SHAPE = "mask has shape %s: expected [%d, 1] (per example) or [%d, %d] (per output)";
    static final String MASK_VALUE = "mask[%d, %d] = %s: mask values must be 0 (row left out) or 1 (row used)";
    static final String MASK_MIXED = "mask row %d keeps some output columns but not others: "
            + "a survival likelihood uses a row whole or not at all";

    private final int rows;
    private final int columns;
    private final double[] preOutput; // row-major [n * columns]
    private final double[] labels;    // row-major [n * labelColumns]
    private final int labelColumns;   // 2: time, event; 3: start, stop, event
    private final double[] mask;      // row-major [n * mask columns], or null
    private final IActivation activation;
    private final int[] includedRows;

    private SurvivalBatch(int rows, int columns, double[] preOutput, double[] labels, int labelColumns,
                          double[] mask, IActivation activation, int[] includedRows) {
        this.rows = rows;
        this.columns = columns;
        this.preOutput = preOutput;
        this.labels = labels;
        this.labelColumns = labelColumns;
        this.mask = mask;
        this.activation = activation;
        this.includedRows = includedRows;
    }

    /**
     * Copies and checks the arguments of an {@code ILossFunction} call.
     *
     * @param labels {@code [n, 2]}: time, event
     * @param preOutput the output layer's pre-activation output, {@code [n, c]}
     * @param activation the output layer's activation
     * @param mask {@code null}, {@code [n, 1]} or {@code [n, c]}
     * @param minColumns smallest allowed {@code c}
     * @param maxColumns largest allowed {@code c}
     * @param expectedOutput how to describe the allowed output shapes in an error message
     * @throws IllegalArgumentException if a shape or a mask value is not as described above
     */
    static SurvivalBatch of(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask,
                            int minColumns, int maxColumns, String expectedOutput) {
        if (labels == null) {
            throw new IllegalArgumentException(LABELS_NULL);
        }
        if (preOutput == null) {
            throw new IllegalArgumentException(OUTPUT_NULL);
        }
        if (labels.rank() != 2 || labels.size(1) != 2 && labels.size(1) != 3) {
            throw error(LABELS_SHAPE, Arrays.toString(labels.shape()));
        }
        if (preOutput.rank() != 2 || preOutput.size(1) < minColumns || preOutput.size(1) > maxColumns) {
            throw error(OUTPUT_SHAPE, Arrays.toString(preOutput.shape()), expectedOutput);
        }
        int n = (int) preOutput.size(0);
        int columns = (int) preOutput.size(1);
        if (labels.size(0) != n) {
            throw error(ROWS, labels.size(0), n);
        }
        double[] maskValues = null;
        int maskColumns = 0;
        if (mask != null) {
            boolean perExample = mask.rank() == 2 && mask.size(0) == n && mask.size(1) == 1;
            boolean perOutput = mask.rank() == 2 && mask.size(0) == n && mask.size(1) == columns;
            if (!perExample && !perOutput) {
                throw error(MASK_SHAPE, Arrays.toString(mask.shape()), n, n, columns);
            }
            maskValues = NDArrays.rowMajor(mask);
            maskColumns = (int) mask.size(1);
        }
        return new SurvivalBatch(n, columns, NDArrays.rowMajor(preOutput), NDArrays.rowMajor(labels),
                (int) labels.size(1), maskValues, activation, includedRows(maskValues, maskColumns, n));
    }

    private static int[] includedRows(double[] mask, int maskColumns, int n) {
        int[] rows = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            boolean in = true;
            if (mask != null) {
                double first = mask[i * maskColumns];
                for (int j = 0; j < maskColumns; j++) {
                    double v = mask[i * maskColumns + j];
                    if (v != 0 && v != 1) {
                        throw error(MASK_VALUE, i, j, v);
                    }
                    if (v != first) {
                        throw error(MASK_MIXED, i);
                    }
                }
                in = first == 1;
            }
            if (in) {
                rows[m++] = i;
            }
        }
        return Arrays.copyOf(rows, m);
    }

    /** Number of rows {@code n}, masked or not: DL4J's minibatch size. */
    int rows() {
        return rows;
    }

    /** Number of output columns. */
    int columns() {
        return columns;
    }

    /** The rows the mask keeps, ascending (all rows without a mask). */
    int[] includedRows() {
        return includedRows.clone();
    }

    /** Number of rows the mask keeps. */
    int includedCount() {
        return includedRows.length;
    }

    /**
     * The layer's activation applied to (a copy of) the pre-activation output, computed in the
     * output's data type, {@code [n][c]}. Call outside any workspace: the arrays it makes are temporary.
     */
    double[][] activatedOutput(IActivation activationFn, DataType type) {
        double[][] output = new double[rows][columns];
        if (rows > 0) {
            // Identity (the usual output activation) needs no ND4J op: the copied values are the output.
            double[] activated = activationFn instanceof ActivationIdentity ? preOutput
                    : NDArrays.rowMajor(activationFn.getActivation(
                            Nd4j.createFromArray(preOutput).reshape(rows, columns).castTo(type), true));
            for (int i = 0; i < rows; i++) {
                System.arraycopy(activated, i * columns, output[i], 0, columns);
            }
        }
        return output;
    }

    /** The entries of a per-row array that belong to included rows, in row order. */
    double[] included(double[] perRow) {
        double[] picked = new double[includedRows.length];
        for (int k = 0; k < picked.length; k++) {
            picked[k] = perRow[includedRows[k]];
        }
        return picked;
    }

    /** As {@link #included(double[])} for a per-row matrix (rows are shared, not copied). */
    double[][] included(double[][] perRow) {
        double[][] picked = new double[includedRows.length][];
        for (int k = 0; k < picked.length; k++) {
            picked[k] = perRow[includedRows[k]];
        }
        return picked;
    }

    /** The time (the stop of counting-process labels) of every row; excluded rows read 0 so that they pass the checks. */
    double[] time() {
        return labelColumn(labelColumns - 2);
    }

    /** The event indicator of every row; excluded rows read 0. */
    double[] event() {
        return labelColumn(labelColumns - 1);
    }

    /** The start of counting-process labels ({@code [n, 3]}) for every row, excluded rows 0; null for {@code [n, 2]}. */
    double[] start() {
        return labelColumns == 3 ? labelColumn(0) : null;
    }

    /** The starts of the included rows, or null for labels {@code [n, 2]}. */
    double[] includedStart() {
        return labelColumns == 3 ? included(start()) : null;
    }

    /** Replaces the values of excluded rows by 0, so that only included rows are checked. */
    double[][] zeroExcluded(double[][] values) {
        if (includedRows.length < rows) {
            boolean[] included = included();
            for (int i = 0; i < values.length; i++) {
                if (!included[i]) {
                    Arrays.fill(values[i], 0);
                }
            }
        }
        return values;
    }

    /** True if {@code other} holds the same labels and mask: the same batch, whatever the outputs. */
    boolean sameLabels(SurvivalBatch other) {
        return other != null && rows == other.rows && Arrays.equals(labels, other.labels)
                && Arrays.equals(mask, other.mask);
    }

    /** True if {@code other} holds the same values, mask and activation: the same loss call. */
    boolean sameInputs(SurvivalBatch other) {
        return other != null
                && rows == other.rows
                && columns == other.columns
                && Arrays.equals(preOutput, other.preOutput)
                && Arrays.equals(labels, other.labels)
                && Arrays.equals(mask, other.mask)
                && activation.equals(other.activation);
    }

    /** {@code included()[row]} is true for the rows the mask keeps. */
    boolean[] included() {
        boolean[] included = new boolean[rows];
        for (int row : includedRows) {
            included[row] = true;
        }
        return included;
    }

    private double[] labelColumn(int column) {
        double[] values = new double[rows];
        for (int row : includedRows) {
            values[row] = labels[labelColumns * row + column];
        }
        return values;
    }

    private static IllegalArgumentException error(String template, Object... args) {
        return new IllegalArgumentException(String.format(Locale.ROOT, template, args));
    }
}
