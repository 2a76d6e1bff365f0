package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.metrics.AalenJohansen;
import org.survival4j.metrics.BrierScore;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.ConcordanceResult;
import org.survival4j.metrics.InfluenceEstimate;
import org.survival4j.metrics.TimeDependentAuc;
import org.survival4j.model.SurvivalModel;

/**
 * {@code train} and {@code predict} end to end on competing risks: the first 480 rows of R's mgus2
 * (cause 1 = progression, 2 = death; 360 training rows, 120 test rows), each competing-risks loss
 * trained for two epochs, its files checked against the library's own model and metrics.
 */
class CompetingRisksCliTest {
    /** A tiny network for 2 epochs: enough to exercise every output, fast. */
    private static final String[] SMALL = {"--epochs", "2", "--batch", "32", "--hidden", "8", "--features",
        "age,male,hgb,creat,mspike"};
    /** predictions.csv and predict's output print 6 decimals: half a unit of the last one. */
    private static final double PRINTED = 5e-7;
    /** metrics.json holds doubles as Jackson prints them (shortest round-trip), recomputed on the same rows. */
    private static final double EXACT = 1e-12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path train;
    static Path test;

    @BeforeAll
    static void writeFiles() throws IOException {
        train = dir.resolve("mgus2-train.csv");
        test = dir.resolve("mgus2-test.csv");
        VeteranFiles.writeSplit("mgus2.csv", 480, train, test);
    }

    private static CliRunner.Result train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", train.toString(), "--time", "time",
                "--event", "cause", "--test", test.toString(), "--out", out.toString()));
        args.addAll(List.of(SMALL));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @CsvSource({"cause-specific, CAUSE_SPECIFIC_COX, 1;2", "fine-gray, FINE_GRAY, 2", "deephit, DEEPHIT, 1;2"})
    void eachLossTrainsPredictsAndScoresAsTheLibrary(String loss, SurvivalModel.Kind kind, String causeList)
            throws IOException {
        Path out = dir.resolve("run-" + loss);
        List<String> extra = new ArrayList<>(List.of("--loss", loss));
        if (loss.equals("fine-gray")) {
            extra.addAll(List.of("--cause", "2"));
        }
        CliRunner.Result r = train(out, extra.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("note: event column 'cause' of " + train.getFileName() + " has causes 1..2"),
                r.err());
        int[] causes = Arrays.stream(causeList.split(";")).mapToInt(Integer::parseInt).toArray();

        SurvivalModel model = SurvivalModel.load(out.resolve("model.zip"));
        assertEquals(kind, model.kind());
        assertTrue(model.competingRisks());
        Arrays.asList("training-curves.png", "cumulative-incidence.png", "predictions.csv", "metrics.json")
                .forEach(f -> assertTrue(Files.isRegularFile(out.resolve(f)), f));
        CsvTable testTable = CsvTable.read(test);
        double[][] x = SurvivalData.covariatesOnly(testTable, model.recipe()).x();

        // predict: the CIF of each cause at each time is the model's
        Path predicted = dir.resolve("predicted-" + loss + ".csv");
        CliRunner.Result p = CliRunner.run("predict", "--model", out.toString(), "--data", test.toString(),
                "--times", "12,60,120", "--out", predicted.toString());
        assertEquals(0, p.exitCode(), p.err());
        CsvTable rows = CsvTable.read(predicted);
        for (int k : causes) {
            double[][] f = model.cumulativeIncidence(x, k, 12, 60, 120);
            double[][] printed = {rows.numeric("cif_" + k + "_12"), rows.numeric("cif_" + k + "_60"),
                rows.numeric("cif_" + k + "_120")};
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(f[i][j], printed[j][i], PRINTED, "cause " + k + " row " + (i + 1));
                }
            }
        }
        assertEquals(1 + 3 * causes.length, rows.columns().size(), rows.columns().toString());

        // metrics.json: per cause, the library's metrics of F_k at the horizon on the test rows
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile()).get("models").get(0);
        double horizon = m.get("horizon").asDouble();
        INDArray time = Nd4j.createFromArray(testTable.numeric("time"));
        INDArray cause = Nd4j.createFromArray(testTable.numeric("cause"));
        assertEquals(causes.length, m.get("causes").size());
        for (int c = 0; c < causes.length; c++) {
            int k = causes[c];
            JsonNode j = m.get("causes").get(c);
            assertEquals(k, j.get("cause").asInt());
            INDArray f = Nd4j.createFromArray(CompetingRisksReport.column(model.cumulativeIncidence(x, k, horizon)));
            InfluenceEstimate auc = TimeDependentAuc.causeSpecificInference(f, horizon, time, cause, k);
            InfluenceEstimate brier = BrierScore.causeSpecificInference(f, horizon, time, cause, k);
            assertEquals(auc.estimate(), j.get("auc").get("estimate").asDouble(), EXACT);
            assertEquals(auc.standardError(), j.get("auc").get("standardError").asDouble(), EXACT);
            assertEquals(brier.estimate(), j.get("brier").get("estimate").asDouble(), EXACT);
            assertEquals(brier.standardError(), j.get("brier").get("standardError").asDouble(), EXACT);
            ConcordanceResult wolbers = ConcordanceIndex.causeSpecificResult(f, time, cause, k);
            assertEquals(wolbers.estimate(), j.get("concordance").get("estimate").asDouble(), EXACT);
            assertEquals(wolbers.standardError(), j.get("concordance").get("standardError").asDouble(), EXACT);
            assertEquals(AalenJohansen.cumulativeIncidence(time, cause, k, new double[] {horizon})[0],
                    j.get("aalenJohansen").asDouble(), EXACT);
            assertEquals(f.meanNumber().doubleValue(), j.get("meanPredicted").asDouble(), EXACT);
        }
    }

    @Test
    void deepHitKeepsItsGridTimes() throws IOException {
        Path out = dir.resolve("deephit-knots");
        assertEquals(0, train(out, "--loss", "deephit", "--knots", "5").exitCode());
        SurvivalModel model = SurvivalModel.load(out.resolve("model.zip"));
        assertEquals(5, model.gridTimes().length);
        assertEquals(0, model.gridTimes()[0]);
    }

    @Test
    void codesAboveOneDefaultToCauseSpecificCoxWhichPredictScoresAndExplainRefuses() throws IOException {
        Path out = dir.resolve("default");
        CliRunner.Result r = train(out);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("--loss cause-specific"), r.err());
        assertEquals(SurvivalModel.Kind.CAUSE_SPECIFIC_COX, SurvivalModel.load(out.resolve("model.zip")).kind());

        // predict with the outcome: the per-cause table on stderr, at the middle --times
        CliRunner.Result p = CliRunner.run("predict", "--model", out.toString(), "--data", test.toString(),
                "--times", "12,60,120", "--time", "time", "--event", "cause", "--out",
                dir.resolve("scored.csv").toString());
        assertEquals(0, p.exitCode(), p.err());
        assertTrue(p.err().contains("cumulative incidence F_k at t = 60"), p.err());
        assertTrue(p.err().lines().anyMatch(l -> l.startsWith("2      ")), p.err());

        CliRunner.Result e = CliRunner.run("explain", "--model", out.toString(), "--data", test.toString());
        assertOneLineError(e, out + " holds a competing-risks model (CAUSE_SPECIFIC_COX): explain explains"
                + " single-event models only (the risk of each cause is not explained yet)");
    }

    /** Test rows without an event of cause 1: its metrics are n/a with their reason, the run goes on. */
    @Test
    void aCauseWithoutTestEventsIsReportedAsUndefined() throws IOException {
        Path noCause1 = dir.resolve("no-cause-1.csv");
        Files.write(noCause1, Files.readAllLines(test).stream().map(l -> l.replaceFirst("^([^,]*),1,", "$1,0,"))
                .toList());
        Path out = dir.resolve("no-cause-1");
        CliRunner.Result r = CliRunner.run("train", "--data", train.toString(), "--time", "time", "--event", "cause",
                "--test", noCause1.toString(), "--out", out.toString(), "--epochs", "1", "--hidden", "8",
                "--features", "age,male,hgb,creat,mspike");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("n/a: the AUC of cause 1: "), r.out());
        JsonNode cause1 = JSON.readTree(out.resolve("metrics.json").toFile()).get("models").get(0).get("causes").get(0);
        assertEquals(0, cause1.get("testEvents").asInt());
        assertEquals(0, cause1.get("aalenJohansen").asDouble());
        assertTrue(cause1.get("auc").get("undefined").asText().startsWith("the AUC of cause 1: "), cause1.toString());
        assertTrue(cause1.get("concordance").has("undefined"), cause1.toString());
    }

    @Test
    void aCodeAboveTheTrainingCausesInTheTestFileIsOneLine() throws IOException {
        Path badTest = withCode(test, 5, "3", "code3.csv");
        CliRunner.Result r = CliRunner.run("train", "--data", train.toString(), "--time", "time", "--event", "cause",
                "--test", badTest.toString(), "--out", dir.resolve("never3").toString(), "--epochs", "1");
        assertOneLineError(r, badTest.getFileName() + ": event column 'cause' must hold a whole number from 0"
                + " (censored) to 2 (the causes of the training data), but row 5 has 3");
    }

    @Test
    void aNonIntegerCodeIsOneLine() throws IOException {
        Path badTrain = withCode(train, 7, "1.5", "half.csv");
        CliRunner.Result r = CliRunner.run("train", "--data", badTrain.toString(), "--time", "time", "--event",
                "cause", "--out", dir.resolve("never15").toString(), "--epochs", "1");
        assertOneLineError(r, badTrain.getFileName() + ": event column 'cause' must hold a whole number >= 0"
                + " (0 = censored, 1..K the cause), but row 7 has 1.5");
    }

    @Test
    void aCauseOfInterestOutOfRangeIsOneLine() {
        assertOneLineError(train(dir.resolve("never-cause"), "--loss", "fine-gray", "--cause", "3"),
                "--cause 3: event column 'cause' of " + train.getFileName() + " has causes 1..2");
    }

    @Test
    void singleEventLossesAndUnsupportedOptionsAreRefused() {
        assertOneLineError(train(dir.resolve("never-cox"), "--loss", "cox"), "--loss cox takes events 0/1, but"
                + " event column 'cause' of " + train.getFileName() + " has codes 0..2 (competing risks): use --loss"
                + " cause-specific (the default for such codes), fine-gray or deephit, or recode the column to 0/1");
        assertOneLineError(CliRunner.run("tune", "--data", train.toString(), "--time", "time", "--event", "cause",
                "--out", dir.resolve("never-tune").toString()), "tune searches single-event models: event column"
                + " 'cause' has 2 competing causes; train them with 'survival4j train --loss"
                + " cause-specific|fine-gray|deephit' and fixed settings");
    }

    @ParameterizedTest
    @CsvSource({"cause-specific, c-index", "fine-gray, loss", "deephit, loss", "deephit, c-index"})
    void earlyStoppingKeepsTheBestValidationEpoch(String loss, String criterion) throws IOException {
        Path out = dir.resolve("early-" + loss + "-" + criterion);
        CliRunner.Result r = CliRunner.run("train", "--data", train.toString(), "--time", "time", "--event", "cause",
                "--test", test.toString(), "--out", out.toString(), "--hidden", "8", "--batch", "32", "--features",
                "age,male,hgb,creat,mspike", "--loss", loss, "--early-stopping", "--validation", "0.25",
                "--stop-on", criterion, "--patience", "2", "--max-epochs", "4");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode stopping = JSON.readTree(out.resolve("metrics.json").toFile()).get("models").get(0).get("earlyStopping");
        int best = stopping.get("bestEpoch").asInt();
        int trained = stopping.get("epochsTrained").asInt();
        assertTrue(best >= 1 && best <= trained && trained <= 4, stopping.toString());
        assertTrue(r.out().contains("early stopping kept epoch " + best + " of " + trained), r.out());
        assertEquals(criterion.equals("loss") ? "validation loss" : "C-index", stopping.get("criterion").asText());
    }

    /** {@code --cv} on competing risks: folds stratified by cause, each scored by the cause of interest's C. */
    @Test
    void crossValidationScoresEachFoldByTheCauseOfInterest() throws IOException {
        Path out = dir.resolve("cv-fine-gray");
        CliRunner.Result r = train(out, "--loss", "fine-gray", "--cause", "2", "--cv", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("3 folds x 1 repeats, stratified by cause"), r.out());
        JsonNode cv = JSON.readTree(out.resolve("metrics.json").toFile()).get("crossValidation");
        assertEquals(2, cv.get("cause").asInt());
        double sum = 0;
        for (JsonNode fold : cv.get("results")) {
            double c = fold.get("concordance").asDouble();
            assertTrue(c > 0 && c < 1, fold.toString());
            sum += c;
        }
        assertEquals(3, cv.get("results").size());
        assertEquals(sum / 3, cv.get("meanCauseSpecificC").asDouble(), 1e-12);
        assertTrue(r.out().contains(String.format(Locale.ROOT, "C of cause 2 %.4f",
                cv.get("results").get(0).get("concordance").asDouble())), r.out());
    }

    /**
     * {@code --compare} adds a plain network and the linear cause-specific Cox model, whose scores
     * are those of R's {@code CSC} on the same rows (golden-own/cli_compare_mgus2.R). The linear
     * model is 500 full-batch Adam steps, not Newton's method, so its coefficients are R's only
     * nearly: the Brier scores agree to 3e-5 here (bound 1e-4); the AUC counts case-control pairs in
     * order, so it agrees exactly for cause 2 (86 test events) while cause 1's (12 events) moved by
     * 3.5e-3, a few of its ~1,300 pairs swapped by the coefficients' last digits (bound 1e-2).
     */
    @Test
    void compareAddsALinearCauseSpecificCoxModelScoredAsR() throws IOException {
        Path out = dir.resolve("compare");
        CliRunner.Result r = train(out, "--compare", "--horizon", "100");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode models = JSON.readTree(out.resolve("metrics.json").toFile()).get("models");
        assertEquals(3, models.size());
        JsonNode linear = models.get(2);
        assertEquals("linear cause-specific Cox", linear.get("name").asText());
        List<String> golden;
        try (InputStream in = CompetingRisksCliTest.class.getResourceAsStream(
                "/org/survival4j/golden-own/cli_compare_mgus2.csv")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        for (String line : golden.subList(1, golden.size())) {
            String[] f = line.split(",");
            int cause = Integer.parseInt(f[0].strip());
            double expected = Double.parseDouble(f[2].strip());
            double actual = linear.get("causes").get(cause - 1).get(f[1].strip()).get("estimate").asDouble();
            double bound = f[1].strip().equals("brier") ? 1e-4 : cause == 2 ? 1e-4 : 1e-2;
            assertEquals(expected, actual, bound, "cause " + cause + " " + f[1]);
        }
    }

    /** A copy of {@code file} named {@code name} whose data row {@code row} (from 1) has the cause {@code code}. */
    private static Path withCode(Path file, int row, String code, String name) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String[] cells = lines.get(row).split(",", -1);
        cells[1] = code;
        lines.set(row, String.join(",", cells));
        return Files.write(dir.resolve(name), lines);
    }

    private static void assertOneLineError(CliRunner.Result r, String message) {
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("survival4j: " + message, r.err().strip(), r.err());
    }
}
