package org.survival4j.examples.study;

import org.survival4j.examples.train.TrainingSettings.LossKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.survival4j.examples.train.SurvivalData;

class StudyPiecesTest {

    @Test
    void standardArmsAreTheNineteenOfTheIssue() {
        List<StudyArm> arms = StudyArm.standard();
        assertEquals(19, arms.size());
        assertEquals(19, arms.stream().map(StudyArm::name).distinct().count());
        assertEquals(12, arms.stream().filter(a -> a.momentum() && a.likelihood() == LossKind.COX).count());
        assertEquals(1, arms.stream().filter(StudyArm::fullBatch).count());
    }

    @Test
    void anEqualStepBudgetGivesEveryArmAboutTheSameNumberOfSteps() {
        StudyDataset rare = StudyDataset.rareEvents(4000, 400, 6, 10);
        StudyPlan plan = BatchSizeStudy.smokePlan().withDatasets(List.of(rare)).withOptimizerSteps(2000);
        for (StudyArm arm : plan.arms()) {
            var settings = plan.settings(rare, arm, 1);
            int perEpoch = (4000 + settings.batchSize() - 1) / settings.batchSize();
            int steps = settings.epochs() * perEpoch;
            // whole epochs: within half an epoch of the budget (batch 64: 63 steps an epoch)
            assertTrue(Math.abs(steps - 2000) <= perEpoch / 2, arm.name() + ": " + steps + " steps");
            assertEquals(plan.learningRate(), settings.learningRate(), arm.name());
        }
        StudyArm full = StudyArm.plain(LossKind.COX, StudyArm.FULL_BATCH);
        assertEquals(2000, plan.settings(rare, full, 1).epochs(), "the full batch: one step an epoch");
        assertEquals(10, plan.withOptimizerSteps(0).settings(rare, StudyArm.plain(LossKind.COX, 8), 1).epochs());
        assertEquals(1, StudyPlan.epochsFor(10, 4000, 8), "at least one epoch");
        // the gradient cache: a step takes 16 micro-batches of 8 rows
        var cached = plan.settings(rare, StudyArm.gradientCache(LossKind.COX, 8, 128), 1);
        assertEquals(8, cached.batchSize());
        assertEquals(128, cached.virtualBatch());
        assertEquals(StudyPlan.epochsFor(2000, 4000, 128), cached.epochs());
    }

    @Test
    void spreadIsMeanAndSampleSd() {
        Spread s = Spread.of(1, 2, 3, 4, Double.NaN);
        assertEquals(4, s.n());
        assertEquals(2.5, s.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-15);
        assertEquals(1, s.missing());
        assertEquals(0, Spread.of(7).sd());
    }

    @Test
    void flchainSplitImputesCreatinineWithTheTrainingMedian() {
        SurvivalData[] parts = FlchainData.trainTest();
        assertEquals(7874, parts[0].size() + parts[1].size());
        assertEquals(1575, parts[1].size());
        List<String> columns = parts[0].columns();
        int creatinine = columns.indexOf("log1p(creatinine)");
        int missing = columns.indexOf("creatinine missing");
        assertTrue(creatinine >= 0 && missing == creatinine + 1, columns.toString());
        int missingRows = 0;
        for (SurvivalData part : parts) {
            for (double[] row : part.x()) {
                assertTrue(Arrays.stream(row).allMatch(Double::isFinite));
                missingRows += (int) row[missing];
            }
        }
        assertEquals(1350, missingRows);
        double[] observed = Arrays.stream(parts[0].x()).filter(r -> r[missing] == 0).mapToDouble(r -> r[creatinine])
                .sorted().toArray();
        double median = observed.length % 2 == 1 ? observed[observed.length / 2]
                : (observed[observed.length / 2 - 1] + observed[observed.length / 2]) / 2;
        Arrays.stream(parts[1].x()).filter(r -> r[missing] == 1).forEach(r -> assertEquals(median, r[creatinine]));
    }
}
