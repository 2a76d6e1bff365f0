package org.survival4j.samediff;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;

/**
 * The kernel-gradient form of a survival loss inside a graph: the surrogate
 * \( \tilde L = \sum_{ij} y_{ij} G_{ij} \) of the output \( y \) and a constant \( G \) that holds,
 * at each training iteration, \( \partial L / \partial y \) of the true loss \( L \) computed by its
 * closed-form kernel on this iteration's outputs. With \( G \) held constant,
 * \( \partial \tilde L / \partial \theta = \sum_{ij} G_{ij}\, \partial y_{ij} / \partial \theta
 * = \partial L / \partial \theta \) for every parameter \( \theta \) (chain rule): SameDiff's
 * backward pass gives the true loss's parameter gradients, from one op ({@code reduce_dot_bp})
 * where the graph losses need 50-76.
 *
 * <p>How \( G \) gets its values (SameDiff 1.0.0-M2.1, read from its sources): {@code sd.fit}
 * runs the forward pass in a {@code TrainingSession}, which takes each constant's array (the
 * reference) when the pass starts and calls the listeners' {@code activationAvailable} as soon as
 * an op has produced its output, before any op that consumes it. The listener sizes \( G \) to the
 * batch in {@code iterationStart} ({@link #prepare}), and when the output appears computes the
 * kernel on it and writes the gradient into \( G \)'s array in place ({@link #fill}); the dot
 * product and its gradient op read the output, so they run after that write. The array is made with
 * the output's data type, so the session uses it as it is (no copy).
 *
 * <p>The surrogate's value is not the likelihood (and outside {@code fit} \( G \) holds the last
 * iteration's gradient): listeners report the kernel's value instead ({@link #report}).
 *
 * <p>Not thread-safe: it belongs to one graph and its training loop.
 */
final class KernelGradient {
    private static final String GRADIENT = "/gradient";
    private static final String LOSS = "/loss";

    private final SameDiff sd;
    private final String output;
    private final SDVariable gradient;
    private final String lossName;
    private final int columns;
    private int rank; // the output's rank, 1 or 2; 0 until known

    private KernelGradient(SameDiff sd, String output, SDVariable gradient, String lossName, int columns) {
        this.sd = sd;
        this.output = output;
        this.gradient = gradient;
        this.lossName = lossName;
        this.columns = columns;
    }

    /** Whether {@link #build} would clash with names already in the graph. */
    static void checkNames(SameDiff sd, String prefix) {
        for (String name : new String[] {prefix + GRADIENT, prefix + LOSS}) {
            if (sd.hasVariable(name)) {
                throw new IllegalArgumentException("the graph already has a variable " + name
                        + ": was the loss attached twice?");
            }
        }
    }

    /**
     * Adds the surrogate to the graph and marks it as a loss variable.
     *
     * @param output the output the loss reads, {@code [n, columns]} (or {@code [n]} for one column)
     */
    static KernelGradient build(SameDiff sd, String prefix, SDVariable output, int columns) {
        checkNames(sd, prefix);
        SDVariable g = sd.constant(prefix + GRADIENT, Nd4j.zeros(output.dataType(), 0, columns));
        SDVariable loss = sd.dot(prefix + LOSS, output, g);
        loss.markAsLoss();
        return new KernelGradient(sd, output.name(), g, loss.name(), columns);
    }

    /** Whether a graph holds the surrogate {@link #build} adds under {@code prefix}. */
    static boolean isIn(SameDiff sd, String prefix) {
        return sd.hasVariable(prefix + GRADIENT) && sd.getVariable(prefix + GRADIENT).getVariableType()
                == VariableType.CONSTANT && sd.getLossVariables().equals(List.of(prefix + LOSS));
    }

    /** Finds the surrogate {@link #build} added (a graph loaded from a file). */
    static KernelGradient find(SameDiff sd, String prefix, String output, int columns) {
        if (!isIn(sd, prefix)) {
            throw new IllegalArgumentException("the graph has no kernel-gradient loss " + prefix + LOSS
                    + " (with the constant " + prefix + GRADIENT + ") as its only loss variable");
        }
        return new KernelGradient(sd, output, sd.getVariable(prefix + GRADIENT), prefix + LOSS, columns);
    }

    /** The name of the graph's loss variable: its value is the surrogate, not the likelihood. */
    String lossName() {
        return lossName;
    }

    /**
     * Before the forward pass: gives \( G \) the shape of this batch's output (a new array only
     * when the number of rows changes). The output's rank is learnt once, by a forward pass of the
     * output alone in a session of its own on the first batch: SameDiff does not know op output
     * shapes before they run, and the dot product needs equal shapes.
     *
     * @param placeholders the batch's placeholder values (features, labels) for that one pass
     */
    void prepare(int rows, Map<String, INDArray> placeholders) {
        if (rank == 0) {
            INDArray probe = new TargetGraph.ForgetfulSession(sd).output(List.of(output), placeholders, null,
                    List.of(), List.of(), At.defaultAt(Operation.INFERENCE)).get(output);
            rank = probe.rank() == 1 && columns == 1 ? 1 : 2;
        }
        long[] shape = rank == 1 ? new long[] {rows} : new long[] {rows, columns};
        INDArray current = gradient.getArr();
        if (current == null || !Arrays.equals(current.shape(), shape) || !NDArrays.isWholeBuffer(current)) {
            gradient.setArray(Nd4j.zeros(gradient.dataType(), shape));
        }
    }

    /**
     * While the forward pass runs, after the output and before anything reads it: writes the
     * gradient of the true loss with respect to the output into \( G \), in place.
     *
     * @param values {@code d loss / d output}, row-major, of the shape given to {@link #prepare}
     * @throws IllegalArgumentException if a value does not fit the graph's data type (a float graph
     *     and a gradient above about 3.4e38)
     */
    void fill(double[] values) {
        INDArray g = gradient.getArr();
        DataType type = g.dataType();
        if (type != DataType.DOUBLE) {
            double max = type == DataType.FLOAT ? Float.MAX_VALUE : type == DataType.HALF ? 65504 : 3.38e38;
            for (int i = 0; i < values.length; i++) {
                if (!(Math.abs(values[i]) <= max)) {
                    throw new IllegalArgumentException("the loss gradient " + values[i] + " of output " + output
                            + " (value " + i + ", row-major) overflows the graph's " + type
                            + ": the network is likely diverging");
                }
            }
        }
        if (NDArrays.into(g, values, type, g.shape()) != g) {
            throw new IllegalStateException("the gradient array of " + lossName + " could not be written in place");
        }
    }

    /**
     * Puts the kernel's value in place of the surrogate's in the losses SameDiff hands to its
     * listeners and records in its history (SameDiff M2.1 does not evaluate the loss variable
     * during training and reports 0 for it).
     */
    void report(org.nd4j.autodiff.listeners.Loss losses, double value) {
        int i = losses == null ? -1 : losses.getLossNames().indexOf(lossName);
        if (i >= 0) {
            losses.getLosses()[i] = value;
        }
    }

    @Override
    public String toString() {
        return "KernelGradient(" + lossName + " = dot(" + output + ", " + gradient.name() + "))";
    }
}
