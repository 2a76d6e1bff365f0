package org.survival4j.examples.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.examples.train.Trainer;

/**
 * Runs the smoke version of the study (one seed, one epoch, small subsets, all arms) end to end and
 * checks that every output is written and every score is in range. It checks the pipeline, not
 * the models, and is not timed.
 */
class BatchSizeStudySmokeTest {
    @BeforeAll
    static void oneThread() {
        Trainer.useOneThread();
    }

    @Test
    void smokeRunWritesEveryOutputWithScoresInRange(@TempDir Path out) throws IOException {
        StudyPlan plan = BatchSizeStudy.smokePlan();
        List<String> log = new ArrayList<>();
        List<ArmSummary> summaries = BatchSizeStudy.run(plan, out, log::add);

        assertEquals(plan.datasets().size() * StudyArm.standard().size(), summaries.size());
        List<String> runs = Files.readAllLines(out.resolve(StudyReport.RUNS));
        assertEquals(RunResult.CSV_HEADER, runs.get(0));
        assertEquals(plan.runs() + 1, runs.size());
        for (String row : runs.subList(1, runs.size())) {
            String[] f = row.split(",");
            double harrell = Double.parseDouble(f[5]);
            double uno = Double.parseDouble(f[6]);
            double brier = Double.parseDouble(f[7]);
            double seconds = Double.parseDouble(f[8]);
            assertTrue(harrell >= 0 && harrell <= 1, row);
            assertTrue(uno >= 0 && uno <= 1, row);
            assertTrue(brier >= 0 && brier <= 1, row);
            assertTrue(seconds > 0, row);
        }
        assertEquals(summaries.size() + 1, Files.readAllLines(out.resolve(StudyReport.SUMMARY_CSV)).size());
        String markdown = Files.readString(out.resolve(StudyReport.SUMMARY_MD));
        for (StudyArm arm : StudyArm.standard()) {
            assertTrue(markdown.contains("| " + arm.name() + " |"), arm.name());
        }
        byte[] png = Files.readAllBytes(out.resolve(StudyReport.PLOT));
        assertTrue(png.length > 1000);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }
}
