package org.survival4j.samediff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The target graph of SameDiff momentum: an independent copy of the user's network whose trainable
 * variables the {@link org.survival4j.momentum.MomentumEngine} moves towards the online ones.
 *
 * <p>The copy is taken with {@code SameDiff.dup()} before the momentum loss is added to the online
 * graph, so it holds only the user's network. Every {@link VariableType#VARIABLE} of the copy is
 * averaged; constants and placeholders are left alone.
 *
 * <p>The forward pass runs in a session of its own ({@link ForgetfulSession}) rather than through
 * {@code SameDiff.output}, whose per-thread session keeps the id of every array it ever released.
 *
 * <p>The averaging belongs to one training loop; forward passes from other threads ({@code infer}
 * while training runs) take turns with it on the one session.
 */
final class TargetGraph {
    private final SameDiff graph;
    private final List<String> parameters;
    private final ForgetfulSession session;

    private TargetGraph(SameDiff graph) {
        this.graph = graph;
        List<String> names = new ArrayList<>();
        for (SDVariable v : graph.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        this.parameters = List.copyOf(names);
        this.session = new ForgetfulSession(graph);
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
    synchronized INDArray output(Map<String, INDArray> inputs, String output) {
        return session.output(List.of(output), inputs, null, List.of(), List.of(), At.defaultAt(Operation.INFERENCE))
                .get(output);
    }

    /**
     * SameDiff M2.1's inference session with one leak removed. {@code InferenceSession} records the
     * id of each array it hands back to its memory manager in {@code freedArrays}, a set that is
     * never cleared: about 200 bytes of heap per op per forward pass, forever (a momentum run of
     * 100,000 steps grew the heap by 40 MB). The set only guards against releasing an array twice
     * within one pass: the session clears its array-use tracker at the start of every pass, and
     * arrays reused from the cache get new ids. Clearing the set at the same point keeps that guard
     * and bounds the memory.
     */
    static final class ForgetfulSession extends InferenceSession {
        ForgetfulSession(SameDiff graph) {
            super(graph);
        }

        /** How many released-array ids the session holds now. */
        int releasedIdsKept() {
            return freedArrays.size();
        }

        @Override
        protected Map<String, INDArray> preprocessPlaceholders(Map<String, INDArray> placeholders, At at) {
            freedArrays.clear();
            return super.preprocessPlaceholders(placeholders, at);
        }
    }

    @Override
    public String toString() {
        return "TargetGraph(parameters=" + parameters + ")";
    }
}
