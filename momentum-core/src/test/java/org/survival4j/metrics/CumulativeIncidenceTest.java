package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.Ties;
import org.survival4j.testing.CompetingRisksGolden;
import org.survival4j.testing.GoldenData;

/**
 * Cumulative incidence estimates against R 4.2.2 ({@code golden-own/competing_risks.R} on mgus2
 * and Melanoma): the Aalen-Johansen estimate against survival 3.5.3's multi-state {@code survfit},
 * the cause-specific Cox prediction against riskRegression 2022.11.28's {@code CSC} +
 * {@code predictRisk} and the Fine-Gray prediction against {@code survfit} of the weighted
 * {@code coxph} on {@code finegray}'s rows, each model with the linear predictors R fitted.
 */
class CumulativeIncidenceTest {
    /** Aalen-Johansen sums the same few terms as R in the same order: 1e-12. */
    static final double AALEN_JOHANSEN = 1e-12;
    /**
     * Predictions rest on R's fitted linear predictors, printed to 17 digits, and on cumulative
     * hazards R and this code sum in other orders: measured agreement 5e-15 (absolute; incidences
     * are in [0, 1]), checked at 1e-12.
     */
    static final double PREDICTION = 1e-12;

    @ParameterizedTest
    @ValueSource(strings = {"mgus2", "melanoma"})
    void aalenJohansenMatchesRMultiStateSurvfit(String dataset) {
        GoldenData rows = GoldenData.own("cr_predict_" + dataset + ".csv");
        GoldenData aj = GoldenData.own("cr_aj_" + dataset + ".csv");
        double[] at = aj.column("at");
        AalenJohansen fit = AalenJohansen.fit(rows.vector("time"), rows.vector("cause"));
        for (int k = 1; k <= 2; k++) {
            assertArrayEquals(aj.column("cif_" + k),
                    AalenJohansen.cumulativeIncidence(rows.vector("time"), rows.vector("cause"), k, at), AALEN_JOHANSEN,
                    dataset + " cause " + k);
        }
        double[] free = aj.column("event_free");
        for (int j = 0; j < at.length; j++) {
            assertEquals(free[j], fit.eventFree(at[j]), AALEN_JOHANSEN);
            assertEquals(1, fit.eventFree(at[j]) + fit.cumulativeIncidence(1, at[j]) + fit.cumulativeIncidence(2, at[j]),
                    1e-14);
        }
        assertEquals(2, fit.causes());
        assertEquals(0, fit.cumulativeIncidence(3, 100), 0);
    }

    @Test
    void aalenJohansenJavadocExampleByHand() {
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 2.0, 3.0);
        INDArray cause = Nd4j.createFromArray(1.0, 2.0, 0.0, 1.0);
        assertArrayEquals(new double[] {0.25, 0.25, 0.75},
                AalenJohansen.cumulativeIncidence(time, cause, 1, new double[] {1, 2.5, 3}), 1e-15);
        assertArrayEquals(new double[] {0.25}, AalenJohansen.cumulativeIncidence(time, cause, 2, new double[] {2}),
                1e-15);
    }

    @Test
    void withOneCauseAalenJohansenIsOneMinusKaplanMeier() {
        GoldenData lung = GoldenData.rows("lung_sd1");
        KaplanMeier km = KaplanMeier.fit(lung.vector("time"), lung.vector("event"));
        AalenJohansen aj = AalenJohansen.fit(lung.vector("time"), lung.vector("event"));
        for (double t : new double[] {0, 5, 100, 305.5, 1022}) {
            assertEquals(1 - km.survival(t), aj.cumulativeIncidence(1, t), 1e-14);
        }
    }

    static Stream<Arguments> models() {
        return CompetingRisksGolden.DATASETS.stream().flatMap(d -> Stream.of("efron", "breslow")
                .flatMap(t -> Stream.of("", "_strata").map(s -> Arguments.of(d, t, s))));
    }

    @ParameterizedTest(name = "{0} {1}{2}")
    @MethodSource("models")
    void causeSpecificCoxIncidenceMatchesRiskRegressionPredictRisk(String dataset, String ties, String strata) {
        GoldenData rows = GoldenData.own("cr_predict_" + dataset + ".csv");
        String model = "csc_" + ties + strata;
        int[] s = strata.isEmpty() ? null : CompetingRisksGolden.strata(rows);
        INDArray lp = rows.matrix(model + "_lp_1", model + "_lp_2");
        CauseSpecificIncidence csc = CauseSpecificIncidence.fit(lp, rows.vector("time"), rows.vector("cause"), s,
                ties.equals("efron") ? Ties.EFRON : Ties.BRESLOW);
        for (int k = 1; k <= 2; k++) {
            int cause = k;
            CompetingRisksGolden.assertPredictionsMatchR(dataset, model, k, (newRows, times) -> csc.cumulativeIncidence(
                    Nd4j.pullRows(lp, 1, newRows), s == null ? null : pick(s, newRows), cause, times).toDoubleMatrix(),
                    PREDICTION);
        }
    }

    @ParameterizedTest(name = "{0} {1}{2}")
    @MethodSource("models")
    void fineGrayIncidenceMatchesRSurvfitOfTheWeightedCoxph(String dataset, String ties, String strata) {
        GoldenData rows = GoldenData.own("cr_predict_" + dataset + ".csv");
        String model = "fg_" + ties + strata;
        int[] s = strata.isEmpty() ? null : CompetingRisksGolden.strata(rows);
        for (int k = 1; k <= 2; k++) {
            FineGrayIncidence fg = FineGrayIncidence.fit(rows.vector(model + "_lp_" + k), rows.vector("time"),
                    rows.vector("cause"), k, s, ties.equals("efron") ? Ties.EFRON : Ties.BRESLOW);
            double[] lp = rows.column(model + "_lp_" + k);
            CompetingRisksGolden.assertPredictionsMatchR(dataset, model, k, (newRows, times) -> fg.cumulativeIncidence(
                    Nd4j.createFromArray(pick(lp, newRows)), s == null ? null : pick(s, newRows), times)
                    .toDoubleMatrix(), PREDICTION);
        }
    }

    @Test
    void predictionsRefuseUnknownStrataAndMissingStrata() {
        GoldenData rows = GoldenData.own("cr_predict_melanoma.csv");
        int[] s = CompetingRisksGolden.strata(rows);
        CauseSpecificIncidence csc = CauseSpecificIncidence.fit(rows.matrix("csc_efron_strata_lp_1",
                "csc_efron_strata_lp_2"), rows.vector("time"), rows.vector("cause"), s, Ties.EFRON);
        INDArray lp = Nd4j.createFromArray(new double[][] {{0.1, 0.2}});
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> csc.cumulativeIncidence(lp, null, 1, 100.0));
        assertTrue(missing.getMessage().contains("give each row's stratum"), missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> csc.cumulativeIncidence(lp, new int[] {7}, 1, 100.0));
        assertTrue(unknown.getMessage().contains("stratum 7"), unknown.getMessage());
    }

    private static int[] pick(int[] v, int[] rows) {
        return java.util.Arrays.stream(rows).map(r -> v[r]).toArray();
    }

    private static double[] pick(double[] v, int[] rows) {
        return java.util.Arrays.stream(rows).mapToDouble(r -> v[r]).toArray();
    }
}
