package org.survival4j.dl4j;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.DeepHit;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.ValueAndGradient;

/**
 * The DeepHit loss ({@link DeepHit}) as a DL4J loss function: an output layer with {@code K * G}
 * outputs (the logits of each cause and grid interval, cause-major) and identity activation; the
 * softmax is part of the loss.
 *
 * <p><b>Layout.</b> Labels are {@code [n, 2]}: column 0 the grid interval of the row's event or
 * censoring (a whole number {@code 0..G-1}), column 1 the cause (0 = censored, {@code 1..K}).
 * <b>Value:</b> {@link DeepHit}'s MEAN, \( \alpha L_1 + (1 - \alpha) L_2 \) as pycox's
 * {@code DeepHitLoss}; {@code net.score()} is exactly that value. The ranking term pairs the rows
 * of the batch with each other, so <b>per-example scores</b> are the batch value spread evenly, as
 * for {@link CoxLossFunction}; <b>masks</b> leave rows out entirely. The numbers of causes and
 * intervals, \( \alpha \) and \( \sigma \) are written to the network's JSON. <b>Momentum</b>: the
 * bank keeps each row's grid index and cause, and the likelihood and the ranking pairs span [bank
 * rows ; batch], as plain training on those rows would; the ranking term costs \( O(N^2) \) for
 * \( N \) pooled rows (a bank of 1,000 rows: a million pairs a step).
 *
 * <pre>{@code
 * int causes = 2, grid = 10;
 * new OutputLayer.Builder(new DeepHitLossFunction(causes, grid, 0.2, 0.1)).nOut(causes * grid)
 *         .activation(Activation.IDENTITY).build();
 * }</pre>
 *
 * @since 0.3
 */
public final class DeepHitLossFunction extends SurvivalLossFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty("causes")
    private final int causes;
    @JsonProperty("intervals")
    private final int intervals;
    @JsonProperty("alpha")
    private final double alpha;
    @JsonProperty("sigma")
    private final double sigma;
    @JsonIgnore
    private final transient DeepHit likelihood;

    /**
     * @param causes the number of causes \( K \ge 1 \)
     * @param intervals the number of grid intervals \( G \ge 1 \) (the layer's {@code nOut} is \( K G \))
     * @param alpha the likelihood's weight in [0, 1]
     * @param sigma the ranking term's scale, {@code > 0}
     */
    @JsonCreator
    public DeepHitLossFunction(@JsonProperty("causes") int causes, @JsonProperty("intervals") int intervals,
                               @JsonProperty("alpha") double alpha, @JsonProperty("sigma") double sigma) {
        this.likelihood = new DeepHit(causes, alpha, sigma, Reduction.MEAN);
        this.intervals = SurvivalArguments.atLeast(intervals, "intervals", 1);
        this.causes = causes;
        this.alpha = alpha;
        this.sigma = sigma;
    }

    /** The number of causes. */
    public int causes() {
        return causes;
    }

    /** The number of grid intervals. */
    public int intervals() {
        return intervals;
    }

    /** The likelihood's weight. */
    public double alpha() {
        return alpha;
    }

    /** The ranking term's scale. */
    public double sigma() {
        return sigma;
    }

    @Override
    int minColumns() {
        return causes * intervals;
    }

    @Override
    int maxColumns() {
        return causes * intervals;
    }

    @Override
    String expectedOutput() {
        return "[n, " + causes * intervals + "]: the logits of " + causes + " causes times " + intervals
                + " grid intervals, cause-major";
    }

    @Override
    int eventCodes() {
        return causes;
    }

    @Override
    ValueAndGradient likelihood(double[][] output, double[] start, double[] time, double[] event, int firstRow) {
        return likelihood.valueAndGradient(output, time, event, firstRow);
    }

    @Override
    SurvivalLossFunction freshCopy() {
        return new DeepHitLossFunction(causes, intervals, alpha, sigma);
    }

    /** Java deserialization: rebuild the transient state. */
    private Object readResolve() {
        return deserializedCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeepHitLossFunction d && d.causes == causes && d.intervals == intervals && d.alpha == alpha
                && d.sigma == sigma;
    }

    @Override
    public int hashCode() {
        return Objects.hash(DeepHitLossFunction.class, causes, intervals, alpha, sigma);
    }

    @Override
    public String toString() {
        return "DeepHitLossFunction(causes=" + causes + ", intervals=" + intervals + ", alpha=" + alpha + ", sigma="
                + sigma + ", reduction=MEAN)";
    }
}
