package org.survival4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureRecipeTest {
    private static final FeatureRecipe RECIPE = FeatureRecipe.builder()
            .numeric("age").log1p("nodes").oneHot("grade", List.of("1", "2", "3"))
            .ordinal("size", List.of("<=20", "20-50", ">50"), 20, 50)
            .standardization(new double[] {50, 1, 0.5, 0.25, 1}, new double[] {10, 2, 0.5, 0.5, 1})
            .build();

    @Test
    void encodesEachKindAndStandardizes() {
        double[][] x = RECIPE.encode(List.of(Map.of("age", 70, "nodes", "3", "grade", "3", "size", "50", "other", "x"),
                Map.of("age", "40.0", "nodes", 0, "grade", 2.0, "size", ">50")));
        assertEquals(List.of("age", "log1p(nodes)", "grade=2", "grade=3", "size"), RECIPE.covariates());
        assertArrayEquals(new double[] {2, (Math.log(4) - 1) / 2, -1, 1.5, 0}, x[0], 1e-15);
        assertArrayEquals(new double[] {-1, -0.5, 1, -0.5, 1}, x[1], 1e-15);
    }

    @Test
    void badValuesAreNamedByRowAndColumn() {
        Map<String, Object> good = Map.of("age", 70, "nodes", "3", "grade", "3", "size", "50");
        assertMessage(with(good, "grade", "4"), "row 2: column 'grade' has '4': a category not seen in training");
        assertMessage(with(good, "nodes", "-1"), "row 2: column 'nodes' has '-1': log(1 + x) needs x > -1");
        assertMessage(with(good, "age", Double.NaN), "row 2: column 'age' has NaN: not a finite number");
        assertMessage(with(good, "age", "1e999"), "row 2: column 'age' has '1e999'");
        assertMessage(with(good, "size", "huge"), "row 2: column 'size' has 'huge': not one of the levels");
        assertMessage(with(good, "age", null), "row 2: column 'age' is missing");
        assertMessage(with(good, "age", "NA"), "row 2: column 'age' is missing");
    }

    @Test
    void missingValuesCanTakeTheTrainingMean() {
        FeatureRecipe lenient = FeatureRecipe.builder().numeric("age").oneHot("arm", List.of("a", "b"))
                .standardization(new double[] {50, 0.3}, new double[] {10, 0.4})
                .missingValues(FeatureRecipe.MissingValues.TRAINING_MEAN).build();
        Map<String, Object> row = new HashMap<>();
        row.put("age", "");
        assertArrayEquals(new double[] {0, 0}, lenient.encode(List.of(row))[0]);
    }

    @Test
    void aRecipeRefusesRepeatedNamesAndBadStandardization() {
        assertThrows(IllegalArgumentException.class, () -> FeatureRecipe.builder().numeric("a").numeric("a").build());
        assertThrows(IllegalArgumentException.class, () -> FeatureRecipe.builder().oneHot("a", List.of("b", "c"))
                .numeric("a=c").build());
        assertThrows(IllegalArgumentException.class, () -> FeatureRecipe.builder().numeric("a")
                .standardization(new double[] {0}, new double[] {0}).build());
        assertThrows(IllegalArgumentException.class, () -> FeatureRecipe.builder().numeric("a")
                .standardization(new double[] {0, 1}, new double[] {1, 1}).build());
        assertThrows(IllegalArgumentException.class, () -> FeatureRecipe.builder().ordinal("s", List.of("a", "b"), 2, 1)
                .build());
    }

    private static List<Map<String, ?>> with(Map<String, Object> good, String column, Object value) {
        Map<String, Object> bad = new HashMap<>(good);
        bad.put(column, value);
        return List.of(good, bad);
    }

    private static void assertMessage(List<Map<String, ?>> rows, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RECIPE.encode(rows));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
