package org.survival4j.benchmarks;

/**
 * The benchmarks' side of the smoke budget ({@code SURVIVAL4J_SMOKE}, described with the examples'
 * {@code SmokeBudget} and in {@code docs/benchmarks.md}): with the variable set, JMH runs each
 * benchmark once ({@link Jmh}) and the memory soak and the harnesses take a few steps, so that
 * their commands can be checked end to end in seconds. The numbers are then meaningless.
 */
final class SmokeRuns {
    private static final String VARIABLE = "SURVIVAL4J_SMOKE";

    private SmokeRuns() {
    }

    /** Whether the variable is set to anything but blank or {@code 0}. */
    static boolean active() {
        String value = System.getenv(VARIABLE);
        return value != null && !value.isBlank() && !value.strip().equals("0");
    }

    /** {@code requested}, or at most {@code limit} under the budget (saying so on standard error). */
    static int cap(int requested, int limit, String what) {
        if (!active() || requested <= limit) {
            return requested;
        }
        announce(limit + " " + what + " instead of " + requested);
        return limit;
    }

    /** Says on standard error what the budget changed. */
    static void announce(String change) {
        System.err.println(VARIABLE + " is set: " + change + " (a smoke run: its numbers mean nothing)");
    }
}
