package org.survival4j.examples.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.examples.study.RunResult;
import org.survival4j.examples.study.StudyReport;
import org.survival4j.examples.train.Trainer;

/**
 * Runs the smoke version of the image study end to end (the pipeline, not the models) and checks
 * that the paired comparisons read the right runs: with one seed, each pair's difference is the
 * difference of the two runs' Harrell C, which the runs computed separately.
 */
class ImageStudySmokeTest {
    @BeforeAll
    static void oneThread() {
        Trainer.useOneThread();
    }

    @Test
    void smokeRunWritesEveryOutputAndPairsTheRightRuns(@TempDir Path out) throws IOException {
        ImageStudy.Plan plan = ImageStudy.smokePlan();
        List<RunResult> runs = ImageStudy.run(plan, out, s -> { });
        List<String> log = new ArrayList<>();
        ImageStudyComparisons.summarize(List.of(out), out, log::add);

        assertEquals(plan.runs(), runs.size());
        assertEquals(runs, StudyReport.readRuns(out));
        for (RunResult r : runs) {
            assertTrue(r.harrell() > 0 && r.harrell() < 1 && r.uno() > 0 && r.uno() < 1, r.toString());
            assertTrue(r.integratedBrier() > 0 && r.integratedBrier() < 1, r.toString());
        }
        List<String> pairs = Files.readAllLines(out.resolve(ImageStudyComparisons.CSV));
        // momentum and the cache vs plain b4 in each task x {epochs, steps}, three pairs in torchsurv's comparison
        assertEquals(1 + 2 * 2 * 2 + 3, pairs.size(), String.join("\n", pairs));
        for (String row : pairs.subList(1, pairs.size())) {
            String[] f = row.split(",");
            RunResult a = run(runs, f[0], f[1]);
            RunResult b = run(runs, f[0], f[2]);
            assertEquals(a.harrell() - b.harrell(), Double.parseDouble(f[4]), 1e-12, row);
            // a paired SE of 0 only where the cache's predictions equal plain batch 4's
            assertTrue(Double.parseDouble(f[6]) > 0 || f[1].equals("cox-b2-v4"), row);
        }
        assertTrue(Files.readString(out.resolve(ImageStudyComparisons.MD)).contains("| cox-b10 | cox-b100 | 1 |"));
        // the cache's steps of 2 x 2 rows are the steps of plain batch 4 (same images, same order), up to the
        // float rounding of the summed gradients, which lets the two runs drift apart a little; exactness
        // itself is GradientCacheTest's (1e-10 in double)
        for (String dataset : runs.stream().map(RunResult::dataset).filter(d -> !d.contains("torchsurv")).toList()) {
            assertEquals(run(runs, dataset, "cox-b4").harrell(), run(runs, dataset, "cox-b2-v4").harrell(), 0.01,
                    dataset);
        }
        assertTrue(Files.size(out.resolve(StudyReport.PLOT)) > 1000);
        assertTrue(Files.readString(out.resolve(StudyReport.SUMMARY_MD)).contains("| cox-b4-m16-0.99 | 4 | 16, 0.99 |"));
    }

    @Test
    void aBadOptionIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageStudy.main(new String[] {"--steps", "0"}));
        assertTrue(e.getMessage().contains("--steps must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageStudy.main(new String[] {"--budget", "x"}));
        assertTrue(e.getMessage().contains("unknown option '--budget'"), e.getMessage());
    }

    private static RunResult run(List<RunResult> runs, String dataset, String arm) {
        return runs.stream().filter(r -> r.dataset().equals(dataset) && r.arm().equals(arm)).findFirst().orElseThrow();
    }
}
