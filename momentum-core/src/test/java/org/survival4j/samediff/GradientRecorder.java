package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A listener that records, at every training iteration of {@code fit}, the parameter gradients as
 * SameDiff's backward pass produces them (before the updater changes them in place), and the losses
 * SameDiff hands to listeners.
 */
final class GradientRecorder extends TrainingListener {
    /** Per iteration: parameter name to its gradient, row-major, in double. */
    final List<Map<String, double[]>> gradients = new ArrayList<>();
    /** Per iteration: the losses of SameDiff's {@code Loss} (one per loss variable). */
    final List<double[]> losses = new ArrayList<>();
    private final List<String> parameters;
    private Map<String, double[]> current;

    GradientRecorder(String... parameters) {
        this.parameters = List.of(parameters);
    }

    @Override
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
        current = new HashMap<>();
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet data, SameDiffOp op, String varName,
                                    INDArray activation) {
        String name = varName.endsWith("-grad") ? varName.substring(0, varName.length() - 5) : null;
        if (name != null && parameters.contains(name) && current != null) {
            current.put(name, activation.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector());
        }
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
        assertEquals(parameters.size(), current.size(), "gradients recorded: " + current.keySet());
        gradients.add(current);
        losses.add(loss.getLosses().clone());
        current = null;
    }

    /**
     * Asserts {@code |actual_i - expected_i| <= rel * max_j |expected_j|} over all entries of all
     * parameters: relative to the whole gradient's size, since entries that cancel to almost 0 (the
     * Cox gradient of the output bias is 0 in exact arithmetic) keep an absolute rounding error of
     * the size of the others' rounding.
     */
    static void assertSameGradients(Map<String, double[]> expected, Map<String, double[]> actual, double rel,
                                    String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        double scale = 0;
        for (double[] e : expected.values()) {
            for (double v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        assertTrue(scale > 0, what + ": a zero gradient proves nothing");
        for (String name : expected.keySet()) {
            double[] e = expected.get(name);
            double[] a = actual.get(name);
            assertEquals(e.length, a.length, what + " " + name);
            for (int i = 0; i < e.length; i++) {
                double diff = Math.abs(a[i] - e[i]);
                int at = i;
                double s = scale;
                assertTrue(diff <= rel * scale, () -> what + " " + name + "[" + at + "]: " + a[at] + " against "
                        + e[at] + ", a difference of " + diff + " (gradient scale " + s + ")");
            }
        }
    }
}
