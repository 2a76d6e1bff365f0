package org.survival4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrossValidationFoldsTest {
    private static double[] events(int n, double rate, long seed) {
        Random rng = new Random(seed);
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = rng.nextDouble() < rate ? 1 : 0;
        }
        return e;
    }

    @Test
    void foldsAreDisjointCoverTheRowsAndKeepTheEventRate() {
        double[] event = events(103, 0.3, 1);
        int[] strata = new int[103];
        for (int i = 0; i < strata.length; i++) {
            strata[i] = i % 3;
        }
        int[] cls = CrossValidationFolds.classes(event, strata);
        List<CrossValidationFolds.Fold> folds = CrossValidationFolds.of(cls, 5, 3, 7);
        assertEquals(15, folds.size());
        for (int r = 0; r < 3; r++) {
            int[] seen = new int[103];
            for (CrossValidationFolds.Fold f : folds.subList(5 * r, 5 * r + 5)) {
                assertEquals(103, f.train().length + f.test().length);
                assertTrue(f.test().length == 20 || f.test().length == 21, "fold sizes differ by at most one");
                for (int row : f.test()) {
                    seen[row]++;
                }
                for (int c = 0; c < 6; c++) {
                    int share = 0;
                    int total = 0;
                    for (int i = 0; i < cls.length; i++) {
                        total += cls[i] == c ? 1 : 0;
                    }
                    for (int row : f.test()) {
                        share += cls[row] == c ? 1 : 0;
                    }
                    assertTrue(Math.abs(share - total / 5.0) < 1, "class " + c + ": " + share + " of " + total);
                }
                for (int row : f.train()) {
                    assertFalse(java.util.Arrays.stream(f.test()).anyMatch(t -> t == row), "disjoint");
                }
            }
            for (int count : seen) {
                assertEquals(1, count, "each row is held out exactly once per repetition");
            }
        }
        assertFalse(java.util.Arrays.equals(folds.get(0).test(), folds.get(5).test()), "repetitions shuffle anew");
        assertArrayEquals(folds.get(3).test(), CrossValidationFolds.of(cls, 5, 3, 7).get(3).test(), "seeded");
    }

    @Test
    void tooFewEventsForTheFoldsAreRefused() {
        double[] event = {1, 1, 0, 0, 0, 0, 0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossValidationFolds.of(CrossValidationFolds.classes(event, null), 3, 1, 1));
        assertTrue(e.getMessage().contains("class 1 has 2 rows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrossValidationFolds.of(new int[5], 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> CrossValidationFolds.classes(new double[] {0.5}, null));
    }
}
