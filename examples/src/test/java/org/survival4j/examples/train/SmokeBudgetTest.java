package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SURVIVAL4J_SMOKE: what switches the budget on, and that without it nothing is cut. */
class SmokeBudgetTest {
    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "yes", " 1 "})
    void anyValueButBlankOrZeroSwitchesItOn(String value) {
        assertTrue(SmokeBudget.isOn(value));
    }

    @Test
    void unsetBlankOrZeroLeavesItOff() {
        assertFalse(SmokeBudget.isOn(null));
        assertFalse(SmokeBudget.isOn(""));
        assertFalse(SmokeBudget.isOn("  "));
        assertFalse(SmokeBudget.isOn("0"));
    }

    @Test
    void withoutTheVariableTheRequestedWorkIsDone() {
        Assumptions.assumeFalse(SmokeBudget.active(), SmokeBudget.VARIABLE + " is set in this environment");
        assertEquals(40, SmokeBudget.cap(40, SmokeBudget.EPOCHS, "epochs"));
    }
}
