package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.survival4j.metrics.CalibrationSlope;

/** Which failures make a statistic "not defined on these data", and which are bugs that propagate. */
class OutcomeTest {

    @Test
    void theLibrarysUndefinedStatisticBecomesTheReason() {
        // no event at all: the calibration slope's Cox fit is undefined
        Outcome<CalibrationSlope> slope = Outcome.of("the calibration slope",
                () -> CalibrationSlope.fit(new double[] {0.2, 0.4}, 5, new double[] {1, 2}, new double[] {0, 0}));

        assertFalse(slope.defined());
        assertTrue(slope.reason().startsWith("the calibration slope: event has no events"), slope.reason());
    }

    @Test
    void aFitThatDoesNotConvergeBecomesTheReason() {
        Outcome<Object> o = Outcome.of("a fit", () -> {
            throw new IllegalStateException("Newton-Raphson did not converge");
        });

        assertEquals("a fit: Newton-Raphson did not converge", o.reason());
    }

    @Test
    void otherExceptionsAreBugsAndPropagate() {
        assertThrows(IllegalArgumentException.class, () -> Outcome.of("a statistic", () -> {
            throw new IllegalArgumentException("a bad argument of our own making");
        }));
    }

    @Test
    void aValueIsKept() {
        Outcome<String> o = Outcome.of("a statistic", () -> "42");

        assertTrue(o.defined());
        assertEquals("42", o.value());
    }

    @Test
    void anOutcomeHasEitherAValueOrAReason() {
        assertThrows(IllegalArgumentException.class, () -> new Outcome<>("42", "why"));
        assertThrows(IllegalArgumentException.class, () -> new Outcome<>(null, null));
    }
}
