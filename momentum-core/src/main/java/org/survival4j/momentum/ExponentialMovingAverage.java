package org.survival4j.momentum;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;

/**
 * The momentum (target) network's update: an exponential moving average of the online parameters,
 * \( \theta_k \leftarrow m\,\theta_k + (1 - m)\,\theta_q \) (He et al. 2020, eq. 2).
 *
 * <p>The update runs in place and allocates nothing. Large arrays (a DL4J network's flattened
 * parameters) take two native ops, {@code scal} then {@code axpy}; arrays of at most
 * {@value #JAVA_LIMIT} float or double values (the variables of a small SameDiff graph, one update
 * each) are updated from Java through their buffers, since there each native op costs more than
 * the arithmetic (about 10 µs, and the occasional millisecond stall, docs/dl4j-notes.md).
 *
 * <pre>{@code
 * ExponentialMovingAverage ema = new ExponentialMovingAverage(0.999);
 * ema.update(target.params(), online.params());   // both flattened views
 * }</pre>
 *
 * <p>Immutable; {@link #update} is not atomic with respect to concurrent readers of the target.
 *
 * @since 0.1
 */
final class ExponentialMovingAverage {
    static final int JAVA_LIMIT = 1 << 14;
    private final double rate;

    /** @param rate the momentum {@code m} in {@code [0, 1]}; 0.999 is MoCo's and torchsurv's default */
    ExponentialMovingAverage(double rate) {
        this.rate = SurvivalArguments.inRange(rate, "rate", 0, 1, true);
    }

    /** The momentum {@code m}. */
    double rate() {
        return rate;
    }

    /**
     * Moves {@code target} towards {@code online}, in place.
     *
     * @param target the target parameters (updated)
     * @param online the online parameters, same length and data type
     */
    void update(INDArray target, INDArray online) {
        if (target.length() != online.length() || target.dataType() != online.dataType()) {
            throw new IllegalArgumentException("target has " + target.length() + " " + target.dataType()
                    + " parameters but online has " + online.length() + " " + online.dataType());
        }
        boolean small = target.length() <= JAVA_LIMIT && NDArrays.isWholeBuffer(target) && NDArrays.isWholeBuffer(online);
        if (small && target.dataType() == DataType.FLOAT) {
            FloatBuffer t = target.data().asNioFloat();
            FloatBuffer q = online.data().asNioFloat();
            float m = (float) rate;
            float a = (float) (1 - rate);
            for (int i = 0; i < target.length(); i++) {
                t.put(i, m * t.get(i) + a * q.get(i));
            }
        } else if (small && target.dataType() == DataType.DOUBLE) {
            DoubleBuffer t = target.data().asNioDouble();
            DoubleBuffer q = online.data().asNioDouble();
            for (int i = 0; i < target.length(); i++) {
                t.put(i, rate * t.get(i) + (1 - rate) * q.get(i));
            }
        } else {
            target.muli(rate);
            Nd4j.exec(new Axpy(online, target, target, 1 - rate));
        }
    }

    @Override
    public String toString() {
        return "ExponentialMovingAverage(rate=" + rate + ")";
    }
}
