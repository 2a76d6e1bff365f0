package org.survival4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.metrics.ConcordanceComparison;
import org.survival4j.metrics.KaplanMeier;

/** Messages print numbers as a person writes them: counts without ".0", no Double.MAX_VALUE as a bound. */
class SurvivalArgumentsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"3 | 3", "-1 | -1", "0 | 0", "-0.0 | 0", "0.25 | 0.25", "1e20 | 1.0E20",
        "NaN | NaN", "Infinity | Infinity", "123456789012 | 123456789012"})
    void formatsWholeNumbersWithoutAFraction(double value, String text) {
        assertEquals(text, SurvivalArguments.format(value));
    }

    @Test
    void aBoundlessRangeSaysSoAndACountIsAnInteger() {
        KaplanMeier km = KaplanMeier.fit(Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 0.0, 1.0));
        assertEquals("t = -1: expected a finite number >= 0",
                assertThrows(SurvivalArgumentException.class, () -> km.survival(-1)).getMessage());
        assertEquals("t = Infinity: expected a finite number >= 0",
                assertThrows(SurvivalArgumentException.class, () -> km.survival(Double.POSITIVE_INFINITY))
                        .getMessage());
        assertEquals("riskB rows = 2: expected 3", assertThrows(SurvivalArgumentException.class,
                () -> ConcordanceComparison.harrell(Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 2.0),
                        Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 1.0, 1.0))).getMessage());
        assertEquals("x = 0: expected (0, 1)", assertThrows(SurvivalArgumentException.class,
                () -> SurvivalArguments.inRange(0, "x", 0, 1, false)).getMessage());
        assertEquals("x = 0: expected a finite number > 0", assertThrows(SurvivalArgumentException.class,
                () -> SurvivalArguments.inRange(0, "x", 0, Double.POSITIVE_INFINITY, false)).getMessage());
    }
}
