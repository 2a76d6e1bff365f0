package org.survival4j.examples.study;

import org.survival4j.examples.train.TrainingSettings.LossKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.SurvivalData;

/** A diverged run becomes a NaN row; a data error stops the study instead of hiding as one. */
class BatchSizeStudyRunTest {
    private static final StudyArm ARM = StudyArm.plain(LossKind.COX, 8);

    @Test
    void aRunWhoseOutputsOverflowIsRecordedAsFailed() {
        // covariates near Float.MAX_VALUE: the first layer's outputs overflow, the loss rejects them
        StudyDataset huge = new StudyDataset("huge", data(40, 3e38), data(20, 1), 1);

        RunResult r = BatchSizeStudy.runOne(plan(huge), huge, ARM, 1);

        assertTrue(Double.isNaN(r.harrell()) && Double.isNaN(r.uno()) && Double.isNaN(r.integratedBrier()),
                r.toString());
    }

    @Test
    void testDataTooSmallToEvaluateIsAnErrorNotAFailedRun() {
        StudyDataset tiny = new StudyDataset("tiny", data(40, 1), data(5, 1), 1);

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BatchSizeStudy.runOne(plan(tiny), tiny, ARM, 1));

        assertTrue(e.getMessage().contains("has 5 rows"), e.getMessage());
    }

    private static StudyPlan plan(StudyDataset dataset) {
        return new StudyPlan(List.of(dataset), List.of(ARM), List.of(1L), 1e-3, 5, 1e-2);
    }

    /** {@code n} rows, two covariates of size about {@code scale}, times 1..n, every second row an event. */
    private static SurvivalData data(int n, double scale) {
        double[][] x = new double[n][];
        double[] time = new double[n];
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {scale * (i % 5 + 1) / 5, -scale * (i % 3 + 1) / 3};
            time[i] = i + 1;
            event[i] = i % 2;
        }
        return SurvivalData.of("data", List.of("a", "b"), x, time, event);
    }
}
