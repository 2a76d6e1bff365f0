package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.testing.GoldenData;
import org.survival4j.testing.RandomSurvivalData;

/** Kaplan-Meier against R 4.2.2 / survival 3.5.3 ({@code survfit}), by hand, and without censoring. */
class KaplanMeierTest {
    /** Relative error allowed against R's {@code survfit}. */
    static final double GOLDEN_TOLERANCE = 1e-12;
    static final double EXACT = 1e-15;

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void matchesRSurvfit(String caseName) {
        GoldenData rows = GoldenData.rows(caseName);
        GoldenData metrics = GoldenData.metrics(caseName);
        KaplanMeier km = KaplanMeier.fit(rows.vector("time"), rows.vector("event"));
        double[] times = metrics.column("time");
        double[] expected = metrics.column("kaplan_meier");
        for (int k = 0; k < times.length; k++) {
            ConcordanceIndexTest.assertRelative(expected[k], km.survival(times[k]), GOLDEN_TOLERANCE);
        }
    }

    @Test
    void javadocExampleAndGreenwoodByHand() {
        KaplanMeier km = KaplanMeier.fit(Nd4j.createFromArray(1.0, 2.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 1.0, 0.0, 1.0));
        assertEquals(0.5, km.survival(2.0), EXACT);
        assertEquals(0.25, km.standardError(2.0), EXACT);
        assertEquals(0.75, km.survivalBefore(2.0), EXACT);
        assertEquals(1.0, km.survival(0.5), 0);
        assertEquals(0.0, km.survival(3.0), 0);
        assertEquals(0.0, km.variance(3.0), 0); // S = 0: reported as 0, not NaN
        assertEquals(0.0, km.survival(100.0), 0);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void withoutCensoringEqualsTheEmpiricalSurvivalFunction(long seed) {
        RandomSurvivalData d = RandomSurvivalData.generate(97, 20, 1, seed);
        double[] time = d.time.toDoubleVector();
        KaplanMeier km = KaplanMeier.fit(d.time, Nd4j.ones(time.length));
        for (double t = 0; t <= 21; t += 0.5) {
            int alive = 0;
            for (double ti : time) {
                alive += ti > t ? 1 : 0;
            }
            assertEquals(alive / 97.0, km.survival(t), 1e-14, "t = " + t);
        }
    }

    @Test
    void censoringEstimateRemovesEventsBeforeCensoringsAtSharedTimes() {
        // t=1: 1 event and 1 censoring among 4: G = 1 - 1/(4 - 1) = 2/3 (not 1 - 1/4)
        // t=2: 1 censoring among 2: G = 2/3 * 1/2; t=3: an event, which leaves no one at risk of censoring
        INDArray time = Nd4j.createFromArray(1.0, 1.0, 2.0, 3.0);
        INDArray event = Nd4j.createFromArray(1.0, 0.0, 0.0, 1.0);
        KaplanMeier g = KaplanMeier.fitCensoring(time, event);
        assertEquals(2.0 / 3, g.survival(1.0), EXACT);
        assertEquals(1.0, g.survivalBefore(1.0), 0);
        assertEquals(1.0 / 3, g.survival(2.5), EXACT);
        assertEquals(1.0 / 3, g.survival(3.0), EXACT);
        assertArrayEquals(new double[] {3, 2, 0}, g.atRisk(), 0);
        assertArrayEquals(new double[] {1, 1, 0}, g.events(), 0);
    }

    @Test
    void rebuildsFromItsCounts() {
        RandomSurvivalData d = RandomSurvivalData.generate(60, 9, 1, 8);
        KaplanMeier km = KaplanMeier.fit(d.time, d.event);
        KaplanMeier copy = KaplanMeier.fromCounts(km.times(), km.atRisk(), km.events());
        assertArrayEquals(km.survivalAtTimes(), copy.survivalAtTimes(), 0);
        assertEquals(km.variance(5), copy.variance(5), 0);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(SurvivalArgumentException.class, () -> KaplanMeier.fit(Nd4j.createFromArray(1.0, -2.0),
                Nd4j.createFromArray(1.0, 1.0)));
        assertThrows(SurvivalArgumentException.class, () -> KaplanMeier.fit(Nd4j.createFromArray(1.0, 2.0),
                Nd4j.createFromArray(1.0, 2.0)));
        assertThrows(SurvivalArgumentException.class, () -> KaplanMeier.fromCounts(new double[] {1, 1},
                new double[] {2, 1}, new double[] {1, 1}));
        KaplanMeier km = KaplanMeier.fit(Nd4j.createFromArray(1.0), Nd4j.createFromArray(1.0));
        assertThrows(SurvivalArgumentException.class, () -> km.survival(Double.NaN));
    }

    /** 0.1 gave S(-1) = 1 here while BreslowBaseline refused t = -1: times are checked alike now. */
    @Test
    void aNegativeOrNonFiniteTimeIsRefusedAsByTheBreslowBaseline() {
        KaplanMeier km = KaplanMeier.fit(Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 0.0, 1.0));
        for (double t : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> km.survival(t));
            assertTrue(e.getMessage().startsWith("t = " + SurvivalArguments.format(t) + ": "), e.getMessage());
        }
        assertEquals(1.0, km.survival(0));
    }
}
