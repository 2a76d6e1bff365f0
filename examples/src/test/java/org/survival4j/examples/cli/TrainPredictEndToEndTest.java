package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short training run on a user CSV (the veterans' lung cancer trial: 137 rows, a categorical
 * cell type) that writes every output, then {@code predict} reading the model back.
 */
class TrainPredictEndToEndTest {
    @TempDir
    static Path dir;
    static Path veteran;
    static Path out;
    static CliRunner.Result train;

    @BeforeAll
    static void trainOnce() throws IOException {
        veteran = dir.resolve("veteran.csv");
        try (InputStream in = TrainPredictEndToEndTest.class.getResourceAsStream("/org/survival4j/datasets/veteran.csv")) {
            Files.copy(in, veteran);
        }
        out = dir.resolve("out");
        // --test is the training file itself, so that predictions.csv covers every row in file order
        train = CliRunner.run("train", "--data", veteran.toString(), "--time", "time", "--event", "status",
                "--test", veteran.toString(), "--epochs", "3", "--batch", "8", "--hidden", "8", "--compare",
                "--validation", "0.2", "--out", out.toString());
    }

    @Test
    void trainingWritesTheModelMetricsPredictionsAndPlots() throws IOException {
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("note: column 'celltype' is categorical (4 levels)"), train.out());
        assertTrue(train.out().contains("Harrell's C"), train.out());
        assertTrue(train.out().contains("linear Cox"), train.out());
        for (String file : List.of("model/model.json", "model/baseline.json", "model/momentum.zip", "metrics.json",
                "predictions.csv", Plots.TRAINING, Plots.CALIBRATION, Plots.RISK_GROUPS)) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        JsonNode metrics = ModelDirectory.JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, metrics.get("models").size());
        double c = metrics.get("models").get(0).get("harrell").get("estimate").asDouble();
        assertTrue(c > 0 && c < 1, "C = " + c);
        assertEquals(138, Files.readAllLines(out.resolve("predictions.csv")).size());
    }

    @Test
    void predictReadsTheModelBackAndReproducesTheTrainingPredictions() throws IOException {
        Path predictions = dir.resolve("predicted.csv");

        CliRunner.Result r = CliRunner.run("predict", "--model", out.toString(), "--data", veteran.toString(),
                "--times", "30,90", "--out", predictions.toString(), "--time", "time", "--event", "status");

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("Harrell's C"), r.err());
        List<String> predicted = Files.readAllLines(predictions);
        List<String> trained = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals("row,risk,survival_at_30,survival_at_90", predicted.get(0));
        assertEquals(trained.size(), predicted.size());
        for (int i = 1; i < trained.size(); i++) {
            String riskAtTraining = trained.get(i).split(",")[3];
            String riskAtPrediction = predicted.get(i).split(",")[1];
            assertEquals(riskAtTraining, riskAtPrediction, "row " + i);
        }
    }

    @Test
    void predictWritesToStandardOutputByDefault() {
        CliRunner.Result r = CliRunner.run("predict", "--model", out.resolve("model").toString(), "--data",
                veteran.toString());

        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(138, lines.length);
        assertTrue(lines[0].startsWith("row,risk,survival_at_"), lines[0]);
    }
}
