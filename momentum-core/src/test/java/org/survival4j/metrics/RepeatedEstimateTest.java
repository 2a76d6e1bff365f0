package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.survival4j.data.SurvivalArgumentException;

/** The Student-t interval of repeats, against R 4.2.2's {@code qt} and {@code t.test}. */
class RepeatedEstimateTest {
    /** {p, df, qt(p, df)} printed by R with 17 significant digits. */
    private static final double[][] QT = {
        {0.6, 1, 0.32491969623290634}, {0.9, 1, 3.0776835371752544}, {0.975, 1, 12.706204736174694},
        {0.995, 1, 63.656741162871526}, {0.6, 2, 0.28867513459481314}, {0.9, 2, 1.8856180831641269},
        {0.975, 2, 4.3026527297494619}, {0.995, 2, 9.9248432009182892}, {0.6, 4, 0.27072229470759746},
        {0.9, 4, 1.5332062740589429}, {0.975, 4, 2.7764451051977934}, {0.995, 4, 4.6040948713499921},
        {0.6, 9, 0.26095533647391095}, {0.9, 9, 1.3830287383966324}, {0.975, 9, 2.2621571627982049},
        {0.995, 9, 3.2498355415921254}, {0.6, 29, 0.2556836345712562}, {0.9, 29, 1.3114336473015509},
        {0.975, 29, 2.0452296421327034}, {0.995, 29, 2.7563859036706049}, {0.6, 199, 0.25368607538177212},
        {0.9, 199, 1.2858202092594093}, {0.975, 199, 1.9719565442517519}, {0.995, 199, 2.6007602160585064}};

    @Test
    void studentQuantilesEqualRsQt() {
        for (double[] q : QT) {
            // bisection to 1e-15 relative on a distribution function accurate to about 1e-15
            assertEquals(q[2], StudentT.quantile(q[0], q[1]), 1e-12 * q[2], "qt(" + q[0] + ", " + q[1] + ")");
            assertEquals(-q[2], StudentT.quantile(1 - q[0], q[1]), 1e-12 * q[2]);
        }
    }

    @Test
    void intervalEqualsRsTTest() {
        // R: t.test(c(0.021, 0.025, 0.019, 0.030))$conf.int = 0.016022594832969021 0.031477405167030979
        RepeatedEstimate e = RepeatedEstimate.of("x", new double[] {0.021, 0.025, 0.019, 0.030});
        assertEquals(0.02375, e.mean(), 1e-15);
        assertEquals(0.016022594832969021, e.confidenceInterval(0.05).lower(), 1e-14);
        assertEquals(0.031477405167030979, e.confidenceInterval(0.05).upper(), 1e-14);
        assertThrows(SurvivalArgumentException.class, () -> RepeatedEstimate.of("x", new double[] {1}));
        assertThrows(SurvivalArgumentException.class, () -> RepeatedEstimate.of("x", new double[] {1, Double.NaN}));
    }
}
