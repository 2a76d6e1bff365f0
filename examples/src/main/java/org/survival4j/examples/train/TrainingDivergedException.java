package org.survival4j.examples.train;

/**
 * Training stopped because it diverged (a loss refused a NaN or infinite output, a momentum step
 * diverged): the message says so and what to try. An {@link InvalidInputException}, so the CLI
 * reports it as a data problem, in one line.
 */
public final class TrainingDivergedException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what diverged and what to try
     * @param cause the loss's or the momentum step's error
     */
    public TrainingDivergedException(String message, Throwable cause) {
        super(message, cause);
    }
}
