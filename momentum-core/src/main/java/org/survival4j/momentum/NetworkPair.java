package org.survival4j.momentum;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How the {@link MomentumEngine} reaches the two networks of momentum training: the online one,
 * trained by the framework's optimizer, and the target, the moving average the engine updates.
 * Each front end implements it (a DL4J network pair, a SameDiff graph pair); the engine calls it
 * only inside {@link MomentumEngine#stepDone}.
 *
 * @since 0.1
 */
public interface NetworkPair {
    /** The online parameter arrays, after the optimizer step; read, never changed. */
    List<INDArray> onlineParameters();

    /** The target parameter arrays, in the same order, lengths and types; updated in place. */
    List<INDArray> targetParameters();

    /** The name of parameter array {@code i}, for messages. */
    String parameterName(int i);

    /**
     * The target's output (inference mode) for the rows of the step being completed, as Java rows
     * {@code [n][columns]}, in the order of the labels given to {@link MomentumEngine#stepDone}.
     */
    double[][] targetOutput();
}
