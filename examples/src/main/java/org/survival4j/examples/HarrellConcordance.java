package org.survival4j.examples;

/**
 * Harrell's concordance index of a risk score, by brute force over all pairs.
 *
 * <p><b>Temporary</b>: a stand-in for this example until the {@code org.survival4j.metrics} package
 * provides a proper implementation (O(n log n), standard errors); do not use it elsewhere.
 *
 * <p>A pair of patients is comparable when the one with the shorter time had an event; a censored
 * patient whose time equals an event time counts as having lived longer, and two events at the
 * same time are not comparable (the conventions of R's {@code survival::concordance}). A comparable
 * pair is concordant when the shorter-lived patient has the higher risk, and counts one half when
 * the risks are equal:
 * \[ C = \frac{\#\text{concordant} + \tfrac12 \#\text{tied risk}}{\#\text{comparable}} . \]
 * 0.5 is chance, 1 a perfect ranking. Cost \( O(n^2) \): fine for the 686 GBSG patients.
 */
final class HarrellConcordance {
    private HarrellConcordance() {
    }

    /**
     * @param risk higher = expected to fail sooner (e.g. a Cox log hazard)
     * @param time observed times
     * @param event 1 = event, 0 = censored
     * @return the C-index, or NaN when no pair is comparable
     */
    static double of(double[] risk, double[] time, double[] event) {
        double concordant = 0;
        long comparable = 0;
        for (int i = 0; i < time.length; i++) {
            if (event[i] != 1) {
                continue;
            }
            for (int j = 0; j < time.length; j++) {
                boolean longer = time[j] > time[i] || (time[j] == time[i] && event[j] == 0);
                if (!longer) {
                    continue;
                }
                comparable++;
                if (risk[i] > risk[j]) {
                    concordant += 1;
                } else if (risk[i] == risk[j]) {
                    concordant += 0.5;
                }
            }
        }
        return comparable == 0 ? Double.NaN : concordant / comparable;
    }
}
