package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.TrainingSummary;

/** Standardization of the CLI's covariates, at the edges a user meets: constant and huge columns. */
class StandardizationTest {
    private static SurvivalData rows(double[]... x) {
        return SurvivalData.of("rows", List.of("age", "site"), x, new double[x.length], new double[x.length]);
    }

    @Test
    void aConstantColumnIsCentredButNotScaledAndOtherValuesStayModerate() {
        // 0.1 summed ten times is not 1.0: the old mean left a spread of rounding error (sd ~ 1e-17),
        // and another value at prediction time became an input of about 1e16
        double[][] x = new double[10][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {40 + i, 0.1};
        }
        Standardization s = Standardization.fit(rows(x));
        assertArrayEquals(new double[] {44.5, 0.1}, s.mean(), 1e-12);
        assertEquals(1.0, s.sd()[1]);
        assertEquals(List.of("site"), s.constantColumns(List.of("age", "site")));
        assertArrayEquals(new double[] {0.0, 0.9}, s.apply(rows(new double[] {44.5, 1.0})).x()[0], 1e-12);
    }

    @Test
    void valuesFarFromTheTrainingDataAreReportedWithRowAndColumn() {
        Standardization s = Standardization.fit(rows(new double[] {40, 1}, new double[] {50, 1}, new double[] {60, 1}));
        List<String> far = s.farOutside(rows(new double[] {55, 1}, new double[] {500, 1}, new double[] {50, 2}), 5);
        assertEquals(2, far.size(), far.toString());
        assertTrue(far.get(0).startsWith("data row 2, age = 500 (training: mean 50.00, sd 10.00; 45.0 sd away"),
                far.get(0));
        assertTrue(far.get(1).startsWith("data row 3, site = 2 (training: always 1)"), far.get(1));
        assertEquals(List.of("data row 1, age = 500 (training: mean 50.00, sd 10.00; 45.0 sd away)", "and 1 more"),
                s.farOutside(rows(new double[] {500, 1}, new double[] {50, 2}), 1).subList(0, 2));
    }

    @Test
    void valuesTooLargeForTheirSpreadAreRefusedNamingTheColumn() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Standardization.fit(rows(new double[] {1e300, 1}, new double[] {-1e300, 2})));
        assertTrue(e.getMessage().startsWith("column age: values from -1.00000e+300 to 1.00000e+300 are too large"),
                e.getMessage());
        // a huge constant is fine: it is only centred
        Standardization s = Standardization.fit(rows(new double[] {1e300, 1}, new double[] {1e300, 2}));
        assertEquals(0.0, s.apply(rows(new double[] {1e300, 1})).x()[0][0]);
    }

    @Test
    void aModelsRecipeAndSummaryGiveTheStandardizationBack() {
        double[][] x = {{40, 0.1}, {50, 0.1}, {60, 0.1}};
        Standardization s = Standardization.fit(rows(x));
        FeatureRecipe recipe = s.recipe(FeatureEncoding.numeric(List.of("age", "site")));
        TrainingSummary summary = new TrainingSummary(3, 1, s.summarySettings(List.of("age", "site")), Map.of());

        Standardization back = Standardization.of(recipe, summary);

        assertArrayEquals(s.mean(), back.mean(), 0);
        assertArrayEquals(s.sd(), back.sd(), 0);
        assertArrayEquals(new boolean[] {false, true}, back.constant());
        assertArrayEquals(s.apply(rows(x)).x()[2], recipe.encode(List.of(Map.of("age", 60, "site", 0.1)))[0], 0);
        assertArrayEquals(new double[] {60, 0.1}, Standardization.unscaled(recipe)
                .encode(List.of(Map.of("age", 60, "site", 0.1)))[0], 0);
        // a model made elsewhere, whose summary says nothing of constant covariates
        assertArrayEquals(new boolean[] {false, false},
                Standardization.of(recipe, new TrainingSummary(3, 1, Map.of(), Map.of())).constant());
    }
}
