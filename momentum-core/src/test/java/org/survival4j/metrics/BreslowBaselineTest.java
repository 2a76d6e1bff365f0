package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.testing.GoldenData;
import org.survival4j.testing.RandomSurvivalData;

/**
 * Breslow's baseline against R 4.2.2 / survival 3.5.3 ({@code survfit} of
 * {@code coxph(Surv(time, event) ~ offset(log_hz), ties = "breslow")} at log_hz = 0), by hand,
 * with strata and with extreme log hazards.
 */
class BreslowBaselineTest {
    /** Relative error allowed against R. */
    static final double GOLDEN_TOLERANCE = 1e-12;
    static final double EXACT = 1e-14;

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void baselineSurvivalMatchesRSurvfit(String caseName) {
        GoldenData rows = GoldenData.rows(caseName);
        GoldenData metrics = GoldenData.metrics(caseName);
        BreslowBaseline b = BreslowBaseline.fit(rows.vector("log_hz"), rows.vector("time"), rows.vector("event"));
        double[] times = metrics.column("time");
        double[] expected = metrics.column("baseline_survival_breslow");
        for (int k = 0; k < times.length; k++) {
            ConcordanceIndexTest.assertRelative(expected[k], b.baselineSurvival(times[k]), GOLDEN_TOLERANCE);
        }
    }

    @Test
    void javadocExampleByHand() {
        BreslowBaseline b = BreslowBaseline.fit(Nd4j.createFromArray(0.0, 0.0, 0.0),
                Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 0.0, 1.0));
        assertEquals(1.0 / 3, b.baselineCumulativeHazard(2.5), EXACT);
        assertEquals(1.0 / 3 + 1, b.baselineCumulativeHazard(3.0), EXACT);
        assertEquals(0, b.baselineCumulativeHazard(0.5), 0);
        assertEquals(Math.exp(-4.0 / 3), b.baselineSurvival(10), EXACT);
    }

    @Test
    void tiedEventsAndCensoredRowsShareTheRiskSet() {
        // events at 2 (two rows, eta 0 and log 2) with a censored row at 2 (eta log 3): d = 2, sum = 1 + 2 + 3
        INDArray logHz = Nd4j.createFromArray(0.0, Math.log(2), Math.log(3), 0.0);
        INDArray time = Nd4j.createFromArray(2.0, 2.0, 2.0, 5.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0, 0.0);
        BreslowBaseline b = BreslowBaseline.fit(logHz, time, event);
        assertEquals(2.0 / 7, b.baselineCumulativeHazard(2), EXACT);
        assertArrayEquals(new double[] {2}, b.eventTimes(BreslowBaseline.NO_STRATA), 0);
    }

    @Test
    void subjectCurvesArePowersOfTheBaseline() {
        RandomSurvivalData d = RandomSurvivalData.generate(80, 10, 1, 4);
        BreslowBaseline b = BreslowBaseline.fit(d.logHz, d.time, d.event);
        double[] times = {0, 1, 2.5, 6, 11};
        INDArray s = b.survival(d.logHz, times);
        assertArrayEquals(new long[] {80, 5}, s.shape());
        double[] eta = d.logHz.toDoubleVector();
        for (int i = 0; i < 80; i++) {
            for (int j = 0; j < times.length; j++) {
                assertEquals(Math.pow(b.baselineSurvival(times[j]), Math.exp(eta[i])), s.getDouble(i, j), 1e-13);
            }
        }
    }

    @Test
    void extremeLogHazardsGiveFiniteCurves() {
        INDArray logHz = Nd4j.createFromArray(1000.0, -1000.0, 0.0, 500.0);
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 1.0, 0.0);
        BreslowBaseline b = BreslowBaseline.fit(logHz, time, event);
        // H0(1) = 1 / (e^1000 + e^-1000 + 1 + e^500) = e^-1000 (subnormal-free in log space)
        INDArray s = b.survival(logHz, 0.5, 1.0, 3.0);
        for (double v : s.data().asDouble()) {
            assertTrue(Double.isFinite(v) && v >= 0 && v <= 1);
        }
        assertEquals(Math.exp(-1), s.getDouble(0, 1), 1e-12); // e^-1000 * e^1000
        assertEquals(1.0, s.getDouble(1, 1), 0);
        // H0(2) adds 1 / (e^-1000 + 1 + e^500) = e^-500; H0(3) adds 1 / (1 + e^500)
        assertEquals(Math.exp(-Math.exp(-500 + 500) - Math.exp(-500 + 500) - Math.exp(-1000 + 500)),
                s.getDouble(3, 2), 1e-12);
    }

    @Test
    void strataHaveTheirOwnBaselines() {
        RandomSurvivalData d = RandomSurvivalData.generate(120, 10, 3, 6);
        BreslowBaseline stratified = BreslowBaseline.fit(d.logHz, d.time, d.event, d.strata);
        assertTrue(stratified.stratified());
        for (int label : stratified.strata()) {
            int[] rows = java.util.stream.IntStream.range(0, 120).filter(i -> d.strata[i] == label).toArray();
            BreslowBaseline alone = BreslowBaseline.fit(pick(d.logHz, rows), pick(d.time, rows), pick(d.event, rows));
            for (double t = 0; t < 12; t += 0.5) {
                assertEquals(alone.baselineCumulativeHazard(t), stratified.baselineCumulativeHazard(t, label), EXACT);
            }
        }
        INDArray s = stratified.survival(d.logHz, d.strata, 3.0);
        assertEquals(Math.pow(stratified.baselineSurvival(3.0, d.strata[0]), Math.exp(d.logHz.getDouble(0))),
                s.getDouble(0, 0), 1e-13);
        assertThrows(SurvivalArgumentException.class, () -> stratified.baselineSurvival(3.0));
        assertThrows(SurvivalArgumentException.class, () -> stratified.baselineSurvival(3.0, 12345));
    }

    @Test
    void roundTripsThroughPlainNumbers() {
        RandomSurvivalData d = RandomSurvivalData.generate(100, 10, 2, 9);
        BreslowBaseline fitted = BreslowBaseline.fit(d.logHz, d.time, d.event, d.strata);
        int[] strata = fitted.strata();
        double[][] times = Arrays.stream(strata).mapToObj(fitted::eventTimes).toArray(double[][]::new);
        double[][] hazards = Arrays.stream(strata).mapToObj(fitted::cumulativeHazards).toArray(double[][]::new);
        BreslowBaseline copy = BreslowBaseline.of(strata, times, hazards);
        assertEquals(fitted.survival(d.logHz, d.strata, 2, 5, 8), copy.survival(d.logHz, d.strata, 2, 5, 8));

        BreslowBaseline single = BreslowBaseline.fit(d.logHz, d.time, d.event);
        BreslowBaseline singleCopy = BreslowBaseline.of(single.eventTimes(0), single.cumulativeHazards(0));
        assertEquals(single.baselineSurvival(4), singleCopy.baselineSurvival(4), 1e-15);
    }

    @Test
    void rejectsBadInput() {
        INDArray time = Nd4j.createFromArray(1.0, 2.0);
        assertThrows(SurvivalArgumentException.class,
                () -> BreslowBaseline.fit(Nd4j.createFromArray(0.0, 0.0), time, Nd4j.createFromArray(0.0, 0.0)));
        assertThrows(SurvivalArgumentException.class, () -> BreslowBaseline.fit(Nd4j.createFromArray(0.0, Double.NaN),
                time, Nd4j.createFromArray(1.0, 0.0)));
        assertThrows(SurvivalArgumentException.class,
                () -> BreslowBaseline.of(new double[] {1, 2}, new double[] {0.5, 0.4}));
        BreslowBaseline b = BreslowBaseline.fit(Nd4j.createFromArray(0.0, 0.0), time, Nd4j.createFromArray(1.0, 0.0));
        assertThrows(SurvivalArgumentException.class, () -> b.baselineSurvival(-1));
    }

    private static INDArray pick(INDArray v, int[] rows) {
        double[] all = v.toDoubleVector();
        return Nd4j.createFromArray(Arrays.stream(rows).mapToDouble(i -> all[i]).toArray());
    }
}
