package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DeepHitGridTest {
    private static final double[] GRID = {0, 10, 20, 30};

    /** Events go to the grid time at or after them, censorings to the one at or before them. */
    @ParameterizedTest
    @CsvSource({"0, true, 0", "0, false, 0", "10, true, 1", "10, false, 1", "12, true, 2", "12, false, 1",
        "29.5, true, 3", "29.5, false, 2", "30, true, 3", "45, true, 3", "45, false, 3"})
    void mapsEachTimeToAGridIndex(double time, boolean event, int index) {
        assertEquals(index, DeepHitGrid.index(time, event, GRID));
    }

    @Test
    void labelsKeepTheCausesAndReplaceTheTimes() {
        SurvivalData data = SurvivalData.of("d", List.of("x"), new double[][] {{1}, {2}, {3}}, new double[] {5, 12, 25},
                new double[] {2, 0, 1});
        SurvivalData labels = DeepHitGrid.labels(data, GRID);
        assertArrayEquals(new double[] {1, 1, 3}, labels.time());
        assertArrayEquals(new double[] {2, 0, 1}, labels.event());
    }
}
