package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.examples.tune.TrialsTable;

/**
 * {@code survival4j tune} end to end with a tiny budget (three trials of at most three epochs) on
 * the veterans' lung cancer trial cut into a training and a test file: its files, a test file
 * whose labels are shuffled (the choice must not change), and the train options it reports
 * (train with them must make the same model).
 */
class TuneCommandTest {
    private static final String[] TINY = {"--trials", "3", "--max-epochs", "3", "--patience", "2", "--jobs", "2"};

    @TempDir
    static Path dir;
    static Path trainCsv;
    static Path testCsv;
    static CliRunner.Result tune;

    @BeforeAll
    static void tuneOnce() throws IOException {
        VeteranFiles files = VeteranFiles.writeTo(dir);
        trainCsv = files.train();
        testCsv = files.test();
        tune = tune(testCsv, dir.resolve("out"));
    }

    private static CliRunner.Result tune(Path test, Path out) {
        List<String> args = new ArrayList<>(List.of("tune", "--data", trainCsv.toString(), "--time", "time",
                "--event", "status", "--test", test.toString(), "--out", out.toString()));
        args.addAll(List.of(TINY));
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** trials.csv without its wall-time column, which differs from run to run. */
    private static List<String> trialsWithoutSeconds(Path out) throws IOException {
        int seconds = TrialsTable.HEADER.indexOf("seconds");
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("trials.csv"))) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(seconds);
            rows.add(String.join(",", cells));
        }
        return rows;
    }

    private static String line(Path summary, String start) throws IOException {
        return Files.readAllLines(summary).stream().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }

    @Test
    void tuneWritesWhatTrainWritesAndTheTrials() throws IOException {
        assertEquals(0, tune.exitCode(), tune.err());
        Path out = dir.resolve("out");
        for (String file : List.of("model.zip", "metrics.json", "predictions.csv", Plots.TRAINING, Plots.CALIBRATION,
                Plots.RISK_GROUPS, "trials.csv", "tuning-summary.txt")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertEquals(1 + 3, Files.readAllLines(out.resolve("trials.csv")).size(), "a header and three trials");
        JsonNode metrics = Report.JSON.readTree(out.resolve("metrics.json").toFile());
        assertTrue(metrics.get("models").get(0).get("name").asText().startsWith("tuned: "));
        JsonNode tuning = metrics.get("tuning");
        assertEquals(3, tuning.get("trials").asInt());
        assertEquals(3, tuning.get("cvFolds").size(), "the chosen trial's three folds");
        assertTrue(tune.out().contains("the test data is read after the choice"), tune.out());
        assertTrue(line(out.resolve("tuning-summary.txt"), "as train options: ").contains("--epochs "));
    }

    /** The choice never sees the test rows: with their labels shuffled, the same trials, scores and settings. */
    @Test
    void shuffledTestLabelsLeaveTheChoiceUnchanged() throws IOException {
        List<String> lines = Files.readAllLines(testCsv);
        List<String> header = List.of(lines.get(0).split(","));
        int time = header.indexOf("\"time\"") >= 0 ? header.indexOf("\"time\"") : header.indexOf("time");
        int status = header.indexOf("\"status\"") >= 0 ? header.indexOf("\"status\"") : header.indexOf("status");
        List<String[]> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            rows.add(l.split(",", -1));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        List<String> shuffled = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i).clone();
            cells[time] = rows.get(order.get(i))[time];
            cells[status] = rows.get(order.get(i))[status];
            shuffled.add(String.join(",", cells));
        }
        Path shuffledCsv = dir.resolve("veteran-test-shuffled.csv");
        Files.write(shuffledCsv, shuffled);
        Path out = dir.resolve("shuffled");

        CliRunner.Result r = tune(shuffledCsv, out);

        assertEquals(0, r.exitCode(), r.err());
        Path original = dir.resolve("out");
        assertEquals(trialsWithoutSeconds(original), trialsWithoutSeconds(out));
        for (String start : List.of("chosen: ", "settings: ", "as train options: ")) {
            assertEquals(line(original.resolve("tuning-summary.txt"), start), line(out.resolve("tuning-summary.txt"),
                    start));
        }
        double c = Report.JSON.readTree(original.resolve("metrics.json").toFile()).at("/models/0/harrell/estimate")
                .asDouble();
        double shuffledC = Report.JSON.readTree(out.resolve("metrics.json").toFile()).at("/models/0/harrell/estimate")
                .asDouble();
        assertNotEquals(c, shuffledC, "the test labels were shuffled");
    }

    /** 'train' with the reported options and the same files trains the same network as the refit. */
    @Test
    void theReportedTrainOptionsReproduceTheModel() throws IOException {
        Path out = dir.resolve("out");
        String options = line(out.resolve("tuning-summary.txt"), "as train options: ").substring(
                "as train options: ".length());
        List<String> args = new ArrayList<>(List.of("train", "--data", trainCsv.toString(), "--time", "time",
                "--event", "status", "--test", testCsv.toString(), "--out", dir.resolve("retrained").toString()));
        args.addAll(List.of(options.split(" ")));

        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Files.readString(out.resolve("predictions.csv")),
                Files.readString(dir.resolve("retrained").resolve("predictions.csv")));
    }
}
