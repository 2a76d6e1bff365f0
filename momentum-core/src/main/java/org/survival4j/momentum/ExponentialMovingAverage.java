package org.survival4j.momentum;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;

/**
 * The momentum (target) network's update: an exponential moving average of the online parameters,
 * \( \theta_k \leftarrow m\,\theta_k + (1 - m)\,\theta_q \) (He et al. 2020, eq. 2).
 *
 * <p>The update runs in place on the target's flattened parameter view with two native ops
 * ({@code scal} then {@code axpy}); it allocates nothing, so its cost is a pass over the
 * parameters whatever their number.
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
        target.muli(rate);
        Nd4j.exec(new Axpy(online, target, target, 1 - rate));
    }

    @Override
    public String toString() {
        return "ExponentialMovingAverage(rate=" + rate + ")";
    }
}
