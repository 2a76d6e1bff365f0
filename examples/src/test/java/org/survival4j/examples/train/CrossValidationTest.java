package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.survival4j.selection.CrossValidationFolds;

/** The training core's folds, held-out split and fold summaries. */
class CrossValidationTest {
    private static final SurvivalData ROTTERDAM = BreastCancerCohorts.rotterdamNodePositive();

    @Test
    void holdOutKeepsTheShareOfEventsAndOfCensoredRows() {
        CrossValidationFolds.Fold f = CrossValidation.holdOut(ROTTERDAM, 0.2, 3);

        long heldEvents = Arrays.stream(f.test()).filter(i -> ROTTERDAM.event()[i] == 1).count();
        long events = ROTTERDAM.events();
        assertEquals(Math.round(0.2 * events), heldEvents);
        assertEquals(Math.round(0.2 * (ROTTERDAM.size() - events)), f.test().length - heldEvents);
        int[] all = IntStream.concat(Arrays.stream(f.train()), Arrays.stream(f.test())).sorted().toArray();
        assertTrue(Arrays.equals(IntStream.range(0, ROTTERDAM.size()).toArray(), all), "disjoint, and every row once");
    }

    @Test
    void holdOutKeepsTheShareOfEachCause() {
        SurvivalData competing = CompetingCodes.everyThirdEventAsCause2(ROTTERDAM);
        double[] codes = competing.event();
        CrossValidationFolds.Fold f = CrossValidation.holdOut(competing, 0.2, 3);

        for (int cause = 0; cause <= 2; cause++) {
            int k = cause;
            long all = Arrays.stream(codes).filter(c -> c == k).count();
            long held = Arrays.stream(f.test()).filter(i -> codes[i] == k).count();
            assertEquals(Math.round(0.2 * all), held, "cause " + cause);
        }
        assertEquals(competing.size(), f.train().length + f.test().length);
    }

    @Test
    void tooManyFoldsForTheEventsIsADataError() {
        int[] twoEvents = IntStream.concat(
                IntStream.range(0, ROTTERDAM.size()).filter(i -> ROTTERDAM.event()[i] == 1).limit(2),
                IntStream.range(0, ROTTERDAM.size()).filter(i -> ROTTERDAM.event()[i] == 0).limit(6)).toArray();
        SurvivalData tiny = ROTTERDAM.rows(twoEvents);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CrossValidation.folds(tiny, 3, 1, 1));

        assertTrue(e.getMessage().startsWith("cross-validation of Rotterdam (nodes > 0) (8 rows, 2 events): class 1"
                + " has 2 rows, fewer than the 3 folds"), e.getMessage());
    }

    @Test
    void summaryIsTheMeanAndSampleSdOfTheFolds() {
        CrossValidation.Summary s = new CrossValidation.Summary(List.of(
                new CrossValidation.FoldResult(0, 0, 0.60, 10, 1), new CrossValidation.FoldResult(0, 1, 0.70, 21, 1),
                new CrossValidation.FoldResult(0, 2, 0.65, 30, 1)));

        assertEquals(0.65, s.mean(), 1e-15);
        assertEquals(0.05, s.sd(), 1e-15); // deviations -0.05, 0.05, 0 over n - 1 = 2
        assertEquals(20, s.meanEpochs()); // 61 / 3 = 20.3
    }
}
