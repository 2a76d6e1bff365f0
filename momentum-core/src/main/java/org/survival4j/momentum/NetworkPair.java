package org.survival4j.momentum;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How the {@link MomentumEngine} reaches the two networks of momentum training: the online one,
 * trained by the framework's optimizer, and the target, the moving average the engine updates.
 * Each front end implements it for its framework (a DL4J network pair, a SameDiff graph pair).
 *
 * <pre>{@code
 * NetworkPair pair = new NetworkPair() {
 *     public List<INDArray> onlineParameters() { return List.of(online.params()); }
 *     public List<INDArray> targetParameters() { return List.of(target.params()); }
 *     public String parameterName(int i) { return "params()"; }
 *     public double[][] targetOutput() { return rows(target.output(stepInputs)); }
 * };
 * }</pre>
 *
 * @since 0.1
 */
public interface NetworkPair {
    /**
     * The online network's parameter arrays, after the optimizer step; read, never changed.
     */
    List<INDArray> onlineParameters();

    /**
     * The target network's parameter arrays, in the order of {@link #onlineParameters()}, each of
     * the same length and data type; the engine updates them in place.
     */
    List<INDArray> targetParameters();

    /** The name of parameter array {@code i}, for messages. */
    String parameterName(int i);

    /**
     * The target network's output (inference mode) for the rows of the step being completed, as
     * Java rows {@code [n][columns]}: the rows whose labels were given to
     * {@link MomentumEngine#stepDone}, in that order.
     */
    double[][] targetOutput();
}
