package org.survival4j.dl4j;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.CauseSpecificCox;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;

/**
 * The cause-specific Cox loss for competing risks ({@link CauseSpecificCox}) as a DL4J loss
 * function: an output layer with one output per cause (the log cause-specific hazard) and identity
 * activation.
 *
 * <p><b>Layout.</b> Labels are {@code [n, 2]} (time, cause) or {@code [n, 3]} (start, stop, cause)
 * for counting-process rows, with cause 0 = censored and {@code 1..K} the event's cause; the
 * output is {@code [n, K]} ({@code nOut(K)} for the {@code K} causes given to the constructor),
 * column {@code k - 1} for cause {@code k}.
 * <b>Value:</b> {@link CauseSpecificCox}'s MEAN (the summed per-cause partial likelihoods over the
 * events of all causes); {@code net.score()} is exactly that value (DL4J's loss scaling:
 * {@link LossEvaluation}). <b>Masks</b> and <b>per-example scores</b> as {@link CoxLossFunction}.
 * The number of causes and the tie method are written to the network's JSON.
 *
 * <p><b>Momentum</b> ({@link Momentum}): the bank keeps each row's cause, and each cause's risk sets
 * pool the bank rows with the batch rows, so a step is the step of plain training on [bank rows ;
 * batch]; the gradient cache and data-parallel training likewise pool per cause.
 *
 * <pre>{@code
 * new OutputLayer.Builder(new CauseSpecificCoxLossFunction(2)).nOut(2)   // two causes
 *         .activation(Activation.IDENTITY).build();
 * }</pre>
 *
 * @since 0.3
 */
public final class CauseSpecificCoxLossFunction extends SurvivalLossFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty("causes")
    private final int causes;
    @JsonProperty("ties")
    private final Ties ties;
    @JsonIgnore
    private final transient CauseSpecificCox likelihood;

    /** {@code causes} causes, Efron ties (R's {@code coxph} default). */
    public CauseSpecificCoxLossFunction(int causes) {
        this(causes, Ties.EFRON);
    }

    /**
     * @param causes the number of causes \( K \ge 1 \): the output layer's {@code nOut}
     * @param ties how events of one cause that share a time are handled
     */
    @JsonCreator
    public CauseSpecificCoxLossFunction(@JsonProperty("causes") int causes, @JsonProperty("ties") Ties ties) {
        this.causes = SurvivalArguments.atLeast(causes, "causes", 1);
        this.ties = SurvivalArguments.checkNotNull(ties, "ties");
        this.likelihood = new CauseSpecificCox(ties, Reduction.MEAN);
    }

    /** The number of causes. */
    public int causes() {
        return causes;
    }

    /** The tie method. */
    public Ties ties() {
        return ties;
    }

    @Override
    int minColumns() {
        return causes;
    }

    @Override
    int maxColumns() {
        return causes;
    }

    @Override
    String expectedOutput() {
        return "[n, " + causes + "]: one log hazard per cause (nOut(" + causes + ") on the output layer)";
    }

    @Override
    int eventCodes() {
        return causes;
    }

    @Override
    boolean partialLikelihood() {
        return true;
    }

    @Override
    boolean takesStart() {
        return true;
    }

    @Override
    ValueAndGradient likelihood(double[][] output, double[] start, double[] time, double[] event, int firstRow) {
        return likelihood.valueAndGradient(output, start, time, event, null, firstRow);
    }

    @Override
    SurvivalLossFunction freshCopy() {
        return new CauseSpecificCoxLossFunction(causes, ties);
    }

    /** Java deserialization: rebuild the transient state. */
    private Object readResolve() {
        return deserializedCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CauseSpecificCoxLossFunction c && c.causes == causes && c.ties == ties;
    }

    @Override
    public int hashCode() {
        return Objects.hash(CauseSpecificCoxLossFunction.class, causes, ties);
    }

    @Override
    public String toString() {
        return "CauseSpecificCoxLossFunction(causes=" + causes + ", ties=" + ties + ", reduction=MEAN)";
    }
}
