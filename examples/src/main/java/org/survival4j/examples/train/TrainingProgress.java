package org.survival4j.examples.train;

/**
 * What the {@link Trainer} reports after each epoch.
 *
 * @param epoch the epoch just finished, 1-based
 * @param epochs the number of epochs planned
 * @param loss the mean training loss of the epoch's batches (with momentum: the pooled loss over
 *             bank and batch, which is what the optimizer saw)
 * @param validationConcordance Harrell's C of the predictor on the validation data, NaN without it
 * @param elapsedSeconds wall time since training started
 */
public record TrainingProgress(int epoch, int epochs, double loss, double validationConcordance,
                               double elapsedSeconds) {
}
