package org.survival4j.examples.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.metrics.ConcordanceIndex;

class SyntheticTaskTest {

    @Test
    void sameSeedGivesSameRows() {
        SyntheticTask.Sample a = SyntheticTask.draw(50, 20, 3);
        SyntheticTask.Sample b = SyntheticTask.draw(50, 20, 3);
        assertArrayEquals(a.time(), b.time());
        assertArrayEquals(a.x()[17], b.x()[17]);
    }

    @Test
    void censoringIsAboutAThirdAndTimesAreInRange() {
        SyntheticTask.Sample s = SyntheticTask.draw(20000, 6, 11);
        // Monte Carlo of the same model (numpy, 200k rows) gives 35.6 % censored.
        assertEquals(0.356, s.censoredFraction(), 0.015);
        for (double t : s.time()) {
            assertTrue(t >= 0 && t <= SyntheticTask.END_OF_FOLLOW_UP);
        }
    }

    @Test
    void theRareEventVariantObservesAboutOneRowInTwenty() {
        SyntheticTask.Sample s = SyntheticTask.draw(20000, 6, 11, SyntheticTask.RARE_CENSORING_RATE);
        // Monte Carlo of the same model (numpy, 200k rows) gives 4.94 % events.
        assertEquals(0.0494, 1 - s.censoredFraction(), 0.005);
    }

    @Test
    void theTrueLogHazardRanksWell() {
        SyntheticTask.Sample s = SyntheticTask.draw(3000, 10, 5);
        double c = ConcordanceIndex.harrell(Nd4j.createFromArray(s.logHazard()), Nd4j.createFromArray(s.time()),
                Nd4j.createFromArray(s.event()));
        assertTrue(c > 0.75, "oracle C " + c);
    }

    @Test
    void rejectsTooFewCovariatesAndANonPositiveCensoringRate() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticTask.draw(10, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticTask.draw(10, 6, 1, 0));
    }
}
