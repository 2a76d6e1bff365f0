package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.model.FeatureRecipe;

/**
 * The recipe chosen for a CSV file rejects repeated columns and clashing covariate names instead
 * of misaligning the matrix, and a table is encoded through the recipe with one message for all
 * of its bad rows.
 */
class FeatureEncodingTest {
    @TempDir
    Path dir;

    @Test
    void aSourceColumnListedTwiceIsRejectedByName() throws IOException {
        CsvTable table = table("age,size\n50,2\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> FeatureEncoding.infer(table, List.of("age", "size", "age"), n -> { }));

        assertEquals("column 'age' is listed twice in the features; rename a column or leave one out", e.getMessage());
    }

    @Test
    void aOneHotNameEqualToAnotherColumnIsRejected() throws IOException {
        CsvTable table = table("arm=b,arm\n1,a\n2,b\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> FeatureEncoding.infer(table, List.of("arm=b", "arm"), n -> { }));

        assertEquals("the covariate 'arm=b' comes from both column 'arm=b' and column 'arm' in the features; rename a"
                + " column or leave one out", e.getMessage());
    }

    @Test
    void distinctColumnsGiveOneNamePerCovariateInOrder() throws IOException {
        CsvTable table = table("arm,nodes,age\na,0,50\nb,3,60\nc,1,70\n");

        FeatureRecipe recipe = FeatureEncoding.infer(table, List.of("arm", "nodes", "age"), n -> { });

        assertEquals(List.of("arm=b", "arm=c", "nodes", "age"), recipe.covariates());
        assertArrayEquals(new double[] {1, 0, 3, 60}, FeatureEncoding.encode(recipe, table)[1]);
    }

    @Test
    void everyRowTheRecipeCannotEncodeIsCountedWithItsFileRow() throws IOException {
        FeatureRecipe recipe = FeatureRecipe.builder().log1p("nodes").oneHot("arm", List.of("a", "b")).build();
        CsvTable table = table("nodes,arm\n1,a\n-3,b\n2,z\n");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FeatureEncoding.encode(recipe, table));

        assertEquals("data.csv: 2 rows cannot be encoded as in training (rows 2, 3); the first: column 'nodes' has"
                + " '-3': log(1 + x) needs x > -1", e.getMessage());
    }

    private CsvTable table(String csv) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, csv);
        return CsvTable.read(file);
    }
}
