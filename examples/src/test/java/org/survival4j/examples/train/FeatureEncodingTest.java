package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The feature recipe rejects repeated columns and clashing covariate names instead of misaligning the matrix. */
class FeatureEncodingTest {

    @Test
    void aSourceColumnListedTwiceIsRejectedByName() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new FeatureEncoding(
                List.of(FeatureColumn.numeric("age"), FeatureColumn.numeric("size"), FeatureColumn.numeric("age"))));

        assertEquals("column 'age' is listed twice in the features", e.getMessage());
    }

    @Test
    void aOneHotNameEqualToAnotherColumnIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new FeatureEncoding(
                List.of(FeatureColumn.numeric("arm=b"), FeatureColumn.oneHot("arm", List.of("a", "b")))));

        assertEquals("the feature name 'arm=b' comes from both column 'arm=b' and column 'arm'; rename a column or "
                + "leave one out", e.getMessage());
    }

    @Test
    void distinctColumnsGiveOneNamePerCovariateInOrder() {
        FeatureEncoding encoding = new FeatureEncoding(List.of(FeatureColumn.oneHot("arm", List.of("a", "b", "c")),
                FeatureColumn.log1p("nodes"), FeatureColumn.numeric("age")));

        assertEquals(List.of("arm=b", "arm=c", "log1p(nodes)", "age"), encoding.names());
    }
}
