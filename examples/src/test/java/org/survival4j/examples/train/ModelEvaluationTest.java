package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Test data too small for the metrics and plots is rejected with its size and the minimum, not a crash. */
class ModelEvaluationTest {

    @Test
    void nineRowsAreTooFew() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ModelEvaluation.requireEvaluable(data(9, 1)));

        assertEquals("tiny has 9 rows and 5 events: evaluating a model needs at least 10 rows with at least one"
                + " event (for the C-index, the Brier score's time grid and a Kaplan-Meier curve per risk tertile)",
                e.getMessage());
    }

    @Test
    void tenRowsWithoutEventsAreRejected() {
        assertThrows(InvalidInputException.class, () -> ModelEvaluation.requireEvaluable(data(10, 0)));
    }

    @Test
    void tenRowsWithAnEventAreEnough() {
        SurvivalData ten = data(10, 1);

        assertSame(ten, ModelEvaluation.requireEvaluable(ten));
    }

    /** {@code n} rows, times 1..n, every second row an event (none if {@code events == 0}). */
    private static SurvivalData data(int n, int events) {
        double[][] x = new double[n][1];
        double[] time = new double[n];
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = i;
            time[i] = i + 1;
            event[i] = events > 0 && i % 2 == 0 ? 1 : 0;
        }
        return SurvivalData.of("tiny", List.of("x"), x, time, event);
    }
}
