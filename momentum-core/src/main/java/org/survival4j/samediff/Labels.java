package org.survival4j.samediff;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * Unpacks and checks {@code [n, 2]} label matrices (column 0 time, column 1 event), and for the Cox
 * loss also counting-process labels {@code [n, 3]} (start, stop, event), for the graph builders of
 * this package; all checks go through {@link SurvivalArguments}. For the competing-risks losses the
 * last column is a cause code (0 = censored, a whole number otherwise).
 */
final class Labels {
    final double[] start; // null for [n, 2]
    final double[] time;
    final boolean[] event;
    final int[] cause;    // the cause codes, or null for event indicators

    private Labels(double[] start, double[] time, boolean[] event, int[] cause) {
        this.start = start;
        this.time = time;
        this.event = event;
        this.cause = cause;
    }

    /**
     * @param labels {@code [n, 2]}: time (finite, {@code >= 0}) and event (0 or 1)
     * @param output the model output the labels belong to, or {@code null}; its row count is checked
     *               when the graph knows it
     */
    static Labels of(INDArray labels, SDVariable output) {
        return of(labels, output, 2);
    }

    /**
     * As {@link #of(INDArray, SDVariable)}, also taking counting-process labels {@code [n, 3]}
     * (start, stop, event; each start {@code >= 0} and below its stop).
     */
    static Labels withEntryTimes(INDArray labels, SDVariable output) {
        return of(labels, output, 3, false);
    }

    /**
     * Competing-risks labels: {@code [n, 2]} (time, cause) or, with {@code entryTimes},
     * {@code [n, 3]} (start, stop, cause); each cause a whole number {@code >= 0}, 0 = censored (the
     * loss checks the upper bound).
     */
    static Labels withCauses(INDArray labels, boolean entryTimes) {
        return of(labels, null, entryTimes ? 3 : 2, true);
    }

    private static Labels of(INDArray labels, SDVariable output, int maxColumns) {
        return of(labels, output, maxColumns, false);
    }

    private static Labels of(INDArray labels, SDVariable output, int maxColumns, boolean causes) {
        double[][] m = SurvivalArguments.finiteColumns(labels, "labels", maxColumns);
        int columns = labels.rank() == 1 ? 1 : (int) labels.size(1);
        SurvivalArguments.atLeast(columns, "labels columns (time, event)", 2);
        int n = m.length;
        double[] s = columns == 3 ? new double[n] : null;
        double[] t = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            if (s != null) {
                s[i] = m[i][0];
            }
            t[i] = m[i][columns - 2];
            e[i] = m[i][columns - 1];
        }
        long[] shape = output == null ? null : output.getShape();
        // When the graph knows the output's rows, a different count is reported as
        // "time (labels column 0) has n rows but the scores have m"; the times are checked once.
        int rows = shape != null && shape.length > 0 && shape[0] >= 0 ? (int) shape[0] : n;
        SurvivalArguments.time(t, "time", rows);
        double[] entry = s == null ? null : SurvivalArguments.entryTimes(s, t);
        if (causes) {
            int[] c = SurvivalArguments.anyCause(e, "cause", n);
            boolean[] event = new boolean[n];
            for (int i = 0; i < n; i++) {
                event[i] = c[i] != 0;
            }
            return new Labels(entry, t, event, c);
        }
        return new Labels(entry, t, SurvivalArguments.event(e, "event", n), null);
    }

    /**
     * Checks {@code labels} ({@code [n, 2]}) against {@code output} and puts a copy of them, in the
     * output's data type, into the graph as a constant (a copy, so the constant never aliases the
     * caller's array).
     */
    static SDVariable constant(SameDiff sd, INDArray labels, SDVariable output) {
        of(labels, output);
        return sd.constant(labels.castTo(output.dataType()).dup());
    }

    int rows() {
        return time.length;
    }
}
