package org.survival4j.samediff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.NDArrays;
import org.survival4j.momentum.ExponentialMovingAverage;
import org.survival4j.momentum.ParameterSnapshot;

/**
 * The target (momentum) network of a SameDiff model: an independent copy of the online graph whose
 * trainable variables follow the online ones by an exponential moving average,
 * \( \theta_k \leftarrow m\,\theta_k + (1 - m)\,\theta_q \), updated in place.
 *
 * <p>The copy is taken with {@code SameDiff.dup()} before the momentum loss is added to the online
 * graph, so it holds only the user's network. Every {@link VariableType#VARIABLE} of the copy is
 * averaged; constants and placeholders are left alone. The update costs two native ops per variable
 * (see {@link ExponentialMovingAverage}).
 *
 * <p>Not thread-safe: it belongs to one training loop.
 */
final class TargetGraph {
    private final SameDiff graph;
    private final ExponentialMovingAverage ema;
    private final List<String> parameters;
    private final List<ParameterSnapshot> beforeUpdate; // per parameter, to undo the last update

    private TargetGraph(SameDiff graph, double rate) {
        this.graph = graph;
        this.ema = new ExponentialMovingAverage(rate);
        List<String> names = new ArrayList<>();
        for (SDVariable v : graph.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        this.parameters = List.copyOf(names);
        this.beforeUpdate = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            beforeUpdate.add(new ParameterSnapshot());
        }
    }

    /** A target that starts as an exact copy of {@code online}. */
    static TargetGraph copyOf(SameDiff online, double rate) {
        return new TargetGraph(online.dup(), rate);
    }

    /** A target graph restored from a checkpoint. */
    static TargetGraph of(SameDiff target, double rate) {
        return new TargetGraph(target, rate);
    }

    SameDiff graph() {
        return graph;
    }

    /**
     * Checks that {@code online} has every averaged variable with the same shape and type, so that
     * a later {@link #update} cannot fail half-way.
     */
    void checkMatches(SameDiff online) {
        for (String name : parameters) {
            INDArray t = graph.getArrForVarName(name);
            INDArray q = online.hasVariable(name) ? online.getArrForVarName(name) : null;
            if (q == null || !Arrays.equals(q.shape(), t.shape()) || q.dataType() != t.dataType()) {
                throw new IllegalArgumentException("target variable " + name + " " + Arrays.toString(t.shape())
                        + " " + t.dataType() + " has no counterpart of the same shape and type in the online graph");
            }
        }
    }

    /**
     * One EMA step of every trainable variable towards the online graph's values. Every online
     * variable is checked first: if one holds a NaN or infinite value (the optimizer step
     * diverged), nothing is changed and an {@link IllegalStateException} names the variable.
     */
    void update(SameDiff online) {
        for (String name : parameters) {
            INDArray q = online.getArrForVarName(name);
            if (!NDArrays.allFinite(q)) {
                throw new IllegalStateException(nonFinite(name, q));
            }
        }
        for (int i = 0; i < parameters.size(); i++) {
            INDArray t = graph.getArrForVarName(parameters.get(i));
            beforeUpdate.get(i).take(t);
            ema.update(t, online.getArrForVarName(parameters.get(i)));
        }
    }

    /** Undoes the last {@link #update}, bit for bit (for a step whose target output is not finite). */
    void undoUpdate() {
        for (int i = 0; i < parameters.size(); i++) {
            beforeUpdate.get(i).restore(graph.getArrForVarName(parameters.get(i)));
        }
    }

    /**
     * The target network's output (inference).
     *
     * @param inputs placeholder values, e.g. the features
     * @param output the output variable
     */
    INDArray output(Map<String, INDArray> inputs, String output) {
        return graph.output(inputs, output).get(output);
    }

    private static String nonFinite(String name, INDArray q) {
        double[] values = NDArrays.rowMajor(q);
        int i = 0;
        while (i < values.length && Double.isFinite(values[i])) {
            i++;
        }
        return "online variable " + name + " " + Arrays.toString(q.shape()) + " holds " + values[i]
                + " at flat index " + i
                + " after the optimizer step: the step diverged (learning rate too large?). The target and the bank"
                + " were left as they were before the step; the online weights cannot be restored (SameDiff has"
                + " already applied the step)";
    }

    @Override
    public String toString() {
        return "TargetGraph(rate=" + ema.rate() + ", parameters=" + parameters + ")";
    }
}
