package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;
import org.survival4j.testing.ZipEntries;

/**
 * Short training runs on a user CSV (the veterans' lung cancer trial, a categorical cell type), cut
 * here into a training file (three rows in four) and a separate test file (every fourth row), that
 * write every output; then {@code predict} reads each model back and must reproduce the risk and
 * survival columns that training wrote for the test rows.
 */
class TrainPredictEndToEndTest {
    private static final String[] SMALL = {"--epochs", "3", "--batch", "8", "--hidden", "8"};

    @TempDir
    static Path dir;
    static Path trainCsv;
    static Path testCsv;
    static Path out;
    static CliRunner.Result train;

    @BeforeAll
    static void trainOnce() throws IOException {
        VeteranFiles.Split files = VeteranFiles.write(dir);
        trainCsv = files.train();
        testCsv = files.test();
        out = dir.resolve("out");
        train = train(out, "--compare", "--validation", "0.2");
    }

    private static CliRunner.Result train(Path outDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", trainCsv.toString(), "--time", "time",
                "--event", "status", "--test", testCsv.toString(), "--out", outDir.toString()));
        args.addAll(List.of(SMALL));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void trainingWritesTheModelMetricsPredictionsAndPlots() throws IOException {
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("note: column 'celltype' is categorical (4 levels)"), train.out());
        assertTrue(train.out().contains("Harrell's C"), train.out());
        assertTrue(train.out().contains("linear Cox"), train.out());
        for (String file : List.of(TrainCommand.MODEL_FILE, "metrics.json", "predictions.csv", Plots.TRAINING,
                Plots.CALIBRATION, Plots.RISK_GROUPS)) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        JsonNode metrics = Report.JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, metrics.get("models").size());
        double c = metrics.get("models").get(0).get("harrell").get("estimate").asDouble();
        assertTrue(c > 0 && c < 1, "C = " + c);
        assertEquals(Files.readAllLines(testCsv).size(), Files.readAllLines(out.resolve("predictions.csv")).size());
    }

    @Test
    void theComparisonReportsIntervalsAndPairedDifferencesFromTheFirstModel() throws IOException {
        assertTrue(train.out().contains("Paired differences from"), train.out());
        JsonNode models = Report.JSON.readTree(out.resolve("metrics.json").toFile()).get("models");
        for (JsonNode m : models) {
            JsonNode ibs = m.get("integratedBrierInference");
            assertEquals(m.get("integratedBrier").asDouble(), ibs.get("estimate").asDouble(), 0);
            assertTrue(ibs.get("lower95").asDouble() < ibs.get("estimate").asDouble()
                    && ibs.get("estimate").asDouble() < ibs.get("upper95").asDouble(), ibs.toString());
            JsonNode auc = m.get("meanAuc");
            assertTrue(auc.get("lower95").asDouble() < auc.get("estimate").asDouble()
                    && auc.get("estimate").asDouble() < auc.get("upper95").asDouble(), auc.toString());
        }
        assertTrue(models.get(0).get("versusFirst") == null);
        for (int i = 1; i < models.size(); i++) {
            JsonNode m = models.get(i);
            JsonNode versus = m.get("versusFirst");
            assertEquals(models.get(0).get("name").asText(), versus.get("reference").asText());
            assertEquals(m.get("harrell").get("estimate").asDouble() - models.get(0).get("harrell").get("estimate")
                    .asDouble(), versus.get("harrell").get("difference").asDouble(), 1e-12);
            assertEquals(m.get("integratedBrier").asDouble() - models.get(0).get("integratedBrier").asDouble(),
                    versus.get("integratedBrier").get("difference").asDouble(), 1e-12);
            assertEquals(m.get("meanAuc").get("estimate").asDouble() - models.get(0).get("meanAuc").get("estimate")
                    .asDouble(), versus.get("meanAuc").get("difference").asDouble(), 1e-12);
            for (String metric : List.of("harrell", "integratedBrier", "meanAuc")) {
                double p = versus.get(metric).get("p").asDouble();
                assertTrue(p >= 0 && p <= 1 && versus.get(metric).get("standardError").asDouble() > 0, versus.toString());
            }
        }
    }

    @Test
    void theStandardizationIsFittedOnTheTrainingRowsWithoutTheValidationPart() throws IOException {
        CsvTable table = CsvTable.read(trainCsv);
        double[] age = table.numeric("age");
        double[][] x = new double[age.length][];
        for (int i = 0; i < age.length; i++) {
            x[i] = new double[] {age[i]};
        }
        // --validation 0.2 with the default seed 1 holds out the same rows of any data of this size
        SurvivalData fitted = SurvivalData.of("age", List.of("age"), x, table.numeric("time"),
                table.numeric("status")).split(0.2, 1)[0];
        double expected = Arrays.stream(fitted.x()).mapToDouble(r -> r[0]).average().orElseThrow();

        FeatureRecipe recipe = SurvivalModel.load(out).recipe();
        double saved = recipe.mean()[recipe.covariates().indexOf("age")];

        assertEquals(expected, saved, 1e-9);
        assertNotEquals(Arrays.stream(age).average().orElseThrow(), saved, 1e-6);
    }

    @Test
    void predictReproducesTheTrainingPredictionsOfAMomentumCoxModel() throws IOException {
        assertPredictReproducesTraining(out);
    }

    @Test
    void predictReproducesTheTrainingPredictionsOfAWeibullModel() throws IOException {
        Path weibull = dir.resolve("weibull");
        CliRunner.Result r = train(weibull, "--loss", "weibull");
        assertEquals(0, r.exitCode(), r.err());

        assertPredictReproducesTraining(weibull);
    }

    @Test
    void aGridHazardModelTrainsWithItsKnotsAndPredictsFromThem() throws IOException {
        Path grid = dir.resolve("grid");
        CliRunner.Result r = train(grid, "--loss", "grid", "--knots", "5");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("grid (5 knots)"), r.out());
        JsonNode metrics = Report.JSON.readTree(grid.resolve("metrics.json").toFile());
        double c = metrics.get("models").get(0).get("harrell").get("estimate").asDouble();
        assertTrue(c > 0 && c < 1, "C = " + c); // 3 epochs of a tiny network: the pipeline, not the model

        assertPredictReproducesTraining(grid);
        CliRunner.Result wrong = train(dir.resolve("knots-without-grid"), "--knots", "5");
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains("--knots is an option of the grid loss"), wrong.err());
    }

    @Test
    void predictReproducesTheTrainingPredictionsOfAPlainModel() throws IOException {
        Path plain = dir.resolve("plain");
        CliRunner.Result r = train(plain, "--no-momentum");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(SurvivalModel.Kind.COX, SurvivalModel.load(plain.resolve(TrainCommand.MODEL_FILE)).kind());

        assertPredictReproducesTraining(plain);
    }

    @Test
    void predictReproducesTheTrainingPredictionsOfDataParallelModels() throws IOException {
        for (String momentum : new String[] {"with-momentum", "plain"}) {
            Path parallel = dir.resolve("parallel-" + momentum);
            CliRunner.Result r = momentum.equals("plain") ? train(parallel, "--workers", "2", "--no-momentum")
                    : train(parallel, "--workers", "2");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("2 data-parallel workers"), r.out());

            assertPredictReproducesTraining(parallel);
        }
    }

    @Test
    void aGradientCacheModelTrainsAndPredicts() throws IOException {
        Path cached = dir.resolve("virtual-batch");
        CliRunner.Result r = train(cached, "--virtual-batch", "32", "--compare"); // with momentum, and plain
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("virtual batch 32 (gradient cache)"), r.out());

        assertPredictReproducesTraining(cached);
    }

    /** predictions.csv has row,time,event,risk,risk_tertile,survival...,median; predict has row,risk,survival...,median */
    private static void assertPredictReproducesTraining(Path model) throws IOException {
        Path predictions = dir.resolve(model.getFileName() + "-predicted.csv");

        CliRunner.Result r = CliRunner.run("predict", "--model", model.toString(), "--data", testCsv.toString(),
                "--out", predictions.toString(), "--time", "time", "--event", "status");

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("Harrell's C"), r.err());
        List<String> predicted = Files.readAllLines(predictions);
        List<String> trained = Files.readAllLines(model.resolve("predictions.csv"));
        assertEquals(trained.size(), predicted.size());
        String[] trainedHeader = trained.get(0).split(",");
        String[] predictedHeader = predicted.get(0).split(",");
        assertArrayEquals(Arrays.copyOfRange(trainedHeader, 5, trainedHeader.length),
                Arrays.copyOfRange(predictedHeader, 2, predictedHeader.length));
        for (int i = 1; i < trained.size(); i++) {
            String[] t = trained.get(i).split(",");
            String[] p = predicted.get(i).split(",");
            assertEquals(t[3], p[1], "risk, row " + i);
            assertArrayEquals(Arrays.copyOfRange(t, 5, t.length), Arrays.copyOfRange(p, 2, p.length),
                    "survival, row " + i);
        }
    }

    /**
     * A column constant in the training rows (0.1 everywhere: its running sum does not come back to
     * 0.1 exactly) once gave a standard deviation of 2e-15, and a prediction row with another value a
     * log hazard of about -4e14 without a word. Now the column is centred only, training warns, and
     * predict names the row and the value.
     */
    @Test
    void aConstantTrainingColumnIsWarnedAboutAndGivesModeratePredictions() throws IOException {
        List<String> lines = Files.readAllLines(trainCsv);
        List<String> withSite = new ArrayList<>(List.of(lines.get(0) + ",site"));
        lines.subList(1, lines.size()).forEach(line -> withSite.add(line + ",0.1"));
        Path constant = dir.resolve("constant-site.csv");
        Files.write(constant, withSite);
        Path model = dir.resolve("constant-site-out");
        List<String> args = new ArrayList<>(List.of("train", "--data", constant.toString(), "--time", "time",
                "--event", "status", "--out", model.toString()));
        args.addAll(List.of(SMALL));
        CliRunner.Result trained = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, trained.exitCode(), trained.err());
        assertTrue(trained.err().contains("warning: column site is constant in the training rows"), trained.err());

        Path other = dir.resolve("other-site.csv");
        Files.write(other, List.of(lines.get(0) + ",site", lines.get(1) + ",7"));
        CliRunner.Result predicted = CliRunner.run("predict", "--model", model.toString(), "--data", other.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        assertTrue(predicted.err().contains("data row 1, site = 7 (training: always 0.1"), predicted.err());
        double risk = Double.parseDouble(predicted.out().strip().split("\n")[1].split(",")[1]);
        assertTrue(Math.abs(risk) < 100, "log hazard " + risk);
    }

    @Test
    void predictWritesToStandardOutputByDefault() {
        CliRunner.Result r = CliRunner.run("predict", "--model", out.resolve(TrainCommand.MODEL_FILE).toString(),
                "--data", testCsv.toString());

        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(35, lines.length);
        assertTrue(lines[0].startsWith("row,risk,survival_at_") && lines[0].endsWith(",median"), lines[0]);
    }

    @Test
    void predictOnACsvMissingAFeatureColumnSaysSoAndLeavesOutAlone() throws IOException {
        Path noAge = dir.resolve("no-age.csv");
        Files.writeString(noAge, "trt,celltype,time,status,karno,diagtime,prior\n1,squamous,72,1,60,7,0\n");
        Path existing = dir.resolve("existing.csv");
        Files.writeString(existing, "keep me\n");

        CliRunner.Result r = CliRunner.run("predict", "--model", out.toString(), "--data", noAge.toString(),
                "--out", existing.toString());

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLine(r, "no-age.csv has no column 'age'");
        assertEquals("keep me\n", Files.readString(existing));
    }

    @Test
    void predictOnAHeaderOnlyCsvSaysItHasNoRows() throws IOException {
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "trt,celltype,time,status,karno,diagtime,age,prior\n");

        CliRunner.Result r = CliRunner.run("predict", "--model", out.toString(), "--data", empty.toString());

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLine(r, "empty.csv has a header but no data rows");
    }

    /**
     * Issue 30, defect 5: the 0.1 model directory's model.json was not checked against the network,
     * so a Cox network labelled WEIBULL predicted garbage with exit code 0, and a GRID label or one
     * feature fewer ended in a stack trace. The model file is checked entry by entry at load: each
     * such file is refused with one line that names what is wrong, exit code 1.
     */
    @Test
    void aDamagedOrInconsistentModelFileIsRefusedWithOneClearLine() throws Exception {
        Path file = out.resolve(TrainCommand.MODEL_FILE);
        Map<String, byte[]> entries = ZipEntries.read(file.toFile());
        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(manifest.replace("\"kind\" : \"COX\"", "\"kind\" : \"WEIBULL\""),
                "network.zip is a COX network but manifest.json says kind WEIBULL");
        expected.put(manifest.replace("\"kind\" : \"COX\"", "\"kind\" : \"GRID\""),
                "manifest.json: field 'knots' is missing");
        expected.put(manifest.replace("\"inputs\" : 8", "\"inputs\" : 7"),
                "network.zip does not take the 7 inputs manifest.json gives");
        int k = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertTrue(!e.getKey().equals(manifest), "the manifest changed for: " + e.getValue());
            Map<String, byte[]> changed = new LinkedHashMap<>(entries);
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            changed.put("manifest.json", bytes); // with a matching checksum: changed on purpose, not damaged
            changed.put("manifest.sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .getBytes(StandardCharsets.US_ASCII));
            Path inconsistent = dir.resolve("inconsistent-" + k++ + ".zip");
            ZipEntries.write(inconsistent.toFile(), changed);
            assertPredictRefuses(inconsistent, e.getValue());
        }

        byte[] network = entries.get("network.zip").clone();
        network[network.length / 2] ^= 0x20;
        Path damaged = dir.resolve("damaged.zip");
        ZipEntries.rewrite(file.toFile(), damaged.toFile(), "network.zip", network);
        assertPredictRefuses(damaged, "entry network.zip is damaged");

        Path release010 = Files.createDirectories(dir.resolve("run-0.1/model"));
        Files.writeString(release010.resolve("model.json"), "{\"format\": 1}");
        assertPredictRefuses(release010.getParent(), "is a model directory of survival4j 0.1");
    }

    private static void assertPredictRefuses(Path model, String message) {
        CliRunner.Result r = CliRunner.run("predict", "--model", model.toString(), "--data", testCsv.toString());

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLine(r, "survival4j: cannot read the model: " + model);
        assertOneLine(r, message);
        assertEquals("", r.out());
    }

    private static void assertOneLine(CliRunner.Result r, String message) {
        String err = r.err().strip();
        assertTrue(err.startsWith("survival4j: ") && err.contains(message), err);
        assertFalse(err.contains("\n") || err.contains("Exception"), err);
    }
}
