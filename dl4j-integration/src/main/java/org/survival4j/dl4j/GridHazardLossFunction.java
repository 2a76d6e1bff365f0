package org.survival4j.dl4j;

import java.util.Arrays;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.ValueAndGradient;

/**
 * The grid-hazard negative log-likelihood ({@link GridHazardLikelihood}) as a DL4J loss function:
 * an output layer with one output per knot, the log hazard of the row at that knot time, and
 * identity activation. The hazard need not be proportional: each row has its own shape over time.
 *
 * <pre>{@code
 * double[] knots = {0, 365, 730, 1095, 1460};                  // knots[0] = 0, strictly increasing
 * new OutputLayer.Builder(new GridHazardLossFunction(knots)).nOut(knots.length)
 *         .activation(Activation.IDENTITY).build();
 * }</pre>
 *
 * <p><b>Layout.</b> Labels are {@code [n, 2]} (time, event) as for the other survival losses; the
 * output is {@code [n, K]} for {@code K} knots. <b>Value:</b> the MEAN over rows of each row's
 * negative log-likelihood, censored rows included. <b>Masks</b> and <b>per-example scores</b> as
 * {@link WeibullLossFunction}. <b>Momentum</b> works as for the Weibull loss and, as there, gains
 * nothing from the bank: the likelihood is a sum over rows, so the bank's rows add a constant to
 * the pooled loss and their count to the mean's denominator, which only rescales the batch's
 * gradient; what remains is the target network, an EMA of the weights. The knots are written
 * to the network's JSON. Thread-safe as {@link CoxLossFunction} is.
 *
 * @see GridHazardLikelihood
 * @since 0.2
 */
public final class GridHazardLossFunction extends SurvivalLossFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty("knots")
    private final double[] knots;
    @JsonIgnore
    private final transient GridHazardLikelihood mean;
    @JsonIgnore
    private final transient GridHazardLikelihood sum;

    /**
     * @param knots the knot times: {@code knots[0] == 0}, strictly increasing, finite
     * @throws IllegalArgumentException naming what is wrong with them
     */
    @JsonCreator
    public GridHazardLossFunction(@JsonProperty("knots") double[] knots) {
        this.mean = new GridHazardLikelihood(knots, Reduction.MEAN);
        this.sum = new GridHazardLikelihood(knots, Reduction.SUM);
        this.knots = mean.knots();
    }

    /** The knots (a copy). */
    public double[] knots() {
        return knots.clone();
    }

    /** Each unmasked row's negative log-likelihood times {@code n / m}, {@code [n, 1]}. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        // firstRow 1 of a one-row array: the value alone, no gradient
        return rowScoreArray(labels, preOutput, activationFn, mask, (output, time, event) -> sum.valueAndGradient(
                new double[][] {output}, new double[] {time}, new double[] {event}, 1).value());
    }

    @Override
    int minColumns() {
        return knots.length;
    }

    @Override
    int maxColumns() {
        return knots.length;
    }

    @Override
    String expectedOutput() {
        return "[n, " + knots.length + "] (the log hazard at each knot)";
    }

    @Override
    ValueAndGradient likelihood(double[][] output, double[] start, double[] time, double[] event, int firstRow) {
        return mean.valueAndGradient(output, time, event, firstRow);
    }

    @Override
    SurvivalLossFunction freshCopy() {
        return new GridHazardLossFunction(knots);
    }

    /** Java deserialization: rebuild the transient state. */
    private Object readResolve() {
        return deserializedCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GridHazardLossFunction g && Arrays.equals(g.knots, knots);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(knots);
    }

    @Override
    public String toString() {
        return "GridHazardLossFunction(knots=" + Arrays.toString(knots) + ", reduction=MEAN)";
    }
}
