package org.survival4j.dl4j;

import java.util.Arrays;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;

/**
 * Detached copies of the inputs (and features masks) of the batch a network is training on, for
 * the target network's pass once the step is done. Nothing DL4J hands over is kept by reference:
 * prefetching iterators overwrite their arrays. The buffers are reused from step to step while
 * the shapes stay the same, so no native array is allocated per step.
 *
 * <p>Not thread-safe: one instance belongs to one training thread at a time.
 */
final class BatchInputs {
    private INDArray[] inputs;
    private INDArray[] masks; // or null

    /**
     * Copies the current batch of {@code net}, read in {@code onForwardPass}. Inputs that are not
     * finite are refused here, before the loss and the updater (plain DL4J training takes them, and
     * a NaN gradient then ruins the weights).
     *
     * @param activations what {@code onForwardPass} received
     */
    void copy(NetworkHandle net, Object activations) {
        INDArray[] in = net.currentInputs(activations);
        INDArray[] inMasks = net.currentInputMasks();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            inputs = copyInto(inputs, in);
            masks = inMasks == null ? null : copyInto(masks, inMasks);
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                SurvivalArguments.finiteValues(inputs[i], inputs.length == 1 ? "features" : "features " + i);
            }
        }
    }

    /** True once a batch was copied. */
    boolean present() {
        return inputs != null;
    }

    /** The target's output on the copied batch, all rows ({@link NetworkHandle#outputRows}). */
    double[][] targetRows(NetworkHandle target) {
        return target.outputRows(inputs, masks);
    }

    /**
     * {@code sources}' values in {@code buffers} (null entries stay null), reallocated only where the
     * count, type or shape changes.
     */
    private static INDArray[] copyInto(INDArray[] buffers, INDArray[] sources) {
        INDArray[] out = buffers != null && buffers.length == sources.length ? buffers : new INDArray[sources.length];
        for (int i = 0; i < sources.length; i++) {
            INDArray source = sources[i];
            if (source == null) {
                out[i] = null;
                continue;
            }
            boolean fits = out[i] != null && out[i].dataType() == source.dataType()
                    && Arrays.equals(out[i].shape(), source.shape());
            if (!fits) {
                out[i] = Nd4j.createUninitialized(source.dataType(), source.shape());
            }
            out[i].assign(source);
        }
        return out;
    }
}
