package org.survival4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.dl4j.DeepHitLossFunction;
import org.survival4j.dl4j.FineGrayLossFunction;
import org.survival4j.loss.Ties;
import org.survival4j.metrics.AalenJohansen;
import org.survival4j.testing.CompetingRisksGolden;
import org.survival4j.testing.GoldenData;

/**
 * The competing-risks kinds of {@link SurvivalModel}. The cause-specific Cox and Fine-Gray curves
 * are checked against R (riskRegression 2022.11.28's {@code CSC} + {@code predictRisk}; {@code survfit}
 * of the weighted {@code coxph} on {@code finegray}'s rows; {@code golden-own/competing_risks.R} on
 * mgus2 and Melanoma) through networks that output R's linear predictors; the event-free survival
 * of a model without covariates against the Aalen-Johansen estimate (itself R's multi-state
 * {@code survfit}); DeepHit's curves against the softmax written out here.
 */
class SurvivalModelCompetingRisksTest {
    /** As CumulativeIncidenceTest: R's linear predictors to 17 digits, sums in other orders; measured 5e-15. */
    private static final double R_PREDICTION = 1e-12;

    static Stream<Arguments> rModels() {
        return CompetingRisksGolden.DATASETS.stream().flatMap(d -> Stream.of(Ties.EFRON, Ties.BRESLOW)
                .flatMap(t -> Stream.of(false, true).map(s -> Arguments.of(d, t, s))));
    }

    @ParameterizedTest(name = "{0} {1} strata {2}")
    @MethodSource("rModels")
    void causeSpecificCoxIncidenceEqualsRiskRegression(String dataset, Ties ties, boolean stratified) {
        GoldenData rows = GoldenData.own("cr_predict_" + dataset + ".csv");
        String model = "csc_" + ties.name().toLowerCase(java.util.Locale.ROOT) + (stratified ? "_strata" : "");
        double[][] lp = rows.matrix(model + "_lp_1", model + "_lp_2").toDoubleMatrix();
        int[] strata = stratified ? CompetingRisksGolden.strata(rows) : null;
        SurvivalModel csc = SurvivalModel.builder(ModelFixtures.identity(new CauseSpecificCoxLossFunction(2, ties), 2))
                .trainingData(lp, labels(rows)).strata(strata).build();
        assertEquals(SurvivalModel.Kind.CAUSE_SPECIFIC_COX, csc.kind());
        assertArrayEquals(new int[] {1, 2}, csc.causes());
        for (int k = 1; k <= 2; k++) {
            int cause = k;
            CompetingRisksGolden.assertPredictionsMatchR(dataset, model, k, (r, times) -> csc.cumulativeIncidence(
                    pick(lp, r), strata == null ? null : pick(strata, r), cause, times), R_PREDICTION);
        }
    }

    @ParameterizedTest(name = "{0} {1} strata {2}")
    @MethodSource("rModels")
    void fineGrayIncidenceEqualsRSurvfitOfTheWeightedCoxph(String dataset, Ties ties, boolean stratified) {
        GoldenData rows = GoldenData.own("cr_predict_" + dataset + ".csv");
        String model = "fg_" + ties.name().toLowerCase(java.util.Locale.ROOT) + (stratified ? "_strata" : "");
        int[] strata = stratified ? CompetingRisksGolden.strata(rows) : null;
        for (int k = 1; k <= 2; k++) {
            double[][] lp = rows.matrix(model + "_lp_" + k).toDoubleMatrix();
            SurvivalModel fg = SurvivalModel.builder(ModelFixtures.identity(new FineGrayLossFunction(k, ties), 1))
                    .trainingData(lp, labels(rows)).strata(strata).build();
            assertArrayEquals(new int[] {k}, fg.causes());
            CompetingRisksGolden.assertPredictionsMatchR(dataset, model, k, (r, times) -> fg.cumulativeIncidence(
                    pick(lp, r), strata == null ? null : pick(strata, r), fg.causes()[0], times), R_PREDICTION);
            assertArrayEquals(column(lp), fg.risk(lp), 0, "the risk is the log subdistribution hazard");
        }
    }

    /**
     * Without covariates (every log hazard 0) and with Breslow's increments the cause-specific
     * hazards are d_k / n at each time, and the product integral is the Aalen-Johansen estimate:
     * the incidences, the event-free survival and its median agree with it.
     */
    @Test
    void withoutCovariatesTheCurvesAreAalenJohansen() {
        GoldenData rows = GoldenData.own("cr_predict_mgus2.csv");
        double[][] zeros = new double[rows.rows()][2];
        SurvivalModel csc = SurvivalModel.builder(ModelFixtures.identity(new CauseSpecificCoxLossFunction(2,
                Ties.BRESLOW), 2)).trainingData(zeros, labels(rows)).build();
        AalenJohansen aj = AalenJohansen.fit(rows.vector("time"), rows.vector("cause"));
        double[] times = {0, 1, 12, 60, 120, 240, 424};
        double[][] one = {{0, 0}};
        // sums of the same increments in another order: a few ulps of 1
        double tolerance = 1e-13;
        for (int j = 0; j < times.length; j++) {
            assertEquals(aj.cumulativeIncidence(1, times[j]), csc.cumulativeIncidence(one, 1, times)[0][j], tolerance);
            assertEquals(aj.cumulativeIncidence(2, times[j]), csc.cumulativeIncidence(one, 2, times)[0][j], tolerance);
            assertEquals(aj.eventFree(times[j]), csc.survival(one, times)[0][j], tolerance);
        }
        double median = csc.quantileTime(one, 0.5)[0];
        double[] grid = csc.timeGrid();
        int at = Arrays.binarySearch(grid, median);
        assertTrue(at >= 0 && aj.eventFree(median) <= 0.5 && (at == 0 || aj.eventFree(grid[at - 1]) > 0.5),
                "the median " + median + " is the first event time where the Aalen-Johansen survival is <= 0.5");
    }

    /**
     * DeepHit: the incidence of cause k at t is the probability mass of cause k in the intervals
     * whose grid time is at or before t, p = softmax over [logits ; 0] (the pad for "after the
     * grid"), written out here; 0 before the first grid time.
     */
    @Test
    void deepHitIncidenceIsTheMassOfTheIntervalsUpToEachTime() {
        SurvivalModel model = ModelFixtures.deepHit();
        assertEquals(SurvivalModel.Kind.DEEPHIT, model.kind());
        assertArrayEquals(ModelFixtures.DEEPHIT_GRID, model.gridTimes());
        double[][] x = ModelFixtures.features(4, 21).toDoubleMatrix();
        double[][] logits = model.output(x);
        double[] times = {0, 0.49, 0.5, 1.5, 4, 100};
        int grid = ModelFixtures.DEEPHIT_GRID.length;
        for (int i = 0; i < x.length; i++) {
            double total = 1;
            for (double z : logits[i]) {
                total += Math.exp(z);
            }
            double free = 1;
            for (int j = 0; j < times.length; j++) {
                double allCauses = 0;
                for (int k = 1; k <= 2; k++) {
                    double f = 0;
                    for (int g = 0; g < grid && ModelFixtures.DEEPHIT_GRID[g] <= times[j]; g++) {
                        f += Math.exp(logits[i][(k - 1) * grid + g]) / total;
                    }
                    allCauses += f;
                    // float network, double sums of up to 5 terms: 1e-12 of a probability
                    assertEquals(f, model.cumulativeIncidence(new double[][] {x[i]}, k, times[j])[0][0], 1e-12);
                }
                free = 1 - allCauses;
                assertEquals(free, model.survival(new double[][] {x[i]}, times[j])[0][0], 1e-12);
            }
            assertTrue(free > 0, "the pad keeps mass after the grid");
        }
    }

    @Test
    void aSingleEventModelsIncidenceOfItsOneCauseIsOneMinusSurvival() {
        SurvivalModel cox = ModelFixtures.cox(false, false);
        double[][] x = ModelFixtures.features(3, 22).toDoubleMatrix();
        double[] times = {0.2, 1, 3};
        double[][] s = cox.survival(x, times);
        double[][] f = cox.cumulativeIncidence(x, 1, times);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < times.length; j++) {
                assertEquals(1 - s[i][j], f[i][j], 0);
            }
        }
        assertArrayEquals(new int[] {1}, cox.causes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cox.cumulativeIncidence(x, 2, times));
        assertTrue(e.getMessage().contains("has one cause, 1"), e.getMessage());
    }

    @Test
    void whatAModelDoesNotGiveIsRefusedNamingWhatItGives() {
        double[][] x = ModelFixtures.features(2, 23).toDoubleMatrix();
        SurvivalModel csc = ModelFixtures.causeSpecific(false, false);
        assertThrows(IllegalStateException.class, () -> csc.risk(x));
        assertThrows(IllegalStateException.class, () -> csc.linearPredictor(x));
        IllegalStateException hazard = assertThrows(IllegalStateException.class, () -> csc.cumulativeHazard(x, 1.0));
        assertTrue(hazard.getMessage().contains("cumulativeIncidence"), hazard.getMessage());
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
                () -> csc.cumulativeIncidence(x, 3, 1.0));
        assertTrue(three.getMessage().contains("causes [1, 2]"), three.getMessage());

        SurvivalModel fg = ModelFixtures.fineGray();
        IllegalStateException survival = assertThrows(IllegalStateException.class, () -> fg.survival(x, 1.0));
        assertTrue(survival.getMessage().contains("cause 2 only"), survival.getMessage());
        assertThrows(IllegalStateException.class, () -> fg.quantileTime(x, 0.5));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> fg.cumulativeIncidence(x, 1, 1.0));
        assertTrue(one.getMessage().contains("cause [2]"), one.getMessage());
    }

    @Test
    void trainingDataThatDoesNotFitTheLossIsRefused() {
        INDArray x = ModelFixtures.TRAINING_X;
        INDArray y = ModelFixtures.competingLabels(x, 12);
        MultiLayerNetwork csc = ModelFixtures.mlp(new CauseSpecificCoxLossFunction(2, Ties.EFRON), 2, DataType.DOUBLE);
        INDArray three = y.dup();
        three.putScalar(4, 1, 3.0);
        IllegalArgumentException cause = assertThrows(IllegalArgumentException.class,
                () -> SurvivalModel.builder(csc).trainingData(x, three).build());
        assertTrue(cause.getMessage().startsWith("training row 5: time") && cause.getMessage().contains("cause 3.0")
                && cause.getMessage().contains("from 0 to 2"), cause.getMessage());
        INDArray counting = Nd4j.hstack(Nd4j.zeros(DataType.DOUBLE, x.rows(), 1), y);
        assertThrows(IllegalArgumentException.class, () -> SurvivalModel.builder(csc).trainingData(x, counting).build());
        assertThrows(IllegalArgumentException.class, () -> SurvivalModel.builder(csc).trainingData(x, y)
                .gridTimes(0, 1).build());

        MultiLayerNetwork deepHit = ModelFixtures.mlp(new DeepHitLossFunction(2, 5, 0.2, 0.1), 10, DataType.FLOAT);
        INDArray indices = y.dup();
        indices.getColumn(0).assign(1);
        IllegalArgumentException grid = assertThrows(IllegalArgumentException.class,
                () -> SurvivalModel.builder(deepHit).trainingData(x, indices).build());
        assertTrue(grid.getMessage().contains("gridTimes"), grid.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SurvivalModel.builder(deepHit).trainingData(x, indices)
                .gridTimes(0, 1, 2).build());
        assertThrows(IllegalArgumentException.class, () -> SurvivalModel.builder(deepHit).trainingData(x, indices)
                .gridTimes(0, 1, 1, 2, 3).build());
        INDArray beyond = indices.dup();
        beyond.putScalar(0, 0, 5.0);
        assertThrows(IllegalArgumentException.class, () -> SurvivalModel.builder(deepHit).trainingData(x, beyond)
                .gridTimes(0, 1, 2, 3, 4).build());
    }

    @Test
    void rawRowsGiveTheIncidenceOfTheirEncoding() {
        FeatureRecipe recipe = FeatureRecipe.builder().numeric("a").numeric("b").numeric("c")
                .standardization(new double[] {1, 0, 0}, new double[] {2, 1, 1}).strataColumn("site").build();
        SurvivalModel csc = ModelFixtures.causeSpecific(false, true).withRecipe(recipe);
        List<Map<String, ?>> rows = List.of(Map.of("a", 3, "b", -1, "c", 0.5, "site", "1"),
                Map.of("a", -2, "b", 0, "c", 1, "site", "0"));
        double[][] encoded = recipe.encode(rows);
        for (int k = 1; k <= 2; k++) {
            double[][] expected = csc.cumulativeIncidence(encoded, new int[] {1, 0}, k, 0.5, 2.0);
            double[][] actual = csc.cumulativeIncidence(rows, k, 0.5, 2.0);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], actual[i], 0, "cause " + k + " row " + i);
            }
        }
    }

    private static double[][] labels(GoldenData rows) {
        double[] t = rows.column("time");
        double[] c = rows.column("cause");
        double[][] y = new double[t.length][];
        for (int i = 0; i < t.length; i++) {
            y[i] = new double[] {t[i], c[i]};
        }
        return y;
    }

    private static double[][] pick(double[][] m, int[] rows) {
        return Arrays.stream(rows).mapToObj(r -> m[r]).toArray(double[][]::new);
    }

    private static int[] pick(int[] v, int[] rows) {
        return Arrays.stream(rows).map(r -> v[r]).toArray();
    }

    private static double[] column(double[][] m) {
        return Arrays.stream(m).mapToDouble(r -> r[0]).toArray();
    }
}
