package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading of the Rotterdam -> GBSG validation cohorts from the embedded CSV files. */
class BreastCancerCohortsTest {

    @Test
    void rotterdamKeepsThe1546NodePositivePatients() {
        SurvivalData rotterdam = BreastCancerCohorts.rotterdamNodePositive();

        assertEquals(1546, rotterdam.size());
        assertWellFormed(rotterdam);
    }

    @Test
    void gbsgHasAll686PatientsAnd299Events() {
        SurvivalData gbsg = BreastCancerCohorts.gbsg();

        assertEquals(686, gbsg.size());
        assertEquals(299, gbsg.events()); // as documented for R's survival::gbsg
        assertWellFormed(gbsg);
    }

    @ParameterizedTest
    @CsvSource({"3, 0", "20, 0", "21, 1", "50, 1", "51, 2", "120, 2", "<=20, 0", "20-50, 1", ">50, 2"})
    void gbsgSizeInMillimetresIsBinnedLikeRotterdamCategories(String size, double category) {
        int column = BreastCancerCohorts.RECIPE.covariates().indexOf("size");
        assertEquals(category, BreastCancerCohorts.RECIPE.encode(List.of(Map.of("age", 50, "meno", 1, "size", size,
                "grade", 2, "nodes", 1, "pgr", 1, "er", 1, "hormon", 0)))[0][column]);
    }

    @Test
    void standardizedTrainingCovariatesHaveMeanZeroAndSdOne() {
        SurvivalData rotterdam = BreastCancerCohorts.rotterdamNodePositive();
        double[][] z = Standardization.fit(rotterdam).apply(rotterdam).x();

        for (int j = 0; j < z[0].length; j++) {
            double mean = 0;
            for (double[] row : z) {
                mean += row[j] / z.length;
            }
            double variance = 0;
            for (double[] row : z) {
                variance += (row[j] - mean) * (row[j] - mean) / (z.length - 1);
            }
            assertEquals(0.0, mean, 1e-12, "column " + j);
            assertEquals(1.0, variance, 1e-12, "column " + j);
        }
    }

    private static void assertWellFormed(SurvivalData cohort) {
        assertEquals(BreastCancerCohorts.RECIPE.covariates().size(), cohort.x()[0].length);
        assertEquals(cohort.size(), cohort.features().rows());
        assertEquals(2, cohort.labels().columns());
        for (int i = 0; i < cohort.size(); i++) {
            assertTrue(cohort.time()[i] > 0, "time of row " + i);
            assertTrue(cohort.event()[i] == 0 || cohort.event()[i] == 1, "event of row " + i);
            for (double v : cohort.x()[i]) {
                assertTrue(Double.isFinite(v), "covariates of row " + i);
            }
        }
    }
}
