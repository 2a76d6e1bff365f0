package org.survival4j.metrics;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * Reads an {@code [n, m]} matrix of per-row, per-time predictions as {@code m} columns; a vector
 * {@code [n]} is one column repeated for every time (e.g. a Cox risk score, whose ranking does not
 * change with time).
 */
final class Columns {
    private Columns() {
    }

    /** Finite values, column-major {@code [time][row]}. */
    static double[][] finite(INDArray values, String name, int times) {
        return read(values, name, times, false);
    }

    /** Values in [0, 1], column-major {@code [time][row]}. */
    static double[][] probabilities(INDArray values, String name, int times) {
        return read(values, name, times, true);
    }

    private static double[][] read(INDArray values, String name, int times, boolean probability) {
        SurvivalArguments.checkNotNull(values, name);
        if (values.rank() == 1 || (values.rank() == 2 && values.size(1) == 1)) {
            double[] v = probability ? SurvivalArguments.probabilities(values, name, (int) values.length())
                    : SurvivalArguments.finiteVector(values, name);
            double[][] out = new double[times][];
            Arrays.fill(out, v);
            return out;
        }
        SurvivalArguments.inRange(values.rank() == 2 ? values.size(1) : -1, name + " columns", times, times, true);
        double[][] out = new double[times][];
        for (int k = 0; k < times; k++) {
            INDArray column = values.getColumn(k);
            out[k] = probability ? SurvivalArguments.probabilities(column, name + " column " + k, (int) column.length())
                    : SurvivalArguments.finiteVector(column, name + " column " + k);
        }
        return out;
    }
}
