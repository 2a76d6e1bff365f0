package org.survival4j.data;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one place where survival inputs are checked. Each method validates an argument and returns
 * it as a plain Java array, so that kernels can trust what they get.
 *
 * <p>Errors are {@link SurvivalArgumentException}s naming the argument, the row and the value.
 * Checks run before anything is computed or updated, so a rejected call has no effect.
 *
 * <pre>{@code
 * double[] t = SurvivalArguments.time(Nd4j.createFromArray(5.0, -1.0), "time", 2);
 * // throws: time[1] = -1.0: times must be finite and >= 0
 * }</pre>
 *
 * @since 0.1
 */
public final class SurvivalArguments {
    /**
     * The largest event code of {@link #eventCodes} when any whole number may be a cause, as for a
     * Fine-Gray model of one cause of interest among any number of others.
     */
    public static final int ANY_CAUSE = Integer.MAX_VALUE;
    /** Whole numbers below this print as integers: every integer up to it is a double exactly. */
    private static final double WHOLE_NUMBER_LIMIT = 1e15;

    private SurvivalArguments() {
    }

    /**
     * Checks a vector of scores (log hazards, risks): shape {@code [n]} or {@code [n, 1]}, all finite.
     *
     * @param values the scores
     * @param name the argument name used in error messages
     * @return the values as a new array
     */
    public static double[] finiteVector(INDArray values, String name) {
        return finiteVector(vector(values, name), name);
    }

    /** As {@link #finiteVector(INDArray, String)} for a Java array (returned as is, not copied). */
    public static double[] finiteVector(double[] v, String name) {
        checkNotNull(v, name);
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new SurvivalArgumentException(SurvivalArgumentException.NOT_FINITE, name, i, v[i]);
            }
        }
        return v;
    }

    /**
     * Checks observed times: {@code n} values, finite and {@code >= 0}.
     *
     * @param time the times, shape {@code [n]} or {@code [n, 1]}
     * @param name the argument name used in error messages
     * @param n the expected number of rows
     * @return the times as a new array
     */
    public static double[] time(INDArray time, String name, int n) {
        return time(vector(time, name), name, n);
    }

    /** As {@link #time(INDArray, String, int)} for a Java array (returned as is, not copied). */
    public static double[] time(double[] time, String name, int n) {
        checkLength(time, name, n);
        for (int i = 0; i < time.length; i++) {
            if (!(time[i] >= 0) || time[i] == Double.POSITIVE_INFINITY) {
                throw new SurvivalArgumentException(SurvivalArgumentException.NEGATIVE_TIME, name, i, time[i]);
            }
        }
        return time;
    }

    /**
     * Checks the entry times of counting-process rows: as many as {@code stop}, each finite,
     * {@code >= 0} and below its row's stop, so that no interval {@code (start, stop]} is empty.
     *
     * @param start the entry times (returned as is, not copied)
     * @param stop the exit times, already checked
     * @throws IllegalArgumentException naming the first bad row
     */
    public static double[] entryTimes(double[] start, double[] stop) {
        time(start, "start", stop.length);
        for (int j = 0; j < stop.length; j++) {
            if (!(start[j] < stop[j])) {
                throw new IllegalArgumentException("row " + j + ": start " + start[j] + " is not below stop " + stop[j]
                        + "; a row's interval (start, stop] must not be empty");
            }
        }
        return start;
    }

    /**
     * Checks event indicators: {@code n} values, each exactly 0 (censored) or 1 (event).
     *
     * @param event the indicators, shape {@code [n]} or {@code [n, 1]}
     * @param name the argument name used in error messages
     * @param n the expected number of rows
     * @return {@code true} where an event was observed
     */
    public static boolean[] event(INDArray event, String name, int n) {
        return event(vector(event, name), name, n);
    }

    /** As {@link #event(INDArray, String, int)} for a Java array. */
    public static boolean[] event(double[] event, String name, int n) {
        checkLength(event, name, n);
        boolean[] e = new boolean[event.length];
        for (int i = 0; i < event.length; i++) {
            if (event[i] == 1) {
                e[i] = true;
            } else if (event[i] != 0) {
                throw new SurvivalArgumentException(SurvivalArgumentException.NOT_BINARY, name, i, event[i]);
            }
        }
        return e;
    }

    /**
     * Checks competing-risks labels: {@code n} values, each a whole number from 0 (censored) to
     * {@code causes} (the event type).
     *
     * @param cause the labels, shape {@code [n]} or {@code [n, 1]}
     * @param name the argument name used in error messages
     * @param n the expected number of rows
     * @param causes the number of event types \( K \ge 1 \)
     * @return the labels as ints
     */
    public static int[] cause(INDArray cause, String name, int n, int causes) {
        return cause(vector(cause, name), name, n, causes);
    }

    /** As {@link #cause(INDArray, String, int, int)} for a Java array. */
    public static int[] cause(double[] cause, String name, int n, int causes) {
        return causes(cause, name, n, causes);
    }

    /**
     * Checks competing-risks labels where any number of causes may occur (e.g. a Fine-Gray model of
     * one cause): {@code n} whole numbers {@code >= 0}, 0 = censored.
     *
     * @return the labels as ints
     */
    public static int[] anyCause(double[] cause, String name, int n) {
        return causes(cause, name, n, -1);
    }

    /**
     * Checks the event column of survival labels whose codes go up to {@code largest}: event
     * indicators 0 or 1 (named {@code "event"} in messages) when it is 1, as
     * {@link #event(double[], String, int)}; otherwise the causes of competing risks (named
     * {@code "cause"}), whole numbers from 0 to {@code largest}, or any whole number {@code >= 0}
     * for {@link #ANY_CAUSE}. One cause is the same as an event indicator.
     *
     * @param event the codes
     * @param n the expected number of rows
     * @param largest the largest code, {@code >= 1}
     */
    public static void eventCodes(double[] event, int n, int largest) {
        atLeast(largest, "largest", 1);
        if (largest == 1) {
            event(event, "event", n);
        } else {
            causes(event, "cause", n, largest == ANY_CAUSE ? -1 : largest);
        }
    }

    /**
     * Checks the grid interval of each row of a discrete-time model: {@code n} whole numbers from 0
     * to {@code intervals - 1}.
     *
     * @return the indices as ints
     */
    public static int[] gridIndex(double[] index, String name, int n, int intervals) {
        return wholeNumbers(index, name, n, intervals - 1, SurvivalArgumentException.NOT_GRID_INDEX);
    }

    /** {@code causes < 0}: no upper bound. */
    private static int[] causes(double[] cause, String name, int n, int causes) {
        return causes < 0 ? wholeNumbers(cause, name, n, Integer.MAX_VALUE, SurvivalArgumentException.NOT_ANY_CAUSE)
                : wholeNumbers(cause, name, n, causes, SurvivalArgumentException.NOT_CAUSE);
    }

    /** Whole numbers in {@code [0, max]}; the template gets the name, row, value and {@code max}. */
    private static int[] wholeNumbers(double[] values, String name, int n, int max, String template) {
        checkLength(values, name, n);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!(v >= 0 && v <= max && v == Math.rint(v))) {
                throw new SurvivalArgumentException(template, name, i, v, max);
            }
            out[i] = (int) v;
        }
        return out;
    }

    /**
     * Checks a matrix of scores with one column per cause: shape {@code [n, columns]} (a vector
     * {@code [n]} counts as one column), all finite.
     *
     * @param values the scores
     * @param name the argument name used in error messages
     * @param columns the expected number of columns
     * @return row-major values, {@code [row][column]}
     */
    public static double[][] finiteMatrix(INDArray values, String name, int columns) {
        checkNotNull(values, name);
        long cols = values.rank() == 1 ? 1 : values.rank() == 2 ? values.size(1) : -1;
        if (cols != columns && !values.isEmpty()) {
            throw new SurvivalArgumentException(SurvivalArgumentException.SHAPE, name,
                    Arrays.toString(values.shape()), columns == 1 ? "[n] or [n, 1]" : "[n, " + columns + "]");
        }
        return values.isEmpty() ? new double[0][] : finiteCells(NDArrays.rows(values), name);
    }

    /**
     * Checks stratum labels: {@code null} (one stratum) or {@code n} labels of any int value.
     *
     * @param strata the labels or {@code null}
     * @param name the argument name used in error messages
     * @param n the expected number of rows
     * @return the labels as given
     */
    public static int[] strata(int[] strata, String name, int n) {
        if (strata != null && strata.length != n) {
            throw new SurvivalArgumentException(SurvivalArgumentException.LENGTH, name, strata.length, "the other inputs", n);
        }
        return strata;
    }

    /**
     * Checks a matrix of per-row parameters with 1 or 2 columns, all finite.
     *
     * @param values shape {@code [n, 1]} or {@code [n, 2]} ({@code [n]} counts as one column)
     * @param name the argument name used in error messages
     * @return row-major values, {@code [row][column]}
     */
    public static double[][] finiteColumns(INDArray values, String name, int maxColumns) {
        checkNotNull(values, name);
        if (values.isEmpty()) {
            return new double[0][]; // ND4J gives empty arrays shapes such as [] or [0]
        }
        long cols = values.rank() == 1 ? 1 : values.rank() == 2 ? values.size(1) : 0;
        if (cols < 1 || cols > maxColumns) {
            throw new SurvivalArgumentException(SurvivalArgumentException.SHAPE, name,
                    Arrays.toString(values.shape()),
                    maxColumns == 1 ? "[n] or [n, 1]" : "[n, 1] or [n, " + maxColumns + "]");
        }
        return finiteCells(NDArrays.rows(values), name);
    }

    /**
     * Checks that every value of a per-row matrix is finite.
     *
     * @param m values, {@code [row][column]}
     * @param name the argument name used in error messages
     * @return {@code m}, not copied
     */
    public static double[][] finiteCells(double[][] m, String name) {
        checkNotNull(m, name);
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                if (!Double.isFinite(m[i][j])) {
                    throw new SurvivalArgumentException(SurvivalArgumentException.NOT_FINITE_CELL, name, i, j,
                            m[i][j]);
                }
            }
        }
        return m;
    }

    /**
     * Checks that every value of an array of any shape (a batch of features) is finite; the message
     * names the position, e.g. {@code features[3, 1] = Infinity}. Reads the values from Java (no ND4J
     * op) unless one is not finite.
     *
     * @param values the array, returned as is
     * @param name the argument name used in error messages
     */
    public static INDArray finiteValues(INDArray values, String name) {
        checkNotNull(values, name);
        if (NDArrays.allFinite(values)) {
            return values;
        }
        double[] flat = NDArrays.rowMajor(values);
        int i = 0;
        while (Double.isFinite(flat[i])) {
            i++;
        }
        long[] shape = values.shape();
        long[] index = new long[shape.length];
        long rest = i;
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        String position = Arrays.toString(index);
        throw new SurvivalArgumentException(SurvivalArgumentException.NOT_FINITE_AT, name,
                position.substring(1, position.length() - 1), flat[i]);
    }

    /**
     * Checks predicted probabilities (e.g. survival at a time): shape {@code [n]} or {@code [n, 1]},
     * each value in {@code [0, 1]}.
     *
     * @param values the probabilities
     * @param name the argument name used in error messages
     * @param n the expected number of rows
     * @return the values as a new array
     */
    public static double[] probabilities(INDArray values, String name, int n) {
        return probabilities(vector(values, name), name, n);
    }

    /** As {@link #probabilities(INDArray, String, int)} for a Java array (returned as is, not copied). */
    public static double[] probabilities(double[] v, String name, int n) {
        checkLength(v, name, n);
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] <= 1)) {
                throw new SurvivalArgumentException(SurvivalArgumentException.PROBABILITY, name, i, v[i]);
            }
        }
        return v;
    }

    /**
     * Checks that event indicators hold at least one event, for statistics that are undefined
     * without one (Kaplan-Meier, concordance, baseline hazards).
     *
     * @param event validated event indicators
     * @param name the argument name used in error messages
     * @param statistic what needs the event, e.g. {@code "the concordance index"}
     * @return the indicators
     */
    public static boolean[] hasEvent(boolean[] event, String name, String statistic) {
        for (boolean e : event) {
            if (e) {
                return event;
            }
        }
        throw new SurvivalArgumentException(SurvivalArgumentException.NO_EVENTS, name, statistic);
    }

    /**
     * Rejects a statistic that the data do not define, e.g. a concordance index without a single
     * comparable pair, or a Brier score at a time after the last censoring estimate.
     *
     * @param defined whether the statistic is defined
     * @param statistic what is computed, e.g. {@code "the concordance index"}
     * @param reason why it is undefined, in words the user can act on
     */
    public static void checkDefined(boolean defined, String statistic, String reason) {
        if (!defined) {
            throw new SurvivalArgumentException(SurvivalArgumentException.UNDEFINED, statistic, reason);
        }
    }

    /**
     * Checks that a number lies in an open or closed range; used for hyper-parameters.
     *
     * @return the value
     */
    public static double inRange(double value, String name, double low, double high, boolean closed) {
        boolean ok = closed ? value >= low && value <= high : value > low && value < high;
        if (!ok) {
            throw new SurvivalArgumentException(SurvivalArgumentException.RANGE, name, format(value),
                    range(low, high, closed));
        }
        return value;
    }

    /**
     * The range in words: {@code 3} for [3, 3], {@code a finite number >= 0} when the upper end is
     * {@code Double.MAX_VALUE} or an excluded infinity (the bound means "no limit"), else the interval.
     */
    private static String range(double low, double high, boolean closed) {
        if (closed && low == high) {
            return format(low);
        }
        if (high == Double.MAX_VALUE || high == Double.POSITIVE_INFINITY && !closed) {
            return "a finite number " + (closed ? ">= " : "> ") + format(low);
        }
        return (closed ? "[" : "(") + format(low) + ", " + format(high) + (closed ? "]" : ")");
    }

    /**
     * A number as a message prints it: whole numbers without a fraction ({@code 3}, not {@code 3.0};
     * {@code -0.0} as {@code 0}), any other value as {@link Double#toString} ({@code 0.25},
     * {@code 1.0E20}, {@code NaN}, {@code Infinity}).
     */
    public static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < WHOLE_NUMBER_LIMIT ? Long.toString((long) value)
                : Double.toString(value);
    }

    /**
     * Checks that an integer is at least {@code min}.
     *
     * @return the value
     */
    public static int atLeast(int value, String name, int min) {
        if (value < min) {
            throw new SurvivalArgumentException(SurvivalArgumentException.RANGE, name, value, ">= " + min);
        }
        return value;
    }

    /**
     * Checks that a reference is not null.
     *
     * @return the value
     */
    public static <T> T checkNotNull(T value, String name) {
        if (value == null) {
            throw new SurvivalArgumentException(SurvivalArgumentException.NULL, name);
        }
        return value;
    }

    private static double[] vector(INDArray values, String name) {
        checkNotNull(values, name);
        if (values.isEmpty()) {
            return new double[0]; // ND4J gives empty arrays shapes such as [] or [0]
        }
        boolean vectorShape = values.rank() == 1 || (values.rank() == 2 && values.size(1) == 1);
        if (!vectorShape) {
            throw new SurvivalArgumentException(SurvivalArgumentException.SHAPE, name,
                    Arrays.toString(values.shape()), "[n] or [n, 1]");
        }
        return NDArrays.rowMajor(values);
    }

    private static void checkLength(double[] values, String name, int n) {
        checkNotNull(values, name);
        if (values.length != n) {
            throw new SurvivalArgumentException(SurvivalArgumentException.LENGTH, name, values.length, "the scores", n);
        }
    }
}
