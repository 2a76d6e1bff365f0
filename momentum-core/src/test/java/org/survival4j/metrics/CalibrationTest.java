package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.survival4j.data.SurvivalArgumentException;

/**
 * The calibration estimators on simulated data whose true model is known (the golden tests pin
 * the arithmetic to R; these check that the statistics say what they should): the true model is
 * calibrated by every measure, a model with doubled hazards is not, and D-calibration's histogram
 * on a hand-computed example.
 */
class CalibrationTest {
    /** Exponential times with hazard 0.1 exp(0.8 x), x standard normal, censoring uniform on (0, 20). */
    private record Simulated(double[] x, double[] time, double[] event) {
        static Simulated of(int n, long seed) {
            Random rng = new Random(seed);
            double[] x = new double[n];
            double[] time = new double[n];
            double[] event = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rng.nextGaussian();
                double t = -Math.log(rng.nextDouble()) / (0.1 * Math.exp(0.8 * x[i]));
                double c = 20 * rng.nextDouble();
                time[i] = Math.min(t, c);
                event[i] = t <= c ? 1 : 0;
            }
            return new Simulated(x, time, event);
        }

        /** The predicted survival at t of the true model, with its hazards multiplied by {@code factor}. */
        double survival(int i, double t, double factor) {
            return Math.exp(-factor * 0.1 * Math.exp(0.8 * x[i]) * t);
        }

        double[] risk(double t, double factor) {
            double[] r = new double[x.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = 1 - survival(i, t, factor);
            }
            return r;
        }

        double[] survivalAtOwnTime(double factor) {
            double[] s = new double[x.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = survival(i, time[i], factor);
            }
            return s;
        }
    }

    private static final double HORIZON = 5;

    @Test
    void theTrueModelIsCalibratedAndDoubledHazardsAreNot() {
        Simulated d = Simulated.of(2000, 3);
        SmoothCalibration right = SmoothCalibration.fit(d.risk(HORIZON, 1), HORIZON, d.time, d.event);
        SmoothCalibration doubled = SmoothCalibration.fit(d.risk(HORIZON, 2), HORIZON, d.time, d.event);
        // at n = 2000 the smooth curve's sampling error is about 0.01 (its band's half-width is 0.02-0.04);
        // doubling the hazards moves the risks by 0.1-0.3
        assertTrue(right.ici() < 0.02, "ICI of the true model " + right.ici());
        assertTrue(doubled.ici() > 0.08, "ICI of doubled hazards " + doubled.ici());
        assertTrue(right.e90() < doubled.e50(), right + " vs " + doubled);
        CalibrationCurve band = right.curve(20, 0.05);
        for (int k = 0; k < 20; k++) {
            double p = band.predicted()[k];
            assertTrue(band.lower()[k] <= band.observed()[k] && band.observed()[k] <= band.upper()[k]);
            assertTrue(band.lower()[k] < p && p < band.upper()[k], "the diagonal at " + p + " is outside the band");
        }

        // the slope sees the spread, not the level: 1 for both (cll shifts by log 2); O/E sees the level
        CalibrationSlope slope = CalibrationSlope.fit(d.risk(HORIZON, 1), HORIZON, d.time, d.event);
        assertTrue(slope.confidenceInterval(0.05).contains(1), slope.toString());
        assertEquals(slope.estimate(), CalibrationSlope.fit(d.risk(HORIZON, 2), HORIZON, d.time, d.event).estimate(),
                1e-9, "a constant shift of cll leaves the slope"); // Newton-Raphson convergence
        assertTrue(CalibrationInTheLarge.of(d.risk(HORIZON, 1), HORIZON, d.time, d.event).confidenceInterval(0.05)
                .contains(1));
        CalibrationInTheLarge oe = CalibrationInTheLarge.of(d.risk(HORIZON, 2), HORIZON, d.time, d.event);
        assertTrue(oe.confidenceInterval(0.05).upper() < 1, oe.toString());

        GroupedCalibration gndRight = GroupedCalibration.test(d.risk(HORIZON, 1), HORIZON, d.time, d.event);
        GroupedCalibration gndDoubled = GroupedCalibration.test(d.risk(HORIZON, 2), HORIZON, d.time, d.event);
        assertTrue(gndRight.pValue() > 0.05, gndRight.toString());
        assertTrue(gndDoubled.pValue() < 1e-6, gndDoubled.toString());
        assertEquals(10, gndRight.groups());
        assertTrue(!gndRight.fewEvents());
    }

    @Test
    void dCalibrationPassesTheTrueModelAndFailsDoubledHazardsOnAFewDataSets() {
        // the documented study (docs/metrics.md) runs 200 data sets; here five, seeded
        for (long seed = 1; seed <= 5; seed++) {
            Simulated d = Simulated.of(500, seed);
            DCalibration right = DCalibration.test(d.survivalAtOwnTime(1), d.event);
            DCalibration doubled = DCalibration.test(d.survivalAtOwnTime(2), d.event);
            assertTrue(right.pValue() > 0.05, "seed " + seed + ": " + right);
            assertTrue(doubled.pValue() < 0.05, "seed " + seed + ": " + doubled);
            assertEquals(500, java.util.Arrays.stream(right.counts()).sum(), 1e-9); // every row adds 1
        }
    }

    @Test
    void dCalibrationSpreadsACensoredRowBelowItsSurvival() {
        // events at 0.05, 0.55 and 1.0 (bins 0, 5, 9); censored at 0.35: bin 3 gets (0.35 - 0.3)/0.35 = 1/7,
        // bins 0-2 get 1/(10 * 0.35) = 2/7 each
        DCalibration d = DCalibration.test(new double[] {0.05, 0.55, 0.35, 1.0}, new double[] {1, 1, 0, 1});
        assertArrayEquals(new double[] {1 + 2.0 / 7, 2.0 / 7, 2.0 / 7, 1.0 / 7, 0, 1, 0, 0, 0, 1}, d.counts(), 1e-15);
        double chi = 0;
        for (double c : d.counts()) {
            chi += (c - 0.4) * (c - 0.4) / 0.4;
        }
        assertEquals(chi, d.statistic(), 1e-13);
        assertEquals(9, d.degreesOfFreedom());
    }

    @Test
    void rejectsWhatCannotBeCalibrated() {
        double[] time = {1, 2, 3, 4, 5, 6};
        double[] event = {1, 1, 0, 1, 0, 1};
        double[] risk = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        double[] withZero = {0, 0.2, 0.3, 0.4, 0.5, 0.6};
        assertThrows(SurvivalArgumentException.class, () -> SmoothCalibration.fit(withZero, 3, time, event));
        assertThrows(SurvivalArgumentException.class, () -> CalibrationSlope.fit(withZero, 3, time, event));
        assertThrows(SurvivalArgumentException.class, () -> SmoothCalibration.fit(risk, 0, time, event));
        assertThrows(SurvivalArgumentException.class, () -> SmoothCalibration.fit(risk, 3, time, new double[6]));
        assertThrows(SurvivalArgumentException.class,
                () -> SmoothCalibration.fit(new double[] {0.2, 0.2, 0.2, 0.2, 0.2, 0.3}, 3, time, event));
        assertThrows(SurvivalArgumentException.class, () -> CalibrationInTheLarge.of(risk, 0.5, time, event));
        // two groups of three rows; the low-risk group has 1 event by t = 6
        SurvivalArgumentException e = assertThrows(SurvivalArgumentException.class,
                () -> GroupedCalibration.test(risk, 6, time, new double[] {1, 0, 0, 1, 0, 1}, 2));
        assertTrue(e.getMessage().contains("group 0"), e.getMessage());
        assertThrows(SurvivalArgumentException.class,
                () -> DCalibration.test(new double[] {0.5, 1.5}, new double[] {1, 0}));
        assertThrows(SurvivalArgumentException.class, () -> DCalibration.test(new double[] {0.5}, new double[] {1}, 1));
    }
}
