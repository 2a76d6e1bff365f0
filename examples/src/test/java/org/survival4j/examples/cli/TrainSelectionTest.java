package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.model.SurvivalModel;

/** {@code train --early-stopping} and {@code train --cv} on the embedded Rotterdam -> GBSG data, briefly. */
class TrainSelectionTest {
    @TempDir
    Path dir;

    @Test
    void earlyStoppingSaysWhichEpochWasKeptAndWhy() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "--early-stopping", "--validation", "0.25", "--patience", "2",
                "--max-epochs", "4", "--batch", "64", "--hidden", "8", "--out", dir.toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("early stopping: C-index, patience 2, at most 4 epochs on the validation rows"),
                r.out());
        assertTrue(r.out().contains("early stopping kept epoch "), r.out());
        JsonNode stopping = Report.JSON.readTree(dir.resolve("metrics.json").toFile()).at("/models/0/earlyStopping");
        int best = stopping.get("bestEpoch").asInt();
        assertTrue(best >= 1 && best <= 4, stopping.toString());
        assertEquals(stopping.get("epochsTrained").asInt(), stopping.get("scores").size());
        assertEquals(best, Report.JSON.readTree(dir.resolve("metrics.json").toFile())
                .at("/models/0/settings/epochs").asInt(), "the settings give the kept model's epochs");
        assertTrue(stopping.get("reason").asText().matches("no better epoch in 2|reached the maximum of 4 epochs"),
                stopping.toString());
        SurvivalModel model = SurvivalModel.load(dir.resolve(TrainCommand.MODEL_FILE));
        assertTrue(model.summary().settings().get("earlyStopping").contains("best epoch " + best), model.summary()
                .settings().toString());
    }

    @Test
    void crossValidationReportsEachFoldAndTheirMeanAndSd() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "--cv", "3", "--epochs", "2", "--batch", "64", "--hidden", "8",
                "--out", dir.toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("cross-validation on Rotterdam (nodes > 0): 3 folds x 1 repeats"), r.out());
        JsonNode cv = Report.JSON.readTree(dir.resolve("metrics.json").toFile()).get("crossValidation");
        assertEquals(3, cv.get("results").size());
        double sum = 0;
        double squares = 0;
        for (JsonNode fold : cv.get("results")) {
            sum += fold.get("concordance").asDouble();
            squares += fold.get("concordance").asDouble() * fold.get("concordance").asDouble();
            assertEquals(2, fold.get("epochs").asInt());
        }
        double mean = sum / 3;
        assertEquals(mean, cv.get("meanHarrell").asDouble(), 1e-12);
        // sample sd over 3 folds, by the textbook formula (rounding of the two forms differs by ~1e-16)
        assertEquals(Math.sqrt((squares - 3 * mean * mean) / 2), cv.get("sdHarrell").asDouble(), 1e-9);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "mean %.4f, sd %.4f over 3 folds", mean,
                cv.get("sdHarrell").asDouble())), r.out());
    }
}
