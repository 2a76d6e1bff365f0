package org.survival4j.dl4j;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.FineGray;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;

/**
 * The Fine-Gray loss of one cause of interest ({@link FineGray}) as a DL4J loss function: an output
 * layer with one output (the log subdistribution hazard of that cause) and identity activation.
 *
 * <p><b>Layout.</b> Labels are {@code [n, 2]} (time, cause), cause 0 = censored, any other whole
 * number the event's cause; the output is {@code [n, 1]}. The censoring weights are built from the
 * unmasked rows of each batch (with momentum, of the pooled rows). <b>Value:</b> {@link FineGray}'s MEAN (over the events of the cause
 * of interest); {@code net.score()} is exactly that value. <b>Masks</b> and <b>per-example
 * scores</b> as {@link CoxLossFunction}. The cause and the tie method are written to the network's
 * JSON. <b>Momentum</b>: the bank keeps each row's cause, and the censoring weights and the
 * weighted risk sets come from [bank rows ; batch], as plain training on those rows would.
 *
 * <pre>{@code
 * new OutputLayer.Builder(new FineGrayLossFunction(1, Ties.EFRON)).nOut(1)
 *         .activation(Activation.IDENTITY).build();
 * }</pre>
 *
 * @since 0.3
 */
public final class FineGrayLossFunction extends SurvivalLossFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty("cause")
    private final int cause;
    @JsonProperty("ties")
    private final Ties ties;
    @JsonIgnore
    private final transient FineGray likelihood;

    /**
     * @param cause the cause of interest, {@code >= 1}
     * @param ties how its tied event times are handled
     */
    @JsonCreator
    public FineGrayLossFunction(@JsonProperty("cause") int cause, @JsonProperty("ties") Ties ties) {
        this.likelihood = new FineGray(cause, ties, Reduction.MEAN);
        this.cause = cause;
        this.ties = ties;
    }

    /** The cause of interest. */
    public int cause() {
        return cause;
    }

    /** The tie method. */
    public Ties ties() {
        return ties;
    }

    @Override
    int minColumns() {
        return 1;
    }

    @Override
    int maxColumns() {
        return 1;
    }

    @Override
    String expectedOutput() {
        return "[n, 1]: the log subdistribution hazard of cause " + cause + " (nOut(1) on the output layer)";
    }

    @Override
    int eventCodes() {
        return SurvivalArguments.ANY_CAUSE;
    }

    @Override
    ValueAndGradient likelihood(double[][] output, double[] start, double[] time, double[] event, int firstRow) {
        return likelihood.valueAndGradient(firstColumn(output), time, event, null, firstRow);
    }

    @Override
    SurvivalLossFunction freshCopy() {
        return new FineGrayLossFunction(cause, ties);
    }

    /** Java deserialization: rebuild the transient state. */
    private Object readResolve() {
        return deserializedCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FineGrayLossFunction f && f.cause == cause && f.ties == ties;
    }

    @Override
    public int hashCode() {
        return Objects.hash(FineGrayLossFunction.class, cause, ties);
    }

    @Override
    public String toString() {
        return "FineGrayLossFunction(cause=" + cause + ", ties=" + ties + ", reduction=MEAN)";
    }
}
