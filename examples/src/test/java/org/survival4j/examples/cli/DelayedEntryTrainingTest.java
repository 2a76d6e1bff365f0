package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.examples.train.Trainer;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.model.SurvivalModel;

/**
 * {@code train --start COL}: counting-process rows (the Stanford heart transplant data, one row per
 * stretch of constant transplant status) through the command line and the training helpers.
 */
class DelayedEntryTrainingTest {
    private static final List<String> FEATURES = List.of("age", "year", "surgery", "transplant");

    @TempDir
    static Path dir;
    static Path heart;

    @BeforeAll
    static void copyTheData() throws IOException {
        heart = dir.resolve("heart.csv");
        try (InputStream in = DelayedEntryTrainingTest.class.getResourceAsStream("/org/survival4j/datasets/heart.csv")) {
            Files.write(heart, in.readAllBytes());
        }
    }

    /**
     * The linear model fitted on (start, stop, event) reaches the maximum of R's
     * {@code coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart)}: log
     * partial likelihood -290.565616218489 (R 4.2.2, survival 3.5.3; invariant to the standardization).
     */
    @Test
    void theLinearModelReachesRsCountingProcessLikelihood() {
        SurvivalData data = SurvivalData.fromTable(CsvTable.read(heart), "start", "stop", "event", FEATURES, n -> { });
        SurvivalData standardized = Standardization.fit(data).apply(data);
        TrainedModel model = Trainer.linearCox(standardized, TrainingSettings.defaults());
        INDArray logHz = Nd4j.createFromArray(model.survivalModel().linearPredictor(standardized.x()));
        double nll = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM).value(logHz, standardized.startArray(),
                standardized.timeArray(), standardized.eventArray());
        assertEquals(290.565616218489, nll, 1e-5); // measured 2e-7 after 500 Adam steps; the maximum is a floor
        double ignoringEntry = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM).value(logHz,
                standardized.timeArray(), standardized.eventArray());
        assertTrue(Math.abs(ignoringEntry - nll) > 1, "the entry times change the likelihood: " + ignoringEntry);
    }

    @Test
    void trainWithStartTrainsMomentumAndWritesTheModel() throws IOException {
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("train", "--data", heart.toString(), "--start", "start", "--time", "stop",
                "--event", "event", "--features", String.join(",", FEATURES), "--epochs", "3", "--batch", "8",
                "--hidden", "8", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("features: age, year, surgery, transplant"), r.out());
        JsonNode metrics = Report.JSON.readTree(out.resolve("metrics.json").toFile());
        double c = metrics.get("models").get(0).get("harrell").get("estimate").asDouble();
        assertTrue(c > 0 && c < 1, "C = " + c);
        SurvivalModel model = SurvivalModel.load(out.resolve(TrainCommand.MODEL_FILE));
        assertEquals(FEATURES, model.recipe().covariates());
        assertEquals(metrics.get("train").get("rows").asInt(), model.summary().rows());
    }

    @Test
    void badEntryTimesAndOtherLossesAreRefusedWithOneLine() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(heart, StandardCharsets.UTF_8));
        lines.set(3, "60,50,1,-17.1,0.12,0,0,1"); // row 3 enters after its stop
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, lines);
        CliRunner.Result r = CliRunner.run("train", "--data", bad.toString(), "--start", "start", "--time", "stop",
                "--event", "event", "--out", dir.resolve("bad-out").toString());
        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertTrue(r.err().contains("start column 'start' must be >= 0 and below the time column 'stop'")
                && r.err().contains("first: start 60, time 50)"), r.err());
        assertFalse(Files.exists(dir.resolve("bad-out").resolve("metrics.json")));

        CliRunner.Result weibull = CliRunner.run("train", "--data", heart.toString(), "--start", "start", "--time",
                "stop", "--event", "event", "--loss", "weibull", "--out", dir.resolve("w-out").toString());
        assertTrue(weibull.exitCode() != 0 && weibull.err().contains("--start needs the Cox loss"), weibull.err());
    }
}
