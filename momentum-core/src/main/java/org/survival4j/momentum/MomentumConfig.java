package org.survival4j.momentum;

import java.util.Objects;
import org.survival4j.data.SurvivalArguments;

/**
 * The settings of momentum training, shared by every front end (DL4J's {@code Momentum},
 * {@code SameDiffMomentum}, the CLI): the batch size the memory bank is sized for, the number of
 * batches it remembers, and the EMA rate of the target network.
 *
 * <p>The bank holds {@code steps * batchSize} rows. Actual batches may be smaller (a final partial
 * batch); the bank is a ring of rows. Each training loss pools a batch of {@code n} rows with the
 * newest {@code steps * batchSize - n} bank rows, as torchsurv's memory of {@code steps} batches
 * does: with the defaults (batch 16, 10 steps, rate 0.999) each Cox loss sees up to 160 rows while
 * the optimizer sees 16.
 *
 * <pre>{@code
 * MomentumConfig config = MomentumConfig.builder().batchSize(16).steps(10).rate(0.999).build();
 * config.bankCapacity();   // 160
 * }</pre>
 *
 * <p>Immutable; validated when built.
 *
 * @since 0.1
 */
public final class MomentumConfig {
    private final int batchSize;
    private final int steps;
    private final double rate;

    private MomentumConfig(Builder b) {
        SurvivalArguments.atLeast(b.batchSize, "batchSize", 1);
        SurvivalArguments.atLeast(b.steps, "steps", 1);
        if ((long) b.batchSize * b.steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batchSize * steps = " + (long) b.batchSize * b.steps
                    + " rows is too large for a memory bank");
        }
        this.batchSize = b.batchSize;
        this.steps = b.steps;
        this.rate = SurvivalArguments.inRange(b.rate, "rate", 0, 1, true);
    }

    /** A builder with the defaults batch size 16, 10 steps, rate 0.999. */
    public static Builder builder() {
        return new Builder();
    }

    /** The batch size the bank is sized for. */
    public int batchSize() {
        return batchSize;
    }

    /** How many batches of target outputs the bank remembers. */
    public int steps() {
        return steps;
    }

    /** The EMA rate {@code m} of the target network. */
    public double rate() {
        return rate;
    }

    /** Rows in the memory bank, and the most rows one loss pools: {@code steps * batchSize}. */
    public int bankCapacity() {
        return steps * batchSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MomentumConfig c && c.batchSize == batchSize && c.steps == steps
                && Double.compare(c.rate, rate) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchSize, steps, rate);
    }

    @Override
    public String toString() {
        return "MomentumConfig(batchSize=" + batchSize + ", steps=" + steps + ", rate=" + rate + ")";
    }

    /** Builds a {@link MomentumConfig}; every setter is optional. */
    public static final class Builder {
        private int batchSize = 16;
        private int steps = 10;
        private double rate = 0.999;

        private Builder() {
        }

        /** The batch size the memory bank is sized for (default 16). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Number of batches remembered by the bank (default 10). */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** EMA rate in [0, 1] (default 0.999, as MoCo). */
        public Builder rate(double rate) {
            this.rate = rate;
            return this;
        }

        /** The validated configuration. */
        public MomentumConfig build() {
            return new MomentumConfig(this);
        }
    }
}
