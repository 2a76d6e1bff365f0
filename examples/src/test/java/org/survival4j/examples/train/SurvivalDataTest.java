package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.CoxPartialLikelihood;

/** Reading a user's CSV: bad rows, one-hot encoding, and encoding new data with a saved recipe. */
class SurvivalDataTest {
    @TempDir
    Path dir;

    @Test
    void textColumnsAreOneHotEncodedWithTheFirstSortedLevelAsReference() throws IOException {
        Path csv = write("time,event,arm,age\n5,1,b,60\n7,0,a,55\n9,1,c,70\n");
        List<String> notes = new ArrayList<>();

        SurvivalData data = SurvivalData.readCsv(csv, "time", "event", List.of(), notes::add);

        assertEquals(List.of("arm=b", "arm=c", "age"), data.columns());
        assertArrayEquals(new double[] {1, 0, 60}, data.x()[0]);
        assertArrayEquals(new double[] {0, 0, 55}, data.x()[1]);
        assertArrayEquals(new double[] {0, 1, 70}, data.x()[2]);
        assertEquals(List.of("column 'arm' is categorical (3 levels): one-hot encoded as arm=b, arm=c (reference 'a')"),
                notes);
        assertEquals(2, data.events());
    }

    @Test
    void newDataIsEncodedWithTheTrainingLevels() throws IOException {
        SurvivalData train = SurvivalData.readCsv(write("time,event,arm\n5,1,b\n7,0,a\n"), "time", "event",
                List.of(), n -> { });
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "time,event,arm\n3,1,a\n4,0,b\n");

        SurvivalData test = SurvivalData.of(CsvTable.read(other), "time", "event", train.recipe());

        assertArrayEquals(new double[][] {{0}, {1}}, test.x());
    }

    @Test
    void aCategoryNotSeenInTrainingIsAnError() throws IOException {
        SurvivalData train = SurvivalData.readCsv(write("time,event,arm\n5,1,b\n7,0,a\n"), "time", "event",
                List.of(), n -> { });
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "time,event,arm\n3,1,a\n4,0,z\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.of(CsvTable.read(other), "time", "event", train.recipe()));

        assertEquals("other.csv: 1 row cannot be encoded as in training (rows 2); the first: column 'arm' has 'z':"
                + " a category not seen in training (known: a, b)", e.getMessage());
    }

    @Test
    void missingValuesOfAllColumnsAreListedInOneMessage() throws IOException {
        Path csv = write("time,event,x,y\n5,1,,1\n7,NA,2,\n9,1,3,4\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(csv, "time", "event", List.of(), n -> { }));

        assertEquals("data.csv: missing values (empty or NA): 'event' 1 value (row 2); 'x' 1 value (row 1); "
                + "'y' 1 value (row 2); drop or impute them (when training, a column can also be left out of --features)", e.getMessage());
    }

    @Test
    void aHeaderWithoutDataRowsIsRejected() throws IOException {
        Path csv = write("time,event,x\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(csv, "time", "event", List.of(), n -> { }));

        assertEquals("data.csv has a header but no data rows", e.getMessage());
    }

    @Test
    void aHeaderWithoutDataRowsIsRejectedAlsoForPrediction() throws IOException {
        CsvTable empty = CsvTable.read(write("x\n"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.covariatesOnly(empty, FeatureEncoding.numeric(List.of("x"))));

        assertEquals("data.csv has a header but no data rows", e.getMessage());
    }

    @Test
    void aSplitTableNamesTheHeldOutPartAndKeepsTheFileRowNumbers() throws IOException {
        StringBuilder text = new StringBuilder("time,event,x\n");
        for (int row = 1; row <= 8; row++) {
            text.append(row).append(",1,").append(row == 8 ? "bad" : "1").append('\n');
        }
        CsvTable[] parts = CsvTable.read(write(text.toString())).split(0.5, 3);
        CsvTable withBadRow = List.of(parts[0].text("x")).contains("bad") ? parts[0] : parts[1];

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> withBadRow.numeric("x"));

        assertEquals("data.csv (held-out 50 %)", parts[1].name());
        assertEquals(4, parts[0].rows());
        assertTrue(e.getMessage().endsWith("in rows 8"), e.getMessage());
    }

    @Test
    void rowsWithMoreFieldsThanTheHeaderAreRejected() throws IOException {
        Path csv = write("time,event,x\n5,1,1.5\n7,0,1,5\n9,1,n/a\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(csv, "time", "event", List.of(), n -> { }));

        assertEquals("data.csv: data row 2 has 4 fields but the header has 3", e.getMessage());
    }

    @Test
    void nonNumericFeatureValuesAreReportedWithRows() throws IOException {
        Path csv = write("time,event,x\n5,1,1.5\n7,0,1.2\n9,1,n/a\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(csv, "time", "event", List.of(), n -> { }));

        assertEquals("data.csv: column 'x' mixes numbers and text: 1 values are not numbers (first: 'n/a'), in rows 3",
                e.getMessage());
    }

    @Test
    void nonNumericTimesAreReportedWithRows() throws IOException {
        Path csv = write("time,event,x\n5,1,1\nlate,0,2\n9,1,3\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(csv, "time", "event", List.of(), n -> { }));

        assertEquals("data.csv: column 'time' has 1 values that are not numbers (first: 'late'), in rows 2",
                e.getMessage());
    }

    @Test
    void negativeTimesAreRejected() throws IOException {
        Path csv = write("time,event,x\n5,1,1\n-2,0,2\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(csv, "time", "event", List.of(), n -> { }));

        assertEquals("data.csv: time column 'time' has 1 negative values, in rows 2", e.getMessage());
    }

    @Test
    void unknownFeatureColumnsAreNamed() throws IOException {
        Path csv = write("time,event,x\n5,1,1\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(csv, "time", "event", List.of("x", "z"), n -> { }));

        assertEquals("data.csv has no column 'z'; its columns are time, event, x", e.getMessage());
    }

    @Test
    void textColumnsWithTooManyLevelsAreRejected() throws IOException {
        StringBuilder csv = new StringBuilder("time,event,id\n");
        for (int i = 0; i <= FeatureEncoding.MAX_LEVELS; i++) {
            csv.append(i + 1).append(",1,p").append(i).append('\n');
        }
        Path file = write(csv.toString());

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(file, "time", "event", List.of(), n -> { }));

        assertTrue(e.getMessage().contains("column 'id' has 21 distinct text values, too many to one-hot encode"),
                e.getMessage());
    }

    @Test
    void theTimeColumnCannotBeAFeature() throws IOException {
        Path csv = write("time,event,x\n5,1,1\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SurvivalData.readCsv(csv, "time", "event", List.of("x", "time"), n -> { }));

        assertEquals("the features must not include the time, event or start column ('time')", e.getMessage());
    }

    @Test
    void splitKeepsEveryRowOnce() {
        SurvivalData gbsg = BreastCancerCohorts.gbsg();

        SurvivalData[] parts = gbsg.split(0.25, 7);

        assertEquals(172, parts[1].size());
        assertEquals(gbsg.size(), parts[0].size() + parts[1].size());
        assertEquals(gbsg.events(), parts[0].events() + parts[1].events());
    }

    private Path write(String content) throws IOException {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, content);
        return csv;
    }

    /**
     * Unix timestamps 50 s apart are ties in float32 labels (float's spacing there is 128 s): the
     * DL4J Cox loss saw 1.077 instead of 1.158 in 0.1. Ranks keep the double times' likelihood.
     */
    @Test
    void coxLabelsKeepDistinctTimesThatFloatWouldMerge() {
        double[] time = {1.7e9, 1.7e9 + 50, 1.7e9 + 100, 1.7e9 + 150, 1.7e9 + 200};
        double[] event = {1, 1, 0, 1, 1};
        double[][] x = {{0.3}, {-1.2}, {0.8}, {0.1}, {-0.4}};
        SurvivalData data = SurvivalData.of("timestamps", List.of("x"), x, time, event);
        INDArray logHz = Nd4j.createFromArray(0.3, -1.2, 0.8, 0.1, -0.4);
        double exact = CoxPartialLikelihood.efron().value(logHz, Nd4j.createFromArray(time),
                Nd4j.createFromArray(event));

        INDArray merged = data.labels(); // float: some of the five times become one
        INDArray ranked = data.withFloatSafeTimes().labels();
        double floatLoss = CoxPartialLikelihood.efron().value(logHz, merged.getColumn(0), merged.getColumn(1));
        double rankLoss = CoxPartialLikelihood.efron().value(logHz, ranked.getColumn(0), ranked.getColumn(1));

        assertTrue(Math.abs(floatLoss - exact) > 1e-3, floatLoss + " vs " + exact);
        assertEquals(exact, rankLoss, 1e-12);
        SurvivalData days = SurvivalData.of("days", List.of("x"), x, new double[] {1, 2, 3, 4, 5}, event);
        assertSame(days, days.withFloatSafeTimes(), "times float keeps apart stay as they are");
    }
}
