package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.testing.GoldenData;
import org.survival4j.testing.RandomSurvivalData;

/**
 * Harrell's and Uno's C against R 4.2.2 / survival 3.5.3 ({@code concordance(Surv(time, event) ~
 * log_hz, reverse = TRUE)}, and with {@code timewt = "n/G2"}), against the O(n^2) definition, and
 * their invariants.
 */
class ConcordanceIndexTest {
    /** Relative error allowed against R (both are exact sums of pair counts, in double). */
    static final double GOLDEN_TOLERANCE = 1e-10;
    /** Absolute error allowed against the pairwise definition (same sums, another order). */
    static final double PAIRWISE_TOLERANCE = 1e-12;

    static Iterable<String> cases() {
        return GoldenData.CASES;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void harrellMatchesRConcordance(String caseName) {
        GoldenData g = GoldenData.rows(caseName);
        double c = ConcordanceIndex.harrell(g.vector("log_hz"), g.vector("time"), g.vector("event"));
        assertRelative(GoldenData.summary(caseName, "cindex_harrell"), c, GOLDEN_TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void unoMatchesRConcordanceWithTimeWeightNOverG2(String caseName) {
        GoldenData g = GoldenData.rows(caseName);
        INDArray time = g.vector("time");
        INDArray event = g.vector("event");
        double c = ConcordanceIndex.uno(g.vector("log_hz"), time, event, time, event);
        assertRelative(GoldenData.summary(caseName, "cindex_uno"), c, GOLDEN_TOLERANCE);
    }

    @Test
    void javadocExample() {
        INDArray risk = Nd4j.createFromArray(2.0, 1.0, 1.0, 1.0);
        INDArray time = Nd4j.createFromArray(1.0, 1.0, 2.0, 3.0);
        INDArray event = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0);
        assertEquals(0.875, ConcordanceIndex.harrell(risk, time, event), PAIRWISE_TOLERANCE);
    }

    @Test
    void tiedEventTimesAreNotComparableButACensoredTieIs() {
        // rows 0 and 1: events at 2 (not comparable); row 2: censored at 2 (outlived both)
        INDArray time = Nd4j.createFromArray(2.0, 2.0, 2.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0);
        INDArray risk = Nd4j.createFromArray(1.0, -1.0, 0.0);
        ConcordanceResult r = ConcordanceIndex.harrellResult(risk, time, event);
        assertEquals(2, r.comparable(), PAIRWISE_TOLERANCE);
        assertEquals(1, r.concordant(), PAIRWISE_TOLERANCE);
        assertEquals(0.5, r.estimate(), PAIRWISE_TOLERANCE);
    }

    @Test
    void unoWeightsByHand() {
        // censoring KM of the set (events leave first at shared times):
        // t=1 event (G stays 1), t=2 censored of 3 at risk (G = 2/3), t=3 event, t=4 censored
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0);
        INDArray event = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0);
        INDArray risk = Nd4j.createFromArray(0.0, 5.0, 1.0, 2.0);
        // event 0 (w = 1/G(1-)^2 = 1): vs 1, 2, 3 -> all discordant (risk 0 is lowest)
        // event 2 (w = 1/G(3-)^2 = 9/4): vs 3 -> discordant (1 < 2)
        assertEquals(0, ConcordanceIndex.uno(risk, time, event, time, event), PAIRWISE_TOLERANCE);
        INDArray risk2 = Nd4j.createFromArray(0.0, 5.0, 3.0, 2.0);
        // event 2 now concordant with 3: C = (9/4) / (3 + 9/4)
        assertEquals(2.25 / 5.25, ConcordanceIndex.uno(risk2, time, event, time, event), PAIRWISE_TOLERANCE);
        // truncated at 2: only event 0 counts
        assertEquals(0, ConcordanceIndex.uno(risk2, time, event, time, event, 2.0), PAIRWISE_TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void kernelEqualsPairwiseDefinitionWithManyTies(long seed) {
        RandomSurvivalData d = RandomSurvivalData.generate(200, 12, 1, seed);
        double[] risk = roundedRisk(d.logHz, 4); // many tied risks
        double[] time = d.time.toDoubleVector();
        double[] event = d.event.toDoubleVector();
        PairwiseConcordance expected = PairwiseConcordance.of(risk, time, event, ones(200), ones(200));
        ConcordanceResult r = ConcordanceIndex.harrellResult(Nd4j.createFromArray(risk), d.time, d.event);
        assertEquals(expected.concordant, r.concordant(), PAIRWISE_TOLERANCE);
        assertEquals(expected.discordant, r.discordant(), PAIRWISE_TOLERANCE);
        assertEquals(expected.tied, r.tiedRisk(), PAIRWISE_TOLERANCE);
        assertEquals(expected.estimate(), r.estimate(), PAIRWISE_TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void unoEqualsPairwiseDefinitionWithATrainingSet(long seed) {
        RandomSurvivalData test = RandomSurvivalData.generate(150, 20, 1, seed);
        RandomSurvivalData train = RandomSurvivalData.generate(300, 25, 1, seed + 100);
        KaplanMeier g = KaplanMeier.fitCensoring(train.time, train.event);
        double[] time = test.time.toDoubleVector();
        double[] event = test.event.toDoubleVector();
        double[] w = new double[time.length];
        for (int i = 0; i < w.length; i++) {
            double gi = g.survivalBefore(time[i]);
            w[i] = gi > 0 && time[i] <= 15 ? 1 / (gi * gi) : 0;
        }
        double[] risk = test.logHz.toDoubleVector();
        double expected = PairwiseConcordance.of(risk, time, event, w, ones(time.length)).estimate();
        assertEquals(expected, ConcordanceIndex.uno(test.logHz, test.time, test.event, train.time, train.event, 15),
                PAIRWISE_TOLERANCE);
    }

    @Test
    void perfectScoreIsOneAndItsNegationZero() {
        // Distinct times: with a tie between an event and a censored row a "perfect" score would tie too.
        RandomSurvivalData d = RandomSurvivalData.generate(300, 1000, 1, 7);
        double[] distinctTime = new double[300];
        double[] perfect = new double[300];
        for (int i = 0; i < 300; i++) {
            distinctTime[i] = i + 1;
            perfect[i] = -(i + 1); // shorter time = higher risk
        }
        INDArray t = Nd4j.createFromArray(distinctTime);
        assertEquals(1.0, ConcordanceIndex.harrell(Nd4j.createFromArray(perfect), t, d.event), 0);
        assertEquals(0.0, ConcordanceIndex.harrell(Nd4j.createFromArray(perfect).neg(), t, d.event), 0);
        assertEquals(1.0, ConcordanceIndex.uno(Nd4j.createFromArray(perfect), t, d.event, t, d.event), 0);
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void invariantToStrictlyIncreasingTransforms(long seed) {
        RandomSurvivalData d = RandomSurvivalData.generate(400, 30, 1, seed);
        double[] risk = roundedRisk(d.logHz, 10);
        double[] transformed = Arrays.stream(risk).map(x -> Math.exp(3 * x) + 7).toArray();
        assertEquals(ConcordanceIndex.harrell(Nd4j.createFromArray(risk), d.time, d.event),
                ConcordanceIndex.harrell(Nd4j.createFromArray(transformed), d.time, d.event), PAIRWISE_TOLERANCE);
        assertEquals(ConcordanceIndex.uno(Nd4j.createFromArray(risk), d.time, d.event, d.time, d.event),
                ConcordanceIndex.uno(Nd4j.createFromArray(transformed), d.time, d.event, d.time, d.event),
                PAIRWISE_TOLERANCE);
    }

    @Test
    void negationGivesOneMinusC() {
        RandomSurvivalData d = RandomSurvivalData.generate(500, 40, 1, 31);
        double c = ConcordanceIndex.harrell(d.logHz, d.time, d.event);
        assertEquals(1 - c, ConcordanceIndex.harrell(d.logHz.neg(), d.time, d.event), PAIRWISE_TOLERANCE);
    }

    @Test
    void hundredThousandRowsRun() {
        // Size check only; timings are in docs/metrics-benchmarks.md.
        int n = 100_000;
        Random rng = new Random(5);
        double[] risk = new double[n];
        double[] time = new double[n];
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            risk[i] = rng.nextGaussian();
            time[i] = Math.floor(-Math.log(rng.nextDouble()) * Math.exp(-risk[i]) * 1000);
            event[i] = rng.nextDouble() < 0.7 ? 1 : 0;
        }
        double c = ConcordanceIndex.harrell(Nd4j.createFromArray(risk), Nd4j.createFromArray(time),
                Nd4j.createFromArray(event));
        assertTrue(c > 0.6 && c < 0.8, "a strongly informative score: " + c);
    }

    @Test
    void rejectsNaNScoresNamingTheRow() {
        INDArray risk = Nd4j.createFromArray(0.1, Double.NaN, 0.3);
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0);
        SurvivalArgumentException e = assertThrows(SurvivalArgumentException.class,
                () -> ConcordanceIndex.harrell(risk, time, event));
        assertTrue(e.getMessage().startsWith("risk[1] = NaN"), e.getMessage());
    }

    @Test
    void rejectsDataWithoutEvents() {
        INDArray time = Nd4j.createFromArray(1.0, 2.0);
        INDArray event = Nd4j.createFromArray(0.0, 0.0);
        SurvivalArgumentException e = assertThrows(SurvivalArgumentException.class,
                () -> ConcordanceIndex.harrell(Nd4j.createFromArray(1.0, 2.0), time, event));
        assertTrue(e.getMessage().contains("no events"), e.getMessage());
    }

    @Test
    void rejectsDataWithoutComparablePairs() {
        // the only event is the last time
        INDArray time = Nd4j.createFromArray(1.0, 2.0);
        INDArray event = Nd4j.createFromArray(0.0, 1.0);
        SurvivalArgumentException e = assertThrows(SurvivalArgumentException.class,
                () -> ConcordanceIndex.harrell(Nd4j.createFromArray(1.0, 2.0), time, event));
        assertTrue(e.getMessage().contains("no comparable pair"), e.getMessage());
    }

    @Test
    void unoGivesZeroWeightWhereTheTrainingCensoringSurvivalIsZero() {
        // training rows all censored by time 2: G(t-) = 0 for t > 2, so the event at 5 drops out
        INDArray trainTime = Nd4j.createFromArray(1.0, 2.0);
        INDArray trainEvent = Nd4j.createFromArray(1.0, 0.0);
        INDArray time = Nd4j.createFromArray(1.0, 5.0, 6.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0);
        INDArray risk = Nd4j.createFromArray(1.0, 0.0, 2.0); // event 1 vs 2 discordant, but weight 0
        ConcordanceResult r = ConcordanceIndex.unoResult(risk, time, event, trainTime, trainEvent,
                Double.POSITIVE_INFINITY);
        assertEquals(2, r.comparable(), PAIRWISE_TOLERANCE);
        assertEquals(0.5, r.estimate(), PAIRWISE_TOLERANCE);
    }

    static double[] roundedRisk(INDArray logHz, double scale) {
        return Arrays.stream(logHz.toDoubleVector()).map(x -> Math.round(x * scale) / scale).toArray();
    }

    static double[] ones(int n) {
        return LongStream.range(0, n).mapToDouble(i -> 1.0).toArray();
    }

    static void assertRelative(double expected, double actual, double tolerance) {
        assertEquals(expected, actual, tolerance * Math.max(1e-300, Math.abs(expected)),
                () -> "relative error " + Math.abs(actual - expected) / Math.abs(expected));
    }
}
