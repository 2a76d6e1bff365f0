package org.survival4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.survival4j.testing.GoldenData;

/**
 * The example's temporary C-index against R 4.2.2 / survival 3.5.3
 * ({@code concordance(Surv(time, event) ~ log_hz, reverse = TRUE)}, via {@link GoldenData}).
 */
class HarrellConcordanceTest {
    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1", "gbsg_sd8"})
    void matchesRConcordance(String caseName) {
        GoldenData rows = GoldenData.rows(caseName);

        double c = HarrellConcordance.of(rows.column("log_hz"), rows.column("time"), rows.column("event"));

        assertEquals(GoldenData.summary(caseName, "cindex_harrell"), c, TOLERANCE);
    }

    @Test
    void countsTiedRisksAsHalfAndCensoredAtAnEventTimeAsLonger() {
        double[] time = {1, 1, 2, 3};
        double[] event = {1, 0, 1, 0};
        double[] risk = {2, 1, 1, 1};
        // Comparable pairs: (0,1) (0,2) (0,3) concordant; (2,3) tied risk. Two events never tie here.
        assertEquals((3 + 0.5) / 4, HarrellConcordance.of(risk, time, event), TOLERANCE);
    }
}
