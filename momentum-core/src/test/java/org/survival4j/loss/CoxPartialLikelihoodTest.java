package org.survival4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.testing.GoldenData;
import org.survival4j.testing.RandomSurvivalData;

/**
 * The Cox partial likelihood against R 4.2.2 / survival 3.5.3 ({@code coxph} with an offset: the
 * log-likelihood, and minus the martingale residuals as the gradient), hand-computed cases and
 * invariants.
 */
class CoxPartialLikelihoodTest extends AbstractSurvivalLossContractTest {
    /** Relative error allowed against R's values in double precision. */
    static final double VALUE_TOLERANCE = 1e-9;
    /** Relative error allowed against R's per-row gradients (martingale residuals) in double. */
    static final double GRADIENT_TOLERANCE = 1e-7;
    /** Relative error allowed in float32 against R (sd1 cases). */
    static final double FLOAT32_TOLERANCE = 1e-4;

    @Override
    ValueAndGradient evaluate(INDArray output, INDArray time, INDArray event, Reduction reduction) {
        return new CoxPartialLikelihood(Ties.EFRON, reduction).valueAndGradient(output, time, event);
    }

    @Override
    int columns() {
        return 1;
    }

    static Stream<Arguments> goldenCases() {
        return GoldenData.CASES.stream().flatMap(c -> Stream.of(
                Arguments.of(c, Ties.EFRON, "nll_efron_sum", "grad_efron"),
                Arguments.of(c, Ties.BRESLOW, "nll_breslow_sum", "grad_breslow")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenCases")
    void valueMatchesRCoxph(String caseName, Ties ties, String valueColumn, String gradientColumn) {
        GoldenData g = GoldenData.rows(caseName);
        double value = new CoxPartialLikelihood(ties, Reduction.SUM)
                .value(g.vector("log_hz"), g.vector("time"), g.vector("event"));
        assertRelative(GoldenData.summary(caseName, valueColumn), value, VALUE_TOLERANCE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenCases")
    void gradientMatchesRMartingaleResiduals(String caseName, Ties ties, String valueColumn, String gradientColumn) {
        GoldenData g = GoldenData.rows(caseName);
        double[] gradient = new CoxPartialLikelihood(ties, Reduction.SUM)
                .gradient(g.vector("log_hz"), g.vector("time"), g.vector("event")).toDoubleVector();
        double[] expected = g.column(gradientColumn);
        for (int i = 0; i < expected.length; i++) {
            assertRelative(expected[i], gradient[i], GRADIENT_TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenCases")
    void javaArrayFormMatchesRCoxph(String caseName, Ties ties, String valueColumn, String gradientColumn) {
        GoldenData g = GoldenData.rows(caseName);
        ValueAndGradient r = new CoxPartialLikelihood(ties, Reduction.SUM)
                .valueAndGradient(g.column("log_hz"), g.column("time"), g.column("event"), null, 0);
        assertRelative(GoldenData.summary(caseName, valueColumn), r.value(), VALUE_TOLERANCE);
        double[] expected = g.column(gradientColumn);
        double[] gradient = r.gradientValues();
        for (int i = 0; i < expected.length; i++) {
            assertRelative(expected[i], gradient[i], GRADIENT_TOLERANCE);
        }
        assertArrayEquals(gradient, r.gradient().data().asDouble(), 0.0);
        assertArrayEquals(new long[] {g.rows()}, r.gradient().shape());
    }

    @Test
    void aGradientFirstAskedForInsideAWorkspaceOutlivesIt() {
        ValueAndGradient r = CoxPartialLikelihood.efron().valueAndGradient(new double[] {0.5, -0.2, 0},
                new double[] {1, 2, 2}, new double[] {1, 1, 0}, null, 0);
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        INDArray inside;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "caller")) {
            inside = r.gradient();
            assertFalse(inside.isAttached());
        }
        assertSame(inside, r.gradient());
        assertArrayEquals(r.gradientValues(), inside.data().asDouble(), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lung_sd1", "gbsg_sd1"})
    void float32MatchesRWithinFloatPrecision(String caseName) {
        GoldenData g = GoldenData.rows(caseName);
        INDArray logHz = g.vector("log_hz").castTo(DataType.FLOAT).reshape(-1, 1);
        ValueAndGradient r = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM).valueAndGradient(logHz,
                g.vector("time").castTo(DataType.FLOAT), g.vector("event").castTo(DataType.FLOAT));
        assertRelative(GoldenData.summary(caseName, "nll_efron_sum"), r.value(), FLOAT32_TOLERANCE);
        assertEquals(DataType.FLOAT, r.gradient().dataType());
        assertArrayEquals(new long[] {g.rows(), 1}, r.gradient().shape());
        double[] expected = g.column("grad_efron");
        double[] actual = r.gradient().data().asDouble();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], FLOAT32_TOLERANCE * Math.max(1, Math.abs(expected[i])));
        }
    }

    @Test
    void javadocExampleByHand() {
        CoxPartialLikelihood cox = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM);
        INDArray logHz = Nd4j.createFromArray(0.5, -0.2, 0.0);
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 2.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0);
        // event at 1: everyone at risk; event at 2: rows 1 and 2 (the censored row ties with it)
        double expected = Math.log(Math.exp(0.5) + Math.exp(-0.2) + 1) - 0.5 + Math.log(Math.exp(-0.2) + 1) + 0.2;
        assertEquals(expected, cox.value(logHz, time, event), EXACT);
        assertEquals(1.5415589, cox.value(logHz, time, event), 1e-7); // as printed in the Javadoc
    }

    @Test
    void efronCorrectionByHandForTwoTiedEvents() {
        // two events at time 1 with hazards w1, w2 and a censored row (w3) at time 1 too:
        // Efron: log(S) + log(S - (w1 + w2)/2) - eta1 - eta2, with S = w1 + w2 + w3
        double[] eta = {0.3, -0.4, 1.1};
        double w1 = Math.exp(eta[0]);
        double w2 = Math.exp(eta[1]);
        double s = w1 + w2 + Math.exp(eta[2]);
        INDArray time = Nd4j.createFromArray(1.0, 1.0, 1.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0);
        double efron = Math.log(s) + Math.log(s - (w1 + w2) / 2) - eta[0] - eta[1];
        double breslow = 2 * Math.log(s) - eta[0] - eta[1];
        assertEquals(efron, new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM)
                .value(Nd4j.createFromArray(eta), time, event), EXACT);
        assertEquals(breslow, new CoxPartialLikelihood(Ties.BRESLOW, Reduction.SUM)
                .value(Nd4j.createFromArray(eta), time, event), EXACT);
    }

    @Test
    void censoredRowTiedWithAnEventIsAtRiskWhateverTheOrder() {
        CoxPartialLikelihood cox = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM);
        INDArray time = Nd4j.createFromArray(2.0, 2.0);
        double expected = Math.log(Math.exp(0.7) + Math.exp(-0.1)) - 0.7;
        assertEquals(expected, cox.value(Nd4j.createFromArray(0.7, -0.1), time, Nd4j.createFromArray(1.0, 0.0)), EXACT);
        assertEquals(expected, cox.value(Nd4j.createFromArray(-0.1, 0.7), time, Nd4j.createFromArray(0.0, 1.0)), EXACT);
    }

    @Test
    void extremeLogHazardsGiveFiniteExactResults() {
        CoxPartialLikelihood cox = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM);
        INDArray time = Nd4j.createFromArray(1.0, 2.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0);
        // early event has the huge hazard: both terms vanish up to log(1 + e^-2000)
        ValueAndGradient good = cox.valueAndGradient(Nd4j.createFromArray(1000.0, -1000.0), time, event);
        assertEquals(0.0, good.value(), EXACT);
        assertArrayEquals(new double[] {0, 0}, good.gradient().toDoubleVector(), EXACT);
        // early event has the tiny hazard: log(e^-1000 + e^1000) + 1000 = 2000
        ValueAndGradient bad = cox.valueAndGradient(Nd4j.createFromArray(-1000.0, 1000.0), time, event);
        assertEquals(2000.0, bad.value(), EXACT * 2000);
        assertArrayEquals(new double[] {-1, 1}, bad.gradient().toDoubleVector(), EXACT);
    }

    @ParameterizedTest(name = "shift {0}")
    @CsvSource({"-1000", "-7.5", "3", "1000"})
    void addingAConstantToEveryLogHazardChangesNothing(double shift) {
        GoldenData g = GoldenData.rows("lung_sd8");
        CoxPartialLikelihood cox = new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN);
        ValueAndGradient base = cox.valueAndGradient(g.vector("log_hz"), g.vector("time"), g.vector("event"));
        ValueAndGradient shifted = cox.valueAndGradient(g.vector("log_hz").add(shift), g.vector("time"),
                g.vector("event"));
        assertRelative(base.value(), shifted.value(), 1e-10);
        assertArrayEquals(base.gradient().toDoubleVector(), shifted.gradient().toDoubleVector(), 1e-10);
    }

    @Test
    void permutingTiedRowsOfGoldenDataChangesNothing() {
        GoldenData g = GoldenData.rows("gbsg_sd1"); // many ties between events and censored rows
        int[] perm = permutation(g.rows(), 5);
        CoxPartialLikelihood cox = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM);
        double v = cox.value(rows(g.vector("log_hz"), perm), rows(g.vector("time"), perm),
                rows(g.vector("event"), perm));
        assertRelative(GoldenData.summary("gbsg_sd1", "nll_efron_sum"), v, VALUE_TOLERANCE);
    }

    @Test
    void efronEqualsBreslowWithoutTies() {
        RandomSurvivalData d = RandomSurvivalData.generate(50, 1_000_000, 1, 7);
        INDArray untied = Nd4j.createFromArray(uniqueTimes(50));
        double efron = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM).value(d.logHz, untied, d.event);
        double breslow = new CoxPartialLikelihood(Ties.BRESLOW, Reduction.SUM).value(d.logHz, untied, d.event);
        assertEquals(efron, breslow, EXACT * Math.abs(efron));
    }

    @ParameterizedTest
    @CsvSource({"EFRON", "BRESLOW"})
    void stratifiedLossIsTheSumOfPerStratumLosses(Ties ties) {
        RandomSurvivalData d = RandomSurvivalData.generate(60, 5, 3, 17);
        CoxPartialLikelihood cox = new CoxPartialLikelihood(ties, Reduction.SUM);
        double expected = 0;
        for (int label : Arrays.stream(d.strata).distinct().toArray()) {
            int[] rows = java.util.stream.IntStream.range(0, 60).filter(i -> d.strata[i] == label).toArray();
            expected += cox.value(rows(d.logHz, rows), rows(d.time, rows), rows(d.event, rows));
        }
        assertEquals(expected, cox.value(d.logHz, d.time, d.event, d.strata), EXACT * Math.abs(expected));
    }

    @ParameterizedTest
    @CsvSource({"EFRON, 1", "BRESLOW, 1", "EFRON, 3", "BRESLOW, 3"})
    void gradientWithTiesAndStrataMatchesFiniteDifferences(Ties ties, int strata) {
        RandomSurvivalData d = RandomSurvivalData.generate(40, 4, strata, 23 + strata);
        CoxPartialLikelihood cox = new CoxPartialLikelihood(ties, Reduction.MEAN);
        assertGradientMatchesFiniteDifferences(d.logHz,
                o -> cox.valueAndGradient(o, d.time, d.event, d.strata, 0));
    }

    @Test
    void noEventsGivesZeroValueAndZeroGradient() {
        CoxPartialLikelihood cox = new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN);
        ValueAndGradient r = cox.valueAndGradient(Nd4j.createFromArray(1.0, 2.0, 3.0),
                Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(0.0, 0.0, 0.0));
        assertEquals(0.0, r.value());
        assertEquals(0, r.events());
        assertArrayEquals(new double[3], r.gradient().toDoubleVector());
    }

    @Test
    void suffixGradientIsTheTailOfTheFullGradient() {
        RandomSurvivalData d = RandomSurvivalData.generate(30, 6, 2, 3);
        INDArray logHz = d.logHz.reshape(30, 1);
        CoxPartialLikelihood cox = CoxPartialLikelihood.efron();
        ValueAndGradient full = cox.valueAndGradient(logHz, d.time, d.event, d.strata, 0);
        ValueAndGradient tail = cox.valueAndGradient(logHz, d.time, d.event, d.strata, 22);
        assertEquals(full.value(), tail.value());
        assertArrayEquals(new long[] {8, 1}, tail.gradient().shape());
        assertArrayEquals(Arrays.copyOfRange(full.gradient().data().asDouble(), 22, 30),
                tail.gradient().data().asDouble());
        assertEquals(22, tail.firstRow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "NaN log hazard;      NaN, 1, 1;   1, 2, 3;  1, 0, 1;  logHz[0] = NaN",
        "infinite log hazard; 0, Infinity, 1; 1, 2, 3;  1, 0, 1;  logHz[1] = Infinity",
        "negative time;       0, 0, 0;     1, -2, 3; 1, 0, 1;  time[1] = -2.0",
        "NaN time;            0, 0, 0;     1, 2, NaN; 1, 0, 1; time[2] = NaN",
        "event not binary;    0, 0, 0;     1, 2, 3;  1, 2, 1;  event[1] = 2.0",
        "length mismatch;     0, 0, 0;     1, 2;     1, 0, 1;  time has 2 rows"})
    void rejectsBadInputNamingArgumentRowAndValue(String what, String logHz, String time, String event,
                                                  String message) {
        CoxPartialLikelihood cox = CoxPartialLikelihood.efron();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cox.value(parse(logHz), parse(time), parse(event)));
        assertTrue(e.getMessage().contains(message), () -> what + ": " + e.getMessage());
        IllegalArgumentException java = assertThrows(IllegalArgumentException.class, () -> cox.valueAndGradient(
                parse(logHz).toDoubleVector(), parse(time).toDoubleVector(), parse(event).toDoubleVector(), null, 0));
        assertEquals(e.getMessage(), java.getMessage(), "the Java-array form reports the same problem");
    }

    @Test
    void rejectsMultiColumnLogHazards() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoxPartialLikelihood.efron().value(Nd4j.zeros(3, 2), Nd4j.ones(3), Nd4j.ones(3)));
        assertTrue(e.getMessage().startsWith("logHz has shape [3, 2]"), e.getMessage());
    }

    @Test
    void rejectsStrataOfWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoxPartialLikelihood.efron().value(Nd4j.zeros(3), Nd4j.ones(3), Nd4j.ones(3), new int[2]));
        assertTrue(e.getMessage().startsWith("strata has 2 rows"), e.getMessage());
    }

    static INDArray parse(String csv) {
        return Nd4j.createFromArray(Arrays.stream(csv.split(",")).map(String::trim)
                .mapToDouble(Double::parseDouble).toArray());
    }

    static double[] uniqueTimes(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1 + (i * 37 % n) + 0.5 * i / n;
        }
        return t;
    }

    static void assertRelative(double expected, double actual, double tolerance) {
        assertEquals(expected, actual, tolerance * Math.abs(expected),
                () -> "relative error " + Math.abs(actual - expected) / Math.abs(expected));
    }

    @Test
    void aLengthMismatchReadsAsASentence() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoxPartialLikelihood.efron().value(Nd4j.createFromArray(1.0, 2.0), Nd4j.createFromArray(1.0),
                        Nd4j.createFromArray(1.0)));
        assertEquals("time has 1 rows but the scores have 2", e.getMessage()); // 0.1: "the scores has 2"
    }
}
