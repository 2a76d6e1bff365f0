package org.survival4j.examples.train;

/**
 * A problem with the user's input (a file, a column, a value, an option) that the user can fix:
 * the message is one line, meant to be shown as it is, without a stack trace.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message one line saying what is wrong and, where possible, how to fix it */
    public InvalidInputException(String message) {
        super(message);
    }

    /** @param message one line; {@code cause} is kept for debugging only */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
