package org.survival4j.samediff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The target graph of SameDiff momentum: an independent copy of the user's network whose trainable
 * variables the {@link org.survival4j.momentum.MomentumEngine} moves towards the online ones.
 *
 * <p>The copy is taken with {@code SameDiff.dup()} before the momentum loss is added to the online
 * graph, so it holds only the user's network. Every {@link VariableType#VARIABLE} of the copy is
 * averaged; constants and placeholders are left alone.
 *
 * <p>Not thread-safe: it belongs to one training loop.
 */
final class TargetGraph {
    private final SameDiff graph;
    private final List<String> parameters;

    private TargetGraph(SameDiff graph) {
        this.graph = graph;
        List<String> names = new ArrayList<>();
        for (SDVariable v : graph.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        this.parameters = List.copyOf(names);
    }

    /** A target that starts as an exact copy of {@code online}. */
    static TargetGraph copyOf(SameDiff online) {
        return new TargetGraph(online.dup());
    }

    /**
     * A target graph restored from a checkpoint, checked against the online graph: every averaged
     * variable must exist there with the same shape and type.
     */
    static TargetGraph of(SameDiff target, SameDiff online) {
        TargetGraph restored = new TargetGraph(target);
        for (String name : restored.parameters) {
            INDArray t = target.getArrForVarName(name);
            INDArray q = online.hasVariable(name) ? online.getArrForVarName(name) : null;
            if (q == null || !Arrays.equals(q.shape(), t.shape()) || q.dataType() != t.dataType()) {
                throw new IllegalArgumentException("target variable " + name + " " + Arrays.toString(t.shape())
                        + " " + t.dataType() + " has no counterpart of the same shape and type in the online graph");
            }
        }
        return restored;
    }

    SameDiff graph() {
        return graph;
    }

    /** Names of the averaged variables. */
    List<String> parameterNames() {
        return parameters;
    }

    /** The arrays of the averaged variables in {@code sd} (this graph or the online one), in name order. */
    List<INDArray> parameters(SameDiff sd) {
        List<INDArray> arrays = new ArrayList<>(parameters.size());
        for (String name : parameters) {
            arrays.add(sd.getArrForVarName(name));
        }
        return arrays;
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

    @Override
    public String toString() {
        return "TargetGraph(parameters=" + parameters + ")";
    }
}
