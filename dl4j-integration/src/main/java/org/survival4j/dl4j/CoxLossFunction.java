package org.survival4j.dl4j;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;

/**
 * The negative Cox partial log-likelihood as a DL4J loss function: plug it into an output layer
 * with one output (the log relative hazard) and identity activation.
 *
 * <p><b>Layout.</b> Labels are {@code [n, 2]}: column 0 the observed time (finite, {@code >= 0}),
 * column 1 the event indicator (1 = event, 0 = censored). The pre-activation output is
 * {@code [n, 1]}; the layer's activation is applied to it (identity is the usual choice, so the
 * output is the log hazard \( \eta \)).
 *
 * <p><b>Value.</b> The loss of a batch is {@link CoxPartialLikelihood}'s MEAN value: the negative
 * partial log-likelihood of the batch rows (Efron or Breslow ties, risk sets by value) divided by
 * the number of events; {@code net.score()} is exactly that value and the updater sees exactly its
 * gradient (DL4J's loss scaling: {@link LossEvaluation}). A batch without events has loss 0 and a zero gradient (as
 * in the core loss); such batches are counted by {@link #batchesWithoutEvents()} and the first one
 * is logged.
 *
 * <p><b>Masks.</b> A labels mask entry ({@code [n, 1]}) of 0 leaves
 * the row out of the likelihood entirely: it is in no risk set, its event does not count, and its
 * gradient is 0. Its labels and output are not checked, so padding rows may hold anything. The
 * minibatch size DL4J divides by still counts masked rows, and so does the scaling, so
 * {@code net.score()} is the Cox MEAN loss of the unmasked rows.
 *
 * <p><b>Per-example scores.</b> The partial likelihood compares rows with each other and is not a
 * sum of per-row terms, so {@link #computeScoreArray} has no per-row loss to report. It spreads the
 * batch value evenly over the unmasked rows (masked rows get 0): the array sums to
 * {@code computeScore(..., false)} and its mean over the {@code n} rows equals the batch loss, as
 * DL4J's own losses guarantee. Do not read the individual entries as row-level losses.
 *
 * <p><b>One computation per batch.</b> In each iteration DL4J calls {@code computeGradient} and then
 * {@code computeScore} on the same batch. The value and the gradient come from one pass of the
 * kernel and the result is kept for the next call. The inputs are copied out of DL4J's arrays (which
 * may live in a workspace that is reused) and the kept result is used only if the next call's
 * output, labels, mask and activation are equal value for value; no reference to a DL4J array is
 * kept.
 *
 * <p><b>Bad input</b> (labels not {@code [n, 2]}, an output with other than one column, a NaN or
 * infinite output, a negative or NaN time, an event other than 0/1, a mask other than 0/1) throws an
 * {@link IllegalArgumentException} naming the problem, the row and the value, before anything is
 * computed, so the network's parameters are not updated.
 *
 * <p><b>Serialization.</b> The tie method is the only hyperparameter; it is written to the
 * network's JSON configuration (and so survives {@code ModelSerializer}). Kept results and the
 * no-event counter are not serialized.
 *
 * <p>Thread safety: the kept result is replaced atomically and never mutated, so one instance may be
 * used from several threads (e.g. shared by cloned networks); the cache then simply hits less often.
 *
 * <pre>{@code
 * MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
 *         .updater(new Adam(1e-3))
 *         .list()
 *         .layer(new DenseLayer.Builder().nIn(8).nOut(32).activation(Activation.RELU).build())
 *         .layer(new OutputLayer.Builder(new CoxLossFunction()).nIn(32).nOut(1)
 *                 .activation(Activation.IDENTITY).build())
 *         .build();
 * }</pre>
 *
 * @see CoxPartialLikelihood
 * @since 0.1
 */
public final class CoxLossFunction extends SurvivalLossFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CoxLossFunction.class);

    @JsonProperty("ties")
    private final Ties ties;

    @JsonIgnore
    private final transient CoxPartialLikelihood likelihood;
    @JsonIgnore
    private final transient AtomicLong batchesWithoutEvents = new AtomicLong();

    /** Efron ties, as R's {@code coxph} by default. */
    public CoxLossFunction() {
        this(Ties.EFRON);
    }

    /**
     * @param ties how events that share a time are handled
     */
    @JsonCreator
    public CoxLossFunction(@JsonProperty("ties") Ties ties) {
        this.ties = SurvivalArguments.checkNotNull(ties, "ties");
        this.likelihood = new CoxPartialLikelihood(ties, Reduction.MEAN);
    }

    /** The tie method. */
    public Ties ties() {
        return ties;
    }

    /**
     * Number of batches seen so far (counted once per distinct batch, not per call) whose pooled
     * rows held no event: their loss was 0 with a zero gradient.
     */
    public long batchesWithoutEvents() {
        return batchesWithoutEvents.get();
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
        return "[n, 1]: one log relative hazard per row (nOut(1) on the output layer)";
    }

    @Override
    ValueAndGradient likelihood(double[][] output, double[] start, double[] time, double[] event, int firstRow) {
        double[] logHz = firstColumn(output);
        return start == null ? likelihood.valueAndGradient(logHz, time, event, null, firstRow)
                : likelihood.valueAndGradient(logHz, start, time, event, null, firstRow);
    }

    @Override
    boolean takesStart() {
        return true;
    }

    @Override
    boolean partialLikelihood() {
        return true;
    }

    @Override
    void evaluated(ValueAndGradient result, int pooledRows) {
        if (result.events() == 0 && batchesWithoutEvents.getAndIncrement() == 0) {
            LOG.warn("{}: a batch of {} rows has no event; its loss is 0 with a zero gradient. "
                    + "Further such batches are counted (batchesWithoutEvents()), not logged.", this, pooledRows);
        }
    }

    @Override
    SurvivalLossFunction freshCopy() {
        return new CoxLossFunction(ties);
    }

    /** Java deserialization: rebuild the transient state. */
    private Object readResolve() {
        return deserializedCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoxLossFunction c && c.ties == ties;
    }

    @Override
    public int hashCode() {
        return Objects.hash(CoxLossFunction.class, ties);
    }

    @Override
    public String toString() {
        return "CoxLossFunction(ties=" + ties + ", reduction=MEAN)";
    }
}
