package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.survival4j.metrics.GroupedCalibration;
import org.survival4j.model.SurvivalModel;
import org.survival4j.testing.RandomSurvivalData;

/**
 * How the command line's calibration copes with test data: the number of risk groups of the GND
 * test, statistics that the data do not define, and each row's survival at its own time.
 */
class ModelCalibrationTest {

    /**
     * 80 rows in order of risk, every second one an event at time 1, the others surviving to 100;
     * horizon 50. Deciles (8 rows, 4 events each) and 9 groups (a group of 9 rows with 4 events)
     * fall short of the recommended 5 events; 8 groups of 10 rows have 5 each.
     */
    @Test
    void theGndTestUsesTheMostGroupsThatEachHaveFiveEventsByTheHorizon() {
        Outcome<GroupedCalibration> g = ModelCalibration.grouped(risks(80), 50, alternating(80), ones(80));

        assertEquals(8, g.value().groups());
        assertArrayEquals(new int[] {5, 5, 5, 5, 5, 5, 5, 5}, g.value().events());
        assertFalse(g.value().fewEvents());
    }

    /**
     * 12 such rows: no grouping gives 5 events per group; 3 groups of 4 rows have 2 events each, the
     * test's minimum, while 4 groups start with 3 rows and then 3 rows with a single event.
     */
    @Test
    void withTooFewEventsForFiveInAGroupItTakesTheMostGroupsWithTwo() {
        Outcome<GroupedCalibration> g = ModelCalibration.grouped(risks(12), 50, alternating(12), ones(12));

        assertEquals(3, g.value().groups());
        assertTrue(g.value().fewEvents());
    }

    @Test
    void predictionsThatAllAgreeGiveNoGroupsAndSayWhy() {
        double[] same = new double[12];
        Arrays.fill(same, 0.3);

        Outcome<GroupedCalibration> g = ModelCalibration.grouped(same, 50, alternating(12), ones(12));

        assertFalse(g.defined());
        assertTrue(g.reason().startsWith("the Greenwood-Nam-D'Agostino test: ")
                && g.reason().contains("fewer than 2 groups"), g.reason());
    }

    /**
     * Before the model's first training event time a Cox model predicts no risk at all (S = 1), so
     * the statistics of the predicted risk at that horizon are undefined, with reasons; D-calibration,
     * which does not take a horizon, still is.
     */
    @Test
    void aHorizonBeforeTheFirstEventTimeLeavesTheRiskStatisticsUndefinedWithReasons() {
        SurvivalData data = randomRows(200, 5);
        SurvivalModel model = OneInputCox.of(data.x(), data.labelRows());
        double beforeFirst = Arrays.stream(data.time()).min().orElseThrow() / 2;

        ModelCalibration c = ModelCalibration.of(model, data, beforeFirst);

        for (Outcome<?> o : List.of(c.smooth(), c.curve(), c.slope(), c.inTheLarge(), c.grouped())) {
            assertFalse(o.defined(), String.valueOf(o.value()));
        }
        assertTrue(c.smooth().reason().contains("= 0"), c.smooth().reason());
        assertTrue(c.inTheLarge().reason().contains("no event at or before t"), c.inTheLarge().reason());
        assertTrue(c.dCalibration().defined());
    }

    /** More rows than one chunk: each row's survival at its own time, as the model gives it one row at a time. */
    @Test
    void survivalAtOwnTimeEqualsTheModelRowByRowAcrossChunks() {
        SurvivalData data = randomRows(2500, 7);
        SurvivalModel model = OneInputCox.of(data.x(), data.labelRows());

        double[] own = ModelCalibration.survivalAtOwnTime(model, data);

        for (int i = 0; i < own.length; i++) {
            assertEquals(model.survival(new double[][] {data.x()[i]}, data.time()[i])[0][0], own[i], 0, "row " + i);
        }
    }

    /** Risks 1/(n+1) .. n/(n+1), increasing with the row. */
    private static double[] risks(int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = (i + 1.0) / (n + 1);
        }
        return r;
    }

    /** Time 1 for even rows, 100 for odd ones. */
    private static double[] alternating(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 2 == 0 ? 1 : 100;
        }
        return t;
    }

    private static double[] ones(int n) {
        double[] e = new double[n];
        Arrays.fill(e, 1);
        return e;
    }

    /** n rows of the shared random data (times 1..400 with ties), its log hazard as the one covariate. */
    private static SurvivalData randomRows(int n, long seed) {
        RandomSurvivalData r = RandomSurvivalData.generate(n, 400, 1, seed);
        double[][] x = new double[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = r.logHz.getDouble(i);
        }
        return SurvivalData.of("random", List.of("x"), x, r.time.toDoubleVector(), r.event.toDoubleVector());
    }
}
