package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A loss built on a fresh graph with one trainable input, evaluated and differentiated by SameDiff;
 * the gradient is flattened in row-major order.
 */
final class GraphResult {
    final double value;
    final double[] gradient;

    private GraphResult(double value, double[] gradient) {
        this.value = value;
        this.gradient = gradient;
    }

    /**
     * @param input the values of the variable {@code "x"}
     * @param loss builds the loss from the graph and {@code x}
     */
    static GraphResult of(INDArray input, BiFunction<SameDiff, SDVariable, SDVariable> loss) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", input);
        SDVariable nll = loss.apply(sd, x);
        nll.markAsLoss();
        double value = nll.eval().getDouble(0);
        GradientFunction.createQuietly(sd);
        INDArray gradient = sd.calculateGradients(Map.of(), "x").get("x");
        assertEquals(input.dataType(), gradient.dataType(), "gradient data type");
        assertTrue(Arrays.equals(input.shape(), gradient.shape()), "gradient shape");
        return new GraphResult(value, gradient.castTo(DataType.DOUBLE).reshape(gradient.length()).toDoubleVector());
    }

    /** Labels {@code [n, 2]} of double type from time and event vectors. */
    static INDArray labels(INDArray time, INDArray event) {
        return Nd4j.hstack(time.reshape(time.length(), 1), event.reshape(event.length(), 1))
                .castTo(DataType.DOUBLE);
    }

    /** Asserts {@code |actual - expected| <= rel * |expected| + abs}. */
    static void assertClose(double expected, double actual, double rel, double abs, String what) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected) + abs,
                () -> what + ": expected " + expected + " but was " + actual + " (difference "
                        + (actual - expected) + ")");
    }

    /** Element-wise {@link #assertClose(double, double, double, double, String)}. */
    static void assertClose(double[] expected, double[] actual, double rel, double abs, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], rel, abs, what + "[" + i + "]");
        }
    }
}
