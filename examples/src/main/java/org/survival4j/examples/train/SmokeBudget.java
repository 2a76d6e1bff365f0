package org.survival4j.examples.train;

import java.util.Locale;

/**
 * A token budget for checking that a command runs end to end, not for results: with the
 * environment variable {@value #VARIABLE} set (to anything but empty or {@code 0}),
 * {@code survival4j train}, the batch-size and image studies and the sequence example train for at
 * most {@value #EPOCHS} epoch (the studies on their smoke subsets, with at most
 * {@value #OPTIMIZER_STEPS} optimizer steps where a budget counts steps), and say so on standard
 * error. The commands of the documentation are checked this way ({@code .ci/check-docs}).
 *
 * <p>Reads the environment only; thread-safe.
 */
public final class SmokeBudget {
    /** The environment variable that switches the budget on. */
    public static final String VARIABLE = "SURVIVAL4J_SMOKE";
    /** Epochs of any training under the budget. */
    public static final int EPOCHS = 1;
    /** Optimizer steps of a budget counted in steps (the studies' equal-steps runs). */
    public static final int OPTIMIZER_STEPS = 10;

    private SmokeBudget() {
    }

    /** Whether {@value #VARIABLE} is set in this process's environment. */
    public static boolean active() {
        return isOn(System.getenv(VARIABLE));
    }

    /** Whether a value of {@value #VARIABLE} switches the budget on: anything but unset, blank or {@code 0}. */
    static boolean isOn(String value) {
        return value != null && !value.isBlank() && !value.strip().equals("0");
    }

    /**
     * {@code requested} under no budget; otherwise at most {@code limit}, saying on standard error
     * when it cuts.
     *
     * @param what what is counted, for the message, e.g. {@code "epochs"}
     */
    public static int cap(int requested, int limit, String what) {
        if (!active() || requested <= limit) {
            return requested;
        }
        announce(String.format(Locale.ROOT, "%d %s instead of %d", limit, what, requested));
        return limit;
    }

    /** Says on standard error what the budget changed. */
    public static void announce(String change) {
        System.err.println(VARIABLE + " is set: " + change + " (a smoke run: its numbers mean nothing)");
    }
}
