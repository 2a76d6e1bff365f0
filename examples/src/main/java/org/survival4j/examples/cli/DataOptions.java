package org.survival4j.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.examples.train.BreastCancerCohorts;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The data options of {@code train} and {@code tune} (a picocli mixin): the training file, its
 * label and feature columns, and the test data (a file, or a share of the training file).
 */
final class DataOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE.csv", description = "Training data (CSV with a header row). "
            + "Default: the embedded Rotterdam -> GBSG validation.")
    Path data;
    @Option(names = "--time", paramLabel = "COL", description = "Column of observed times (with --data).")
    String timeColumn;
    @Option(names = "--event", paramLabel = "COL", description = "Column of event codes (with --data): 1 = event,"
            + " 0 = censored; or, for competing risks, 1..K = the cause of the event (whole numbers; with K > 1 the"
            + " training is of competing risks, see --loss).")
    String eventColumn;
    @Option(names = "--start", paramLabel = "COL", description = "Column of entry times (with --data, Cox "
            + "loss): a row is at risk from start to --time, for delayed entry or time-varying covariates "
            + "(one row per stretch).")
    String startColumn;
    @Option(names = "--features", paramLabel = "COL", split = ",", description = "Covariate columns "
            + "(comma-separated). Default: all other columns. Text columns are one-hot encoded.")
    List<String> features = new ArrayList<>();
    @Option(names = "--test", paramLabel = "FILE.csv", description = "Test data with the same columns "
            + "(with --data). Default: hold out --test-fraction of --data.")
    Path test;
    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.25",
            description = "Share of --data held out for testing when --test is not given (default: ${DEFAULT-VALUE}).")
    double testFraction;

    /**
     * The training and test data, with the names of their label columns.
     *
     * @param causes the largest event code of the training file: 1, or K competing causes
     */
    record Split(SurvivalData train, SurvivalData test, String timeColumn, String eventColumn, int causes) {
    }

    /**
     * Checks the options against each other and the loss.
     *
     * @throws ParameterException naming what is wrong
     */
    void check(LossKind loss) {
        if (startColumn != null && loss.competingRisks()) {
            throw new ParameterException(spec.commandLine(), "--start is not available with the competing-risks losses"
                    + " yet: their models take rows at risk from time 0");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new ParameterException(spec.commandLine(), "--test-fraction must be in (0, 1), got "
                    + SurvivalArguments.format(testFraction));
        }
        if (data == null && (timeColumn != null || eventColumn != null || startColumn != null || !features.isEmpty()
                || test != null)) {
            throw new ParameterException(spec.commandLine(), "--time, --event, --start, --features and --test need"
                    + " --data");
        }
        if (startColumn != null && loss != LossKind.COX) {
            throw new ParameterException(spec.commandLine(), "--start needs the Cox loss (--loss cox): the Weibull and"
                    + " grid likelihoods here take rows at risk from time 0");
        }
        if (startColumn != null && (startColumn.equals(timeColumn) || startColumn.equals(eventColumn))) {
            throw new ParameterException(spec.commandLine(), "--start names column '" + startColumn + "', which is"
                    + " also --time or --event");
        }
        if (data != null && (timeColumn == null || eventColumn == null)) {
            throw new ParameterException(spec.commandLine(), "--data needs --time COL and --event COL");
        }
        if (timeColumn != null && timeColumn.equals(eventColumn)) {
            throw new ParameterException(spec.commandLine(), "--time and --event both name column '" + timeColumn
                    + "': times and events must be two columns");
        }
    }

    /**
     * The training and test data. With {@code --data}, one-hot levels are chosen from the
     * training rows only (after holding out the test part), so the test rows do not shape the
     * encoding; a test category not seen in training is an error.
     *
     * @param splitSeed seeds the held-out test part when there is no {@code --test}
     */
    Split load(long splitSeed) {
        Training training = loadTraining(splitSeed);
        return new Split(training.train(), loadTest(training), timeColumn(), eventColumn(), training.causes());
    }

    /**
     * The training data, and without {@code --test} the rows of {@code --data} held out for
     * testing, not yet encoded. The test file itself is not read: {@link #loadTest} reads it.
     */
    Training loadTraining(long splitSeed) {
        if (data == null) {
            return new Training(BreastCancerCohorts.rotterdamNodePositive(), null, 1);
        }
        CsvTable trainTable = CsvTable.read(data);
        // The whole file first: its problems, all of them in file order with file rows, before any split
        int causes = SurvivalData.largestCause(trainTable, eventColumn);
        SurvivalData.fromTable(trainTable, startColumn, timeColumn, eventColumn, features, causes, note -> { });
        CsvTable heldOut = null;
        if (test == null) {
            CsvTable[] parts = trainTable.split(testFraction, splitSeed);
            trainTable = parts[0];
            heldOut = parts[1];
        }
        SurvivalData train = SurvivalData.fromTable(trainTable, startColumn, timeColumn, eventColumn, features,
                causes, note -> System.out.println("note: " + note));
        return new Training(train, heldOut, causes);
    }

    /** The test data for {@code training}: the embedded GBSG, the held-out rows, or the {@code --test} file. */
    SurvivalData loadTest(Training training) {
        if (data == null) {
            return BreastCancerCohorts.gbsg();
        }
        CsvTable testTable = training.heldOut() != null ? training.heldOut() : CsvTable.read(test);
        SurvivalData testData = SurvivalData.of(testTable, startColumn, timeColumn, eventColumn,
                training.train().recipe(), training.causes());
        return ModelEvaluation.requireEvaluable(testData);
    }

    /** The time column's name ({@code rtime} for the embedded data). */
    String timeColumn() {
        return data == null ? "rtime" : timeColumn;
    }

    /** The event column's name ({@code recur} for the embedded data). */
    String eventColumn() {
        return data == null ? "recur" : eventColumn;
    }

    /**
     * The training rows, and the rows of {@code --data} held out for testing ({@code null} with
     * {@code --test} or the embedded data), and the largest event code of {@code --data} (1, or K
     * competing causes).
     */
    record Training(SurvivalData train, CsvTable heldOut, int causes) {
    }
}
