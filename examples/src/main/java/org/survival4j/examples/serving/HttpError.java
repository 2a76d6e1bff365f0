package org.survival4j.examples.serving;

/**
 * A request the scoring server refuses: the HTTP status (4xx) and a one-line message for the
 * client, sent as {@code {"error": message}}.
 */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false); // a client's mistake: no stack trace to fill or log
        this.status = status;
    }

    int status() {
        return status;
    }
}
