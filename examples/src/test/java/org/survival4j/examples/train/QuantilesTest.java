package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The quantile is the sorted value at index floor(q (n - 1)), worked out by hand for 10, 20, 30, 40. */
class QuantilesTest {
    private static final double[] VALUES = {40, 10, 30, 20};

    @ParameterizedTest(name = "q = {0} -> {1}")
    @CsvSource({"0, 10", "0.1, 10", "0.25, 10", "0.5, 20", "0.75, 30", "0.9, 30", "1, 40"})
    void isTheSortedValueAtTheFloorIndex(double q, double expected) {
        assertEquals(expected, Quantiles.lower(VALUES, q));
    }

    @Test
    void leavesTheInputUnsorted() {
        double[] values = {3, 1, 2};

        Quantiles.lower(values, 0.5);

        assertEquals(3, values[0]);
    }

    @Test
    void noValuesHaveNoQuantile() {
        assertThrows(IllegalArgumentException.class, () -> Quantiles.lower(new double[0], 0.5));
    }
}
