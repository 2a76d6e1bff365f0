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
