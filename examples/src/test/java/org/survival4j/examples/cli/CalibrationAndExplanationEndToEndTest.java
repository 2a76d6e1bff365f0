package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.ModelCalibration;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.explain.FeatureGroup;
import org.survival4j.explain.PermutationImportance;
import org.survival4j.explain.PermutationImportance.Metric;
import org.survival4j.explain.ShapleyValues;
import org.survival4j.metrics.CalibrationInTheLarge;
import org.survival4j.metrics.CalibrationSlope;
import org.survival4j.metrics.DCalibration;
import org.survival4j.metrics.GroupedCalibration;
import org.survival4j.metrics.SmoothCalibration;
import org.survival4j.model.SurvivalModel;

/**
 * Where users see calibration and explanation: a short {@code train} run on a user CSV (the
 * veterans' trial, split into a training and a test file) writes the calibration plot, the
 * importance chart and their numbers, and {@code explain} writes Shapley values. Every number is
 * checked against the library called directly on the saved model: train's on the test rows
 * standardized as train does it (so the inputs, the network and thus every number agree to the
 * last bit), explain's on the rows encoded by the model's recipe, as explain and predict do.
 */
class CalibrationAndExplanationEndToEndTest {
    /** The veterans' covariates, one feature per raw column. */
    private static final List<String> FEATURES = List.of("trt", "celltype", "karno", "diagtime", "age", "prior");

    @TempDir
    static Path dir;
    static VeteranFiles files;
    static Path out;
    static CliRunner.Result train;
    static JsonNode metrics;
    static SurvivalModel model;
    /** The test rows encoded by the model's recipe (as predict and explain read them). */
    static SurvivalData test;
    /** The test rows standardized by the training rows (as train evaluates them). */
    static SurvivalData asTrained;
    static double horizon;

    @BeforeAll
    static void trainOnce() throws IOException {
        files = VeteranFiles.writeTo(dir);
        out = dir.resolve("out");
        train = files.runTrain(out, "--compare");
        assertEquals(0, train.exitCode(), train.err());
        metrics = Report.JSON.readTree(out.resolve("metrics.json").toFile());
        model = SurvivalModel.load(out);
        test = SurvivalData.of(CsvTable.read(files.test()), "time", "status", model.recipe());
        SurvivalData trainRows = SurvivalData.fromTable(CsvTable.read(files.train()), "time", "status", List.of(),
                note -> { });
        asTrained = Standardization.fit(trainRows).apply(SurvivalData.of(CsvTable.read(files.test()), "time", "status",
                trainRows.recipe()));
        horizon = metrics.get("models").get(0).get("calibration").get("horizon").asDouble();
    }

    @Test
    void trainWritesTheCalibrationPlotTheImportanceChartAndTheirNumbers() throws IOException {
        for (String file : List.of(Plots.CALIBRATION_AT_HORIZON, Plots.IMPORTANCE)) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertTrue(train.out().contains("Calibration at t = " + Report.number(horizon)), train.out());
        assertTrue(train.out().contains("Feature importance of MLP [8] + momentum"), train.out());
        for (JsonNode m : metrics.get("models")) {
            JsonNode c = m.get("calibration");
            for (String field : List.of("ici", "e50", "e90", "slope", "observedExpected", "gnd", "dCalibration",
                    "curve")) {
                assertFalse(c.get(field).isNull(), m.get("name") + " " + field);
            }
            assertEquals(0, c.get("unavailable").size(), c.toString());
            assertEquals(ModelCalibration.CURVE_POINTS, c.get("curve").get("predictedRisk").size());
        }
        JsonNode features = metrics.get("models").get(0).get("importance").get("features");
        assertEquals(FEATURES, names(features));
        assertTrue(metrics.get("models").get(1).get("importance") == null, "importance of the main model only");
    }

    /** The default horizon is the middle of the times of predictions.csv, the median distinct training event time. */
    @Test
    void theDefaultHorizonIsTheMiddleSurvivalColumnOfThePredictions() throws IOException {
        double[] times = Report.defaultTimes(model);
        assertEquals(times[times.length / 2], horizon, 0);
        List<String> header = List.of(Files.readAllLines(out.resolve("predictions.csv")).get(0).split(","));
        assertTrue(header.contains("survival_at_" + Report.number(horizon)), header.toString());
        double[] eventTimes = model.timeGrid();
        assertEquals(eventTimes[(int) Math.floor(0.5 * (eventTimes.length - 1))], horizon, 0);
    }

    /** Each number of metrics.json against the library on the saved model's predicted risks of the test rows. */
    @Test
    void theCalibrationNumbersAreTheLibrarysOnTheTestRows() {
        JsonNode c = metrics.get("models").get(0).get("calibration");
        double[] risk = riskAt(horizon);
        double[] time = asTrained.time();
        double[] event = asTrained.event();

        SmoothCalibration smooth = SmoothCalibration.fit(risk, horizon, time, event);
        assertEquals(smooth.ici(), c.get("ici").asDouble(), 0);
        assertEquals(smooth.e50(), c.get("e50").asDouble(), 0);
        assertEquals(smooth.e90(), c.get("e90").asDouble(), 0);
        CalibrationSlope slope = CalibrationSlope.fit(risk, horizon, time, event);
        assertEquals(slope.estimate(), c.get("slope").get("estimate").asDouble(), 0);
        assertEquals(slope.standardError(), c.get("slope").get("standardError").asDouble(), 0);
        CalibrationInTheLarge oe = CalibrationInTheLarge.of(risk, horizon, time, event);
        assertEquals(oe.ratio(), c.get("observedExpected").get("ratio").asDouble(), 0);
        assertEquals(oe.confidenceInterval(0.05).lower(), c.get("observedExpected").get("lower95").asDouble(), 0);
        int groups = c.get("gnd").get("groups").asInt();
        GroupedCalibration gnd = GroupedCalibration.test(risk, horizon, time, event, groups);
        assertEquals(gnd.statistic(), c.get("gnd").get("chiSquare").asDouble(), 0);
        assertEquals(gnd.pValue(), c.get("gnd").get("p").asDouble(), 0);

        // S(T_i | x_i): the diagonal of all rows at all rows' times, in one batch as train predicts (a float
        // network gives a row alone slightly different outputs); ModelCalibrationTest checks the chunks
        double[][] all = model.survival(asTrained.x(), time);
        double[] ownTime = new double[time.length];
        for (int i = 0; i < time.length; i++) {
            ownTime[i] = all[i][i];
        }
        DCalibration d = DCalibration.test(ownTime, event);
        assertEquals(d.statistic(), c.get("dCalibration").get("chiSquare").asDouble(), 0);
        assertEquals(d.pValue(), c.get("dCalibration").get("p").asDouble(), 0);
    }

    /** The importance is the library's on the test rows, a feature per raw column, seeded by the training seed (1). */
    @Test
    void theImportanceIsTheLibrarysWithTheTrainingSeed() {
        JsonNode features = metrics.get("models").get(0).get("importance").get("features");
        PermutationImportance vi = PermutationImportance.compute(model, asTrained.x(), asTrained.time(),
                asTrained.event(), horizon, FeatureGroup.byRawColumn(model), 5, 1L);

        for (int k = 0; k < FEATURES.size(); k++) {
            JsonNode f = features.get(k);
            assertEquals(vi.importance(Metric.CONCORDANCE).get(k).mean(), f.get("harrell").get("estimate").asDouble(),
                    0, f.toString());
            assertEquals(vi.importance(Metric.AUC).get(k).mean(), f.get("auc").get("estimate").asDouble(), 0);
            assertEquals(vi.importance(Metric.BRIER).get(k).mean(), f.get("brier").get("estimate").asDouble(), 0);
            assertEquals(vi.importance(Metric.CONCORDANCE).get(k).confidenceInterval(0.05).upper(),
                    f.get("harrell").get("upper95").asDouble(), 0);
        }
        String ranked = train.out().substring(train.out().indexOf("Feature importance of"));
        String top = vi.ranking(Metric.CONCORDANCE).get(0);
        assertTrue(ranked.split("\n")[1].strip().startsWith(top + " "), ranked);
    }

    /**
     * A horizon before the first event time: a Cox model predicts no risk by then, so the
     * calibration statistics and the importance are undefined. The run still writes everything
     * else, says why, and leaves out the importance chart.
     */
    @Test
    void aHorizonWhereNothingIsDefinedStillWritesTheModelAndSaysWhy() throws IOException {
        Path early = dir.resolve("early");
        CliRunner.Result r = files.runTrain(early, "--horizon", "0.5", "--importance-repeats", "3");

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Calibration at t = 0.5"), r.out());
        assertTrue(r.out().contains("n/a"), r.out());
        assertTrue(r.out().contains("the observed/expected ratio: "), r.out());
        assertTrue(Files.size(early.resolve(TrainCommand.MODEL_FILE)) > 0);
        assertTrue(Files.size(early.resolve(Plots.CALIBRATION_AT_HORIZON)) > 0);
        assertFalse(Files.exists(early.resolve(Plots.IMPORTANCE)));
        JsonNode m = Report.JSON.readTree(early.resolve("metrics.json").toFile()).get("models").get(0);
        assertEquals(0.5, m.get("calibration").get("horizon").asDouble(), 0);
        assertTrue(m.get("calibration").get("ici").isNull());
        assertFalse(m.get("calibration").get("dCalibration").isNull(), "D-calibration needs no horizon");
        assertEquals(4, m.get("calibration").get("unavailable").size(), m.toString());
        assertTrue(m.get("importance").get("unavailable").get(0).asText().startsWith("permutation importance: "));
    }

    /**
     * explain's CSV against the library: for each test row, ShapleyValues with the test rows as the
     * background (the default), ceil(40 / 34) = 2 walks per background row and seed 1; the risk
     * column is one minus predictions.csv's survival at the horizon (both printed to 6 decimals).
     */
    @Test
    void explainWritesTheLibrarysShapleyValuesOfEachRow() throws IOException {
        Path csv = dir.resolve("explained.csv");

        CliRunner.Result r = CliRunner.run("explain", "--model", out.toString(), "--data", files.test().toString(),
                "--walks", "40", "--out", csv.toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("from the mean risk of 34 background rows (the --data rows), 68 walks each"),
                r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(test.size() + 1, lines.size());
        List<String> header = new ArrayList<>(List.of("row", "risk_at_" + Report.number(horizon), "baseline"));
        FEATURES.forEach(f -> header.addAll(List.of("phi_" + f, "se_" + f)));
        assertEquals(String.join(",", header), lines.get(0));
        List<String> predictions = Files.readAllLines(out.resolve("predictions.csv"));
        int survivalColumn = List.of(predictions.get(0).split(",")).indexOf("survival_at_" + Report.number(horizon));
        for (int i = 0; i < test.size(); i++) {
            String[] cells = lines.get(i + 1).split(",");
            ShapleyValues v = ShapleyValues.explain(model, test.x()[i], test.x(), horizon,
                    FeatureGroup.byRawColumn(model), 2, 1L);
            List<String> expected = new ArrayList<>(List.of(Integer.toString(i + 1), fixed(v.prediction()),
                    fixed(v.baseline())));
            for (int j = 0; j < FEATURES.size(); j++) {
                expected.add(fixed(v.values()[j]));
                expected.add(fixed(v.standardErrors()[j]));
            }
            assertEquals(expected, List.of(cells), "row " + (i + 1));
            double survival = Double.parseDouble(predictions.get(i + 1).split(",")[survivalColumn]);
            assertEquals(1 - survival, Double.parseDouble(cells[1]), 1.5e-6); // two roundings to 6 decimals
        }
    }

    @Test
    void explainWithABackgroundFileDrawsAtMostAHundredOfItsRows() throws IOException {
        CliRunner.Result r = CliRunner.run("explain", "--model", out.toString(), "--data", files.test().toString(),
                "--background", files.train().toString(), "--horizon", "60", "--walks", "100");

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("by t = 60, from the mean risk of 100 background rows (veteran-train.csv),"
                + " 100 walks each"), r.err());
        double[][] background = SurvivalData.covariatesOnly(CsvTable.read(files.train()), model.recipe()).x();
        ShapleyValues first = ShapleyValues.explain(model, test.x()[0], ExplainCommand.sample(background, 100, 1), 60,
                FeatureGroup.byRawColumn(model), 1, 1L);
        String[] cells = r.out().split("\n")[1].split(",");
        assertEquals(fixed(first.baseline()), cells[2]);
        assertEquals(fixed(first.values()[1]), cells[5]);
    }

    /** One row explained against itself: every value 0 and the baseline its own risk, with a warning that says why. */
    @Test
    void explainingARowAgainstItselfWarnsAboutTheBackground() throws IOException {
        List<String> lines = Files.readAllLines(files.test());
        Path one = dir.resolve("one-row.csv");
        Files.write(one, lines.subList(0, 2));

        CliRunner.Result r = CliRunner.run("explain", "--model", out.toString(), "--data", one.toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: only 1 background rows (the --data rows)"), r.err());
        String[] cells = r.out().split("\n")[1].split(",");
        assertEquals(cells[1], cells[2]);
        for (int k = 3; k < cells.length; k++) {
            assertEquals(0, Double.parseDouble(cells[k]), 0, "column " + k);
        }
    }

    @Test
    void theBackgroundSampleIsSeededDistinctAndInFileOrder() {
        double[][] rows = new double[250][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {i};
        }

        double[][] a = ExplainCommand.sample(rows, 100, 1);

        assertEquals(100, a.length);
        double[] first = Arrays.stream(a).mapToDouble(row -> row[0]).toArray();
        assertTrue(Arrays.equals(first, Arrays.stream(first).distinct().sorted().toArray()), Arrays.toString(first));
        assertTrue(Arrays.deepEquals(a, ExplainCommand.sample(rows, 100, 1)));
        assertFalse(Arrays.deepEquals(a, ExplainCommand.sample(rows, 100, 2)));
        assertTrue(ExplainCommand.sample(rows, 250, 1) == rows);
    }

    private static double[] riskAt(double t) {
        double[][] s = model.survival(asTrained.x(), t);
        return Arrays.stream(s).mapToDouble(row -> 1 - row[0]).toArray();
    }

    private static List<String> names(JsonNode features) {
        List<String> names = new ArrayList<>();
        features.forEach(f -> names.add(f.get("name").asText()));
        return names;
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
