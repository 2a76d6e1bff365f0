package org.survival4j.examples.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hyperband's brackets against the worked example of Li et al. (2018), and with folds as the resource. */
class HyperbandTest {
    private static Hyperband.Rung rung(int configs, int folds) {
        return new Hyperband.Rung(configs, folds);
    }

    /**
     * Li et al. 2018 (JMLR 18(185)), Table 1: R = 81, eta = 3 gives five brackets; bracket s = 4
     * starts 81 configurations on 1 unit of resource, bracket s = 0 runs 5 on all 81.
     */
    @Test
    void bracketsOfTheWorkedExampleOfLiEtAl() {
        assertEquals(4, Hyperband.maxBracket(81, 3));
        assertEquals(List.of(rung(81, 1), rung(27, 3), rung(9, 9), rung(3, 27), rung(1, 81)),
                Hyperband.bracket(4, 81, 3));
        assertEquals(List.of(rung(34, 3), rung(11, 9), rung(3, 27), rung(1, 81)), Hyperband.bracket(3, 81, 3));
        assertEquals(List.of(rung(15, 9), rung(5, 27), rung(1, 81)), Hyperband.bracket(2, 81, 3));
        assertEquals(List.of(rung(8, 27), rung(2, 81)), Hyperband.bracket(1, 81, 3));
        assertEquals(List.of(rung(5, 81)), Hyperband.bracket(0, 81, 3));
    }

    @Test
    void threeFoldsGiveOneHalvingBracketAndRandomSearch() {
        assertEquals(1, Hyperband.maxBracket(3, 3));
        assertEquals(List.of(rung(3, 1), rung(1, 3)), Hyperband.bracket(1, 3, 3));
        assertEquals(List.of(rung(2, 3)), Hyperband.bracket(0, 3, 3));
    }

    @Test
    void foldsAreWholeAndAtMostTheFullEvaluation() {
        // R = 5 folds: r = 5 / 3 rounds to 2 folds in the exploratory bracket
        assertEquals(List.of(rung(3, 2), rung(1, 5)), Hyperband.bracket(1, 5, 3));
        assertEquals(0, Hyperband.maxBracket(2, 3), "two folds cannot be divided by three: random search only");
    }

    @Test
    void rejectsBracketsOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> Hyperband.bracket(2, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Hyperband.maxBracket(3, 1));
    }
}
