package org.survival4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How every front end is compared with the torchsurv traces ({@link MomentumTrace}): float32 runs
 * on both sides, so agreement to about 1e-7; the tolerances leave 4x the largest error measured
 * (losses 2.2e-7 relative, weights 9e-8 and probe outputs 2.4e-7 absolute, on the engine, DL4J and
 * SameDiff's graph loss alike), 2x for SameDiff's kernel gradient on the Weibull trace (weights
 * 2.4e-7, probe outputs 4.8e-7: its gradient is computed in double and rounded once).
 */
public final class TraceComparison {
    /** Loss of each iteration, relative. */
    public static final double LOSS_REL = 1e-6;
    /** Final online and target weights and the probe outputs, absolute. */
    public static final double WEIGHT_ABS = 1e-6;

    private TraceComparison() {
    }

    /** The loss of one iteration against the trace's. */
    public static void assertLoss(double expected, double actual, String what) {
        assertEquals(expected, actual, LOSS_REL * Math.abs(expected), what);
    }

    /** Weights or outputs against the trace's: same number of values, each within {@link #WEIGHT_ABS}. */
    public static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + ": length");
        double error = expected.reshape(expected.length()).castTo(DataType.DOUBLE)
                .sub(actual.reshape(actual.length()).castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertEquals(0, error, WEIGHT_ABS, what + ": largest absolute error");
    }
}
