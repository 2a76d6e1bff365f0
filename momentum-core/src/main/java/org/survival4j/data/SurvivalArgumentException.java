package org.survival4j.data;

import java.util.Locale;

/**
 * Thrown when survival data or a loss input is invalid. The message names the argument, the row
 * and the offending value, e.g. {@code "time[17] = -3.0: times must be finite and >= 0"}.
 *
 * <p>All message templates live here so that every entry point reports the same problem in the same words.
 *
 * @since 0.1
 */
public final class SurvivalArgumentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    static final String NOT_FINITE = "%s[%d] = %s: values must be finite";
    static final String NOT_FINITE_CELL = "%s[%d, %d] = %s: values must be finite";
    static final String NOT_FINITE_AT = "%s[%s] = %s: values must be finite";
    static final String NEGATIVE_TIME = "%s[%d] = %s: times must be finite and >= 0";
    static final String NOT_BINARY = "%s[%d] = %s: events must be 0 (censored) or 1 (event)";
    static final String NOT_CAUSE = "%s[%d] = %s: causes must be whole numbers from 0 (censored) to %d (the number of causes)";
    static final String NOT_ANY_CAUSE = "%s[%d] = %s: causes must be whole numbers >= 0 (0 = censored)";
    static final String NOT_GRID_INDEX = "%s[%d] = %s: grid indices must be whole numbers from 0 to %d";
    static final String LENGTH = "%s has %d rows but %s have %d";
    static final String SHAPE = "%s has shape %s: expected %s";
    static final String NULL = "%s must not be null";
    static final String RANGE = "%s = %s: expected %s";
    static final String PROBABILITY = "%s[%d] = %s: probabilities must lie in [0, 1]";
    static final String NO_EVENTS = "%s has no events: %s needs at least one";
    static final String UNDEFINED = "%s is undefined: %s";

    SurvivalArgumentException(String template, Object... args) {
        super(String.format(Locale.ROOT, template, args));
    }
}
