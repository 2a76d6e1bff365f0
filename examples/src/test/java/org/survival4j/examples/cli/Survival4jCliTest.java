package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line's answers to bad options and bad input: one line on stderr, a non-zero exit, no trace. */
class Survival4jCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "train --batch 0                    | batch size must be >= 1, got 0",
        "train --rate 1.5                   | rate must be in [0, 1], got 1.5",
        "train --epochs x                   | Invalid value for option '--epochs': 'x' is not an int",
        "train --loss foo                   | expected one of [COX, WEIBULL] (case-insensitive) but was 'foo'",
        "train --ties exact                 | expected one of [EFRON, BRESLOW] (case-insensitive) but was 'exact'",
        "train --hidden 8,-1                | hidden layer sizes must be >= 1",
        "train --learning-rate 0            | learning rate must be > 0",
        "train --test-fraction 1            | --test-fraction must be in (0, 1), got 1.0",
        "train --validation -0.1            | --validation must be in [0, 1), got -0.1",
        "train --frobnicate                 | Unknown option: '--frobnicate'",
        "train --time t --event e           | --time, --event, --features and --test need --data",
        "train --data x.csv --time t        | --data needs --time COL and --event COL",
        "predict --data x.csv               | Missing required option: '--model=DIR'",
        "predict --model m --data x.csv --times 10,-1 | --times must be finite and >= 0, got -1.0",
        "predict --model m --data x.csv --time t      | --time and --event go together",
        "fly                                | Unmatched argument at index 0: 'fly'",
    })
    void badOptionsExitWithCode2AndOneLine(String args, String message) {
        CliRunner.Result r = CliRunner.run(args.trim().split("\\s+"));

        assertEquals(Survival4jCli.USAGE_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, message);
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
    void eventsOtherThanZeroOrOneAreRejected() throws IOException {
        Path csv = write("t,e,x\n1,2,0.5\n2,1,0.3\n3,1,0.1\n");

        CliRunner.Result r = CliRunner.run("train", "--data", csv.toString(), "--time", "t", "--event", "e");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "event column 'e' must be 0 (censored) or 1 (event)");
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
    void predictWithoutAModelSaysSo() {
        CliRunner.Result r = CliRunner.run("predict", "--model", dir.toString(), "--data", "x.csv");

        assertEquals(Survival4jCli.DATA_ERROR, r.exitCode(), r.err());
        assertOneLineError(r, "no model in " + dir);
    }

    @Test
    void helpListsTheOptionsAndExitsWith0() {
        CliRunner.Result r = CliRunner.run("train", "--help");

        assertEquals(0, r.exitCode());
        for (String option : new String[] {"--data", "--time", "--event", "--features", "--loss", "--ties", "--batch",
            "--steps", "--rate", "--epochs", "--no-momentum", "--seed", "--out", "--compare", "--help"}) {
            assertTrue(r.out().contains(option), option);
        }
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
