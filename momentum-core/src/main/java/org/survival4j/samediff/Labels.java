package org.survival4j.samediff;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * Unpacks and checks {@code [n, 2]} label matrices (column 0 time, column 1 event) for the graph
 * builders of this package; all checks go through {@link SurvivalArguments}.
 */
final class Labels {
    final double[] time;
    final boolean[] event;

    private Labels(double[] time, boolean[] event) {
        this.time = time;
        this.event = event;
    }

    /**
     * @param labels {@code [n, 2]}: time (finite, {@code >= 0}) and event (0 or 1)
     * @param output the model output the labels belong to, or {@code null}; its row count is checked
     *               when the graph knows it
     */
    static Labels of(INDArray labels, SDVariable output) {
        double[][] m = SurvivalArguments.finiteColumns(labels, "labels", 2);
        int columns = labels.rank() == 1 ? 1 : (int) labels.size(1);
        SurvivalArguments.atLeast(columns, "labels columns (time, event)", 2);
        int n = m.length;
        double[] t = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = m[i][0];
            e[i] = m[i][1];
        }
        long[] shape = output == null ? null : output.getShape();
        // When the graph knows the output's rows, a different count is reported as
        // "time (labels column 0) has n rows but the scores have m"; the times are checked once.
        int rows = shape != null && shape.length > 0 && shape[0] >= 0 ? (int) shape[0] : n;
        return new Labels(SurvivalArguments.time(t, "time", rows), SurvivalArguments.event(e, "event", n));
    }

    int rows() {
        return time.length;
    }
}
