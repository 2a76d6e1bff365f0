package org.survival4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.survival4j.model.SurvivalModel;

/** Partial dependence and ICE curves of a linear Cox model ({@link LinearSample}), whose direction is known. */
class PartialDependenceTest {
    private static final double HORIZON = 1.0;

    private static final LinearSample SAMPLE = LinearSample.of(150, 51);
    private static final SurvivalModel MODEL = SAMPLE.model();

    @Test
    void survivalFallsWithAPositiveCoefficientAndRisesWithANegativeOne() {
        double[][] rows = SAMPLE.x();
        for (int column = 0; column < 3; column++) {
            double[] grid = PartialDependence.quantileGrid(rows, column, 15);
            PartialDependence pd = PartialDependence.of(MODEL, rows, column, grid, HORIZON);
            int direction = column == 0 ? -1 : column == 1 ? 1 : 0; // the sign of -beta
            assertMonotone(pd.average(), direction, "PD of column " + column);
            for (double[] ice : pd.individual()) {
                assertMonotone(ice, direction, "ICE of column " + column);
            }
        }
    }

    @Test
    void theAverageIsTheMeanOfTheIndividualCurvesAndTheyPassThroughTheRowsOwnPrediction() {
        double[][] rows = SAMPLE.x();
        double[] own = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            own[i] = rows[i][0];
        }
        PartialDependence pd = PartialDependence.of(MODEL, java.util.Arrays.copyOf(rows, 3), 0,
                new double[] {own[0], own[1], own[2]}, HORIZON);
        double[][] ice = pd.individual();
        double[] s = new double[3];
        for (int i = 0; i < 3; i++) {
            s[i] = MODEL.survival(new double[][] {rows[i]}, HORIZON)[0][0];
            assertEquals(s[i], ice[i][i], 1e-15, "row " + i + " at its own value"); // double network, same input
        }
        for (int k = 0; k < 3; k++) {
            assertEquals((ice[0][k] + ice[1][k] + ice[2][k]) / 3, pd.average()[k], 1e-15);
        }
        assertArrayEquals(new double[] {0, 1}, PartialDependence.quantileGrid(new double[][] {{0}, {1}, {1}, {0}}, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> PartialDependence.of(MODEL, rows, 3, new double[] {0}, 1));
        assertThrows(IllegalArgumentException.class, () -> PartialDependence.of(MODEL, rows, 0, new double[0], 1));
    }

    private static void assertMonotone(double[] curve, int direction, String what) {
        for (int k = 1; k < curve.length; k++) {
            double d = curve[k] - curve[k - 1];
            if (direction == 0) {
                assertEquals(0, d, 0, what + " is flat");
            } else {
                assertTrue(d * direction > 0, what + " at " + k + ": " + curve[k - 1] + " -> " + curve[k]);
            }
        }
    }
}
