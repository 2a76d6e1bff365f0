package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.LearningRateSchedule;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.examples.train.SurvivalData;

/** The command line's answers to bad options and bad input: one line on stderr, a non-zero exit, no trace. */
class Survival4jCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "train --batch 0                    | batch size must be >= 1, got 0",
        "train --rate 1.5                   | rate must be in [0, 1], got 1.5",
        "train --rate 2                     | rate must be in [0, 1], got 2 (see",
        "train --epochs x                   | Invalid value for option '--epochs': 'x' is not an int",
        "train --loss foo                   | unknown loss 'foo': cox, weibull, grid, cause-specific, fine-gray or deephit",
        "train --ties exact                 | expected one of [EFRON, BRESLOW] (case-insensitive) but was 'exact'",
        "train --hidden 8,-1                | hidden layer sizes must be >= 1",
        "train --learning-rate 0            | learning rate must be > 0, got 0 (see",
        "train --weight-decay -1            | weight decay must be >= 0, got -1 (see",
        "train --dropout 1                  | dropout must be in [0, 1), got 1 (see",
        "train --workers 0                  | workers must be >= 1, got 0",
        "train --no-momentum --virtual-batch 20 | the virtual batch must be a multiple of the batch size 16, got 20",
        "train --virtual-batch 64 --workers 2 | it does not combine with workers yet",
        "train --test-fraction 1            | --test-fraction must be in (0, 1), got 1 (see",
        "train --validation -0.1            | --validation must be in [0, 1), got -0.1",
        "train --validation 1               | --validation must be in [0, 1), got 1 (see",
        "train --frobnicate                 | Unknown option: '--frobnicate'",
        "train --time t --event e           | --time, --event, --start, --features and --test need --data",
        "train --data x.csv --time t        | --data needs --time COL and --event COL",
        "train --data x.csv --time status --event status | --time and --event both name column 'status'",
        "predict --data x.csv               | Missing required option: '--model=DIR",
        "predict --model m --data x.csv --times 10,-1 | --times must be finite and >= 0, got -1 (see",
        "predict --model m --data x.csv --time t      | --time and --event go together",
        "predict --model m --data x.csv --times 50,10,10 | --times lists 10 twice",
        "train --horizon 0                  | --horizon must be finite and > 0, got 0 (see",
        "train --horizon Infinity           | --horizon must be finite and > 0, got Infinity",
        "train --importance-repeats 1       | --importance-repeats must be >= 2 (for an interval), got 1",
        "explain --data x.csv               | Missing required option: '--model=DIR",
        "explain --model m --data x.csv --horizon -1 | --horizon must be finite and > 0, got -1 (see 'survival4j expl",
        "explain --model m --data x.csv --walks 1 | --walks must be >= 2, got 1",
        "fly                                | Unmatched argument at index 0: 'fly'",
        "train --early-stopping             | --early-stopping needs --validation F",
        "train --patience 5                 | --patience, --max-epochs and --stop-on need --early-stopping",
        "train --early-stopping --validation 0.2 --epochs 5 | give --max-epochs instead of --epochs",
        "train --early-stopping --validation 0.2 --patience 0 | --patience must be >= 1, got 0",
        "train --early-stopping --validation 0.2 --max-epochs 0 | --max-epochs must be >= 1, got 0",
        "train --early-stopping --validation 0.2 --stop-on auc | expected c-index or loss but was 'auc'",
        "train --activation sigmoid         | expected one of [RELU, SELU, TANH] (case-insensitive) but was 'sigmoid'",
        "train --optimizer sgd              | expected one of [ADAM, NESTEROV] (case-insensitive) but was 'sgd'",
        "train --sgd-momentum 0.9           | --sgd-momentum is an option of --optimizer nesterov",
        "train --optimizer nesterov --sgd-momentum 1 | the SGD momentum must be in [0, 1), got 1",
        "train --lr-decay 0.5               | --lr-decay and --lr-step need --lr-schedule inverse, exponential or step",
        "train --lr-schedule exponential --lr-decay 1.5 | the exponential schedule's decay must be in (0, 1], got 1.5",
        "train --lr-schedule inverse --lr-step 3 | --lr-step is an option of --lr-schedule step",
        "train --lr-schedule step --lr-step 0 | the step schedule's epochs per step must be >= 1, got 0",
        "train --hidden 8,8 --dropout 0.1,0.2,0.3 | dropout needs one value for every hidden layer or one per hidden layer (2), got 3",
        "train --l2 0.5 --weight-decay 0.01 | --l2 and --weight-decay do not go together",
        "train --l2 -1                      | l2 must be >= 0, got -1",
        "train --cv 1                       | --cv must be 0 (none) or >= 2 folds, got 1",
        "train --cv 3 --cv-repeats 0        | --cv-repeats must be >= 1, got 0",
        "tune --trials 0                    | --trials must be >= 1, got 0",
        "tune --cv 1                        | --cv must be >= 2 folds, got 1",
        "tune --eta 1                       | --eta must be >= 2, got 1",
        "tune --validation 1                | --validation must be in [0, 1), got 1",
        "tune --validation 0.2 --cv 5       | --validation and --cv are two ways of scoring trials: give one",
        "tune --jobs 0                      | --jobs must be >= 1, got 0",
        "tune --budget-minutes 0            | --budget-minutes must be > 0, got 0",
        "tune --patience 0                  | --patience must be >= 1, got 0",
        "tune --time t --event e            | --time, --event, --start, --features and --test need --data",
        "tune --search grid                 | expected one of [HALVING, HYPERBAND, RANDOM] (case-insensitive) but was 'grid'",
    })
    void badOptionsExitWithCode2AndOneLine(String args, String message) {
        CliRunner.Result r = CliRunner.run(args.trim().split("\\s+"));

        assertEquals(Survival4jCli.USAGE_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, message);
    }

    @Test
    void dropoutReachesTheTrainingSettings() {
        CommandLine cli = Survival4jCli.commandLine();
        cli.parseArgs("train", "--dropout", "0.3");
        TrainCommand train = cli.getSubcommands().get("train").getCommand();

        assertEquals(List.of(0.3), train.settings().dropout());
        assertTrue(train.settings().describe().contains("dropout 0.3"), train.settings().describe());
    }

    @Test
    void networkAndOptimizerOptionsReachTheTrainingSettings() {
        CommandLine cli = Survival4jCli.commandLine();
        cli.parseArgs("train", "--hidden", "16,8", "--activation", "selu", "--dropout", "0.1,0.2", "--optimizer",
                "nesterov", "--sgd-momentum", "0.85", "--learning-rate", "0.05", "--lr-schedule", "step", "--lr-decay",
                "0.5", "--lr-step", "10", "--l2", "2");
        TrainingSettings s = cli.getSubcommands().get("train").<TrainCommand>getCommand().settings();

        assertEquals(List.of(16, 8), s.hidden());
        assertEquals(TrainingSettings.ActivationKind.SELU, s.activation());
        assertEquals(List.of(0.1, 0.2), s.dropout());
        assertEquals(TrainingSettings.OptimizerKind.NESTEROV, s.optimizer());
        assertEquals(0.85, s.sgdMomentum());
        assertEquals(0.05, s.learningRate());
        assertEquals(LearningRateSchedule.step(0.5, 10), s.schedule());
        assertEquals(2, s.l2());
        assertEquals(0, s.weightDecay(), "--l2 replaces the default weight decay");
        assertTrue(s.describe().contains("MLP [16, 8] SELU"), s.describe());
        assertTrue(s.describe().contains("SGD-Nesterov (momentum 0.85) 0.05, schedule step 0.5 every 10 epochs"),
                s.describe());
        assertTrue(s.describe().contains("alpha dropout [0.1, 0.2]"), s.describe());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"INVERSE, 0.001", "EXPONENTIAL, 0.99", "STEP, 0.5"})
    void scheduleDecaysHaveDefaults(LearningRateSchedule.Kind kind, double decay) {
        CommandLine cli = Survival4jCli.commandLine();
        cli.parseArgs("train", "--lr-schedule", kind.name().toLowerCase(java.util.Locale.ROOT));
        TrainingSettings s = cli.getSubcommands().get("train").<TrainCommand>getCommand().settings();

        assertEquals(kind, s.schedule().kind());
        assertEquals(decay, s.schedule().decay());
    }

    @Test
    void workersMakeARoundOneMomentumBatch() {
        CommandLine cli = Survival4jCli.commandLine();
        cli.parseArgs("train", "--workers", "2", "--batch", "8", "--steps", "5");
        TrainCommand train = cli.getSubcommands().get("train").getCommand();

        assertEquals(2, train.settings().workers());
        assertEquals(16, train.settings().momentumConfig().batchSize()); // a round of 2 batches of 8 rows
        assertEquals(80, train.settings().momentumConfig().bankCapacity());
        assertTrue(train.settings().describe().contains("2 data-parallel workers"), train.settings().describe());

        cli.parseArgs("train", "--virtual-batch", "32", "--batch", "8", "--steps", "5");
        train = cli.getSubcommands().get("train").getCommand();
        assertEquals(32, train.settings().momentumConfig().batchSize()); // a virtual batch is one momentum step
        assertEquals(160, train.settings().momentumConfig().bankCapacity());
    }

    @Test
    void missingFileExitsWithCode1() {
        CliRunner.Result r = CliRunner.run("train", "--data", dir.resolve("none.csv").toString(), "--time", "t",
                "--event", "e");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "no such file: " + dir.resolve("none.csv"));
    }

    @Test
    void unknownColumnIsNamedWithTheColumnsThatExist() throws IOException {
        Path csv = write("t,e,x\n1,1,0.5\n2,0,0.7\n");

        CliRunner.Result r = CliRunner.run("train", "--data", csv.toString(), "--time", "time", "--event", "e");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "data.csv has no column 'time'; its columns are t, e, x");
    }

    @Test
    void nonNumericValuesAreReportedWithTheirRows() throws IOException {
        Path csv = write("t,e,x\n1,1,0.5\n2,0,abc\n3,1,0.1\n");

        CliRunner.Result r = CliRunner.run("train", "--data", csv.toString(), "--time", "t", "--event", "e");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "column 'x' mixes numbers and text: 1 values are not numbers (first: 'abc'), in rows 2");
    }

    @Test
    void eventsOtherThanZeroOrOneAreRejectedWhenTrainingHasEventsZeroOrOne() throws IOException {
        Path csv = write("t,e,x\n" + "1,1,0.5\n2,0,0.3\n3,1,0.1\n".repeat(5));
        Path test = dir.resolve("test.csv");
        Files.writeString(test, "t,e,x\n" + "1,2,0.5\n2,0,0.3\n3,1,0.1\n".repeat(4));

        CliRunner.Result r = CliRunner.run("train", "--data", csv.toString(), "--time", "t", "--event", "e", "--test",
                test.toString());

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "event column 'e' must be 0 (censored) or 1 (event), but has 4 other values (first: 2)");
    }

    @Test
    void aFeatureListedTwiceIsADataErrorNotACrash() throws IOException {
        Path csv = write("t,e,age\n1,1,50\n2,0,60\n3,1,70\n");

        CliRunner.Result r = CliRunner.run("train", "--data", csv.toString(), "--time", "t", "--event", "e",
                "--features", "age,age");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "column 'age' is listed twice in the features");
    }

    @Test
    void aHeaderOnlyCsvIsADataError() throws IOException {
        Path csv = write("t,e,x\n");

        CliRunner.Result r = CliRunner.run("train", "--data", csv.toString(), "--time", "t", "--event", "e");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "data.csv has a header but no data rows");
    }

    @Test
    void aHeldOutPartTooSmallToEvaluateIsRejectedBeforeTraining() throws IOException {
        Path csv = write("t,e,x\n1,1,0.5\n2,0,0.7\n3,1,0.1\n4,1,0.2\n5,0,0.9\n6,1,0.3\n7,1,0.4\n8,0,0.6\n");

        CliRunner.Result r = CliRunner.run("train", "--data", csv.toString(), "--time", "t", "--event", "e");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "data.csv (held-out 25 %) has 2 rows");
        assertTrue(r.err().contains("at least 10 rows"), r.err());
        assertFalse(r.out().contains("epochs"), r.out());
    }

    @Test
    void aCategorySeenOnlyInTheHeldOutRowsIsAnErrorNamingItsFileRow() throws IOException {
        // which 10 of 40 rows --test-fraction 0.25 holds out with the default seed 1, by the split's contract
        double[][] index = new double[40][];
        for (int i = 0; i < 40; i++) {
            index[i] = new double[] {i};
        }
        SurvivalData rows = SurvivalData.of("rows", List.of("i"), index, new double[40], new double[40]);
        int heldOut = (int) rows.split(0.25, 1)[1].x()[0][0];
        StringBuilder csv = new StringBuilder("t,e,arm\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i + 1).append(',').append(i % 2).append(',')
                    .append(i == heldOut ? "z" : i % 3 == 0 ? "a" : "b").append('\n');
        }

        CliRunner.Result r = CliRunner.run("train", "--data", write(csv.toString()).toString(), "--time", "t",
                "--event", "e");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "data.csv (held-out 25 %): 1 row cannot be encoded as in training (rows " + (heldOut + 1)
                + "); the first: column 'arm' has 'z': a category not seen in training (known: a, b)");
    }

    @Test
    void anOutThatIsAFileIsRejectedBeforeTraining() throws IOException {
        Path file = write("not a directory");

        CliRunner.Result r = CliRunner.run("train", "--out", file.toString());

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "--out " + file + " is a file, not a directory");
        assertFalse(r.out().contains("survival4j train"), r.out());
    }

    @Test
    void aFailedWriteNamesTheFileAndTheKindOfFailure() {
        Path file = dir.resolve("metrics.json");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> OutputFiles.write(file, f -> {
            throw new AccessDeniedException(f.toString());
        }));

        assertEquals("cannot write " + file + ": AccessDeniedException", e.getMessage());
    }

    @Test
    void aFailedWriteLeavesTheOldFileWholeAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("predictions.csv");
        Files.writeString(file, "old");

        assertThrows(InvalidInputException.class, () -> OutputFiles.write(file, f -> {
            Files.writeString(f, "half of the new");
            throw new IOException("No space left on device");
        }));

        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), listing(dir));
    }

    @Test
    void aFailedSetOfWritesLeavesTheDirectoryAsItWas() throws IOException {
        Files.createDirectory(dir.resolve("model"));
        Files.writeString(dir.resolve("model").resolve("network.zip"), "old model");
        Files.writeString(dir.resolve("metrics.json"), "old metrics");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> OutputFiles.writeAll(dir, out -> {
            OutputFiles.write(mkdir(out.resolve("model")).resolve("network.zip"), f -> Files.writeString(f, "new"));
            OutputFiles.write(out.resolve("metrics.json"), f -> {
                throw new AccessDeniedException(f.toString());
            });
        }));

        assertTrue(e.getMessage().endsWith("AccessDeniedException (" + dir + " was left as it was)"), e.getMessage());
        assertEquals("old model", Files.readString(dir.resolve("model").resolve("network.zip")));
        assertEquals("old metrics", Files.readString(dir.resolve("metrics.json")));
        assertEquals(List.of(dir.resolve("metrics.json"), dir.resolve("model")), listing(dir));
    }

    @Test
    void aSetOfWritesReplacesFilesAndDirectoriesWholeAndLeavesOthers() throws IOException {
        Files.createDirectory(dir.resolve("model"));
        Files.writeString(dir.resolve("model").resolve("network.zip"), "old plain model");
        Files.writeString(dir.resolve("metrics.json"), "old metrics");
        Files.writeString(dir.resolve("notes.txt"), "the user's own file");

        OutputFiles.writeAll(dir, out -> {
            OutputFiles.write(mkdir(out.resolve("model")).resolve("momentum.zip"), f -> Files.writeString(f, "new"));
            OutputFiles.write(out.resolve("metrics.json"), f -> Files.writeString(f, "new metrics"));
        });

        assertEquals(List.of(dir.resolve("model").resolve("momentum.zip")), listing(dir.resolve("model")));
        assertEquals("new metrics", Files.readString(dir.resolve("metrics.json")));
        assertEquals("the user's own file", Files.readString(dir.resolve("notes.txt")));
        assertEquals(List.of(dir.resolve("metrics.json"), dir.resolve("model"), dir.resolve("notes.txt")),
                listing(dir));
    }

    private static Path mkdir(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        }
    }

    @Test
    void predictWithoutAModelSaysSo() {
        CliRunner.Result r = CliRunner.run("predict", "--model", dir.toString(), "--data", "x.csv");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, dir + " is a directory without a model (no model.zip in it)");
    }

    @Test
    void helpListsTheOptionsAndExitsWith0() {
        CliRunner.Result r = CliRunner.run("train", "--help");

        assertEquals(0, r.exitCode());
        for (String option : new String[] {"--data", "--time", "--event", "--features", "--loss", "--ties", "--batch",
            "--steps", "--rate", "--epochs", "--no-momentum", "--dropout", "--seed", "--out", "--compare", "--horizon",
            "--importance-repeats", "--help"}) {
            assertTrue(r.out().contains(option), option);
        }
    }

    /** 0.1 printed the usage on stdout and exited 0, so a script calling it without a command went on. */
    @Test
    void noCommandIsAUsageErrorWithTheUsageOnStderr() {
        CliRunner.Result r = CliRunner.run();

        assertEquals(Survival4jCli.USAGE_ERROR, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("survival4j: missing a command: train or predict"), r.err());
        assertTrue(r.err().contains("Usage: survival4j"), r.err());
        assertTrue(r.err().contains("Commands:"), r.err());
    }

    @Test
    void theDescriptionNamesEveryLoss() {
        CliRunner.Result r = CliRunner.run("--help");

        assertEquals(0, r.exitCode());
        // 0.1 named Cox and Weibull only; --loss takes cox, weibull and grid
        assertTrue(r.out().replaceAll("\\s+", " ").contains("Cox, Weibull or grid-hazard network"), r.out());
    }

    /** {@code train} on 60 rows (t = 1..60, every second row an event, two Gaussian covariates). */
    private CliRunner.Result trainOnSixtyRows(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--data", sixtyRows().toString(), "--time", "t",
                "--event", "e", "--out", dir.resolve("out").toString()));
        args.addAll(List.of(options));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private Path sixtyRows() throws IOException {
        StringBuilder csv = new StringBuilder("t,e,x,y\n");
        Random rng = new Random(1);
        for (int i = 0; i < 60; i++) {
            csv.append(i + 1).append(',').append(i % 2).append(',').append(rng.nextGaussian()).append(',')
                    .append(rng.nextGaussian()).append('\n');
        }
        return write(csv.toString());
    }

    /** 0.1 checked the training part first: one NA was reported per run, under the part's name. */
    @Test
    void everyProblemOfTheFileIsReportedAtOnceWithFileRows() throws IOException {
        StringBuilder csv = new StringBuilder("t,e,x\n");
        for (int i = 1; i <= 40; i++) {
            csv.append(i).append(',').append(i % 2).append(',').append(i % 4 == 0 ? "NA" : "0.5").append('\n');
        }
        CliRunner.Result r = CliRunner.run("train", "--data", write(csv.toString()).toString(), "--time", "t",
                "--event", "e", "--out", dir.resolve("out").toString());
        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        // ten NAs: with a quarter of the rows held out, some are in each part
        assertOneLineError(r, "data.csv: missing values (empty or NA): 'x' 10 values (rows 4, 8, 12");
    }

    @Test
    void aValidationPartThatLeavesTooFewTrainingRowsIsRefused() throws IOException {
        CliRunner.Result r = trainOnSixtyRows("--validation", "0.99");
        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        // 0.1 said the file had no events (0.999), or trained on one row and exited 0 (0.99)
        assertOneLineError(r, "--validation 0.99 leaves 0 training rows with 0 events of the 45 in data.csv");
    }

    @Test
    void aDivergingTrainingSaysSoAndWhatToTry() throws IOException {
        CliRunner.Result r = trainOnSixtyRows("--learning-rate", "1e6", "--epochs", "5");
        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertTrue(r.err().contains("survival4j: training diverged in epoch "), r.err()); // 0.1: the loss's message
        assertTrue(r.err().contains("try a smaller --learning-rate"), r.err());
    }

    /**
     * A worker of DL4J's ParallelWrapper that fails has its stack trace printed by DL4J (45 to 58
     * lines in 0.2): with and without momentum the CLI says it in one line, with the worker's cause.
     */
    @Test
    void aDivergingDataParallelTrainingSaysSoInOneLine() throws IOException {
        for (String momentum : new String[] {"--steps=2", "--no-momentum"}) {
            CliRunner.Result r = trainOnSixtyRows("--workers", "2", "--learning-rate", "1e6", "--epochs", "5",
                    momentum);
            assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
            assertOneLineError(r, "survival4j: training diverged in epoch ");
            assertTrue(r.err().contains("try a smaller --learning-rate"), r.err());
            // the worker's own error, not the other workers' "another worker failed" that wraps it
            assertTrue(r.err().contains("Cause: ") && !r.err().contains("another worker"), r.err());
        }
    }

    /**
     * With dropout each micro-batch of a virtual batch draws its own masks, so the step is not
     * exactly that of one large batch: the CLI warns, and only then.
     */
    @Test
    void aVirtualBatchWithDropoutIsWarnedAbout() throws IOException {
        CliRunner.Result r = trainOnSixtyRows("--virtual-batch", "32", "--dropout", "0.2", "--epochs", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: --virtual-batch with --dropout: each micro-batch draws its own"
                + " dropout masks"), r.err());

        CliRunner.Result withoutDropout = trainOnSixtyRows("--virtual-batch", "32", "--epochs", "1");
        assertEquals(0, withoutDropout.exitCode(), withoutDropout.err());
        assertFalse(withoutDropout.err().contains("warning"), withoutDropout.err());
    }

    @Test
    void aFileThatIsNotUtf8IsNamedWithItsLine() throws IOException {
        Path csv = dir.resolve("latin1.csv");
        Files.write(csv, "t,e,x\n1,1,0.5\n2,0,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        CliRunner.Result r = CliRunner.run("train", "--data", csv.toString(), "--time", "t", "--event", "e");
        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        // 0.1: "Input length = 1"
        assertOneLineError(r, "latin1.csv is not UTF-8 text: line 3 holds bytes that are not UTF-8");
    }

    private Path write(String content) throws IOException {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, content);
        return csv;
    }

    private static void assertOneLineError(CliRunner.Result r, String message) {
        String err = r.err().strip();
        assertTrue(err.startsWith("survival4j: "), err);
        assertTrue(err.contains(message), err);
        assertFalse(err.contains("\n"), "more than one line: " + err);
        assertFalse(err.contains("Exception"), err);
    }
}
