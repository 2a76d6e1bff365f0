package org.survival4j.examples.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.examples.train.BreastCancerCohorts;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.ModelCalibration;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.ModelImportance;
import org.survival4j.examples.train.Outcome;
import org.survival4j.examples.train.Quantiles;
import org.survival4j.examples.train.SmokeBudget;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.examples.train.Trainer;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.explain.PermutationImportance;
import org.knowm.xchart.internal.chartpart.Chart;
import org.survival4j.loss.Ties;
import org.survival4j.model.SurvivalModel;
import org.survival4j.model.TrainingSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code survival4j train}: trains, evaluates on test data, and writes the model, metrics, predictions and plots. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Train a survival network and evaluate it on test data.",
            "Without --data: the classic external validation, trained on the Rotterdam tumour bank "
                    + "(nodes > 0, n = 1546) and tested on the GBSG trial (n = 686), both embedded."},
        footer = {"", "Writes to --out: model.zip (the survival model: network, baseline hazard, feature recipe, "
                + "training summary; read by 'survival4j predict'), metrics.json, predictions.csv, "
                + "training-curves.png, km-vs-predicted.png, risk-groups.png, calibration.png, importance.png."})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The fewest rows training may be left with after the validation part is held out. */
    static final int MIN_TRAINING_ROWS = 10;
    /** The model file in --out ({@link SurvivalModel#save}). */
    static final String MODEL_FILE = "model.zip";

    @Option(names = "--data", paramLabel = "FILE.csv", description = "Training data (CSV with a header row). "
            + "Default: the embedded Rotterdam -> GBSG validation.")
    Path data;
    @Option(names = "--time", paramLabel = "COL", description = "Column of observed times (with --data).")
    String timeColumn;
    @Option(names = "--event", paramLabel = "COL", description = "Column of event indicators, 1 = event, "
            + "0 = censored (with --data).")
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
    @Option(names = "--validation", paramLabel = "F", defaultValue = "0",
            description = "Share of the training data held out to monitor the C-index during training; "
                    + "0 monitors the test data instead, for display only (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--loss", paramLabel = "cox|weibull|grid", defaultValue = "cox",
            description = "Survival loss: Cox partial likelihood, Weibull, or log hazards on a time grid "
                    + "(default: ${DEFAULT-VALUE}).")
    LossKind loss;
    @Option(names = "--knots", paramLabel = "K", description = "Knots of the grid loss: 0 and quantiles of the "
            + "training event times (default: 8).")
    Integer knots;
    @Option(names = "--ties", paramLabel = "efron|breslow", defaultValue = "efron",
            description = "Tie method of the Cox loss (default: ${DEFAULT-VALUE}).")
    Ties ties;
    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: 16).")
    Integer batch;
    @Option(names = "--steps", paramLabel = "N", description = "Batches remembered by the momentum memory bank "
            + "(default: 10).")
    Integer steps;
    @Option(names = "--rate", paramLabel = "M", description = "EMA rate of the momentum target network, "
            + "in [0, 1] (default: 0.999).")
    Double rate;
    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default: 40).")
    Integer epochs;
    @Option(names = "--workers", paramLabel = "W", description = "Data-parallel workers (DL4J's ParallelWrapper), "
            + "each taking batches of --batch rows; with momentum a round of W batches trains as one batch of "
            + "W * batch rows and the bank remembers --steps rounds (default: 1, no wrapper).")
    Integer workers;
    @Option(names = "--virtual-batch", paramLabel = "N", description = "Rows per optimizer step, built from "
            + "micro-batches of --batch rows with the gradient cache: exactly the step of one batch of N rows at the "
            + "memory of --batch rows; a multiple of --batch; one worker only (default: 0, none).")
    Integer virtualBatch;
    @Option(names = "--no-momentum", description = "Plain mini-batch training instead of momentum.")
    boolean noMomentum;
    @Option(names = "--hidden", paramLabel = "N", split = ",", description = "Hidden layer sizes, "
            + "comma-separated; 0 for a linear model (default: 32).")
    List<Integer> hidden;
    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam learning rate (default: 0.001).")
    Double learningRate;
    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (default: 0.0001).")
    Double weightDecay;
    @Option(names = "--dropout", paramLabel = "P", description = "Probability of dropping a hidden unit during "
            + "training, in [0, 1) (default: 0, no dropout).")
    Double dropout;
    @Option(names = "--seed", paramLabel = "N", description = "Seed of initialisation, batch order and "
            + "splits (default: 1).")
    Long seed;
    @Option(names = "--compare", description = "Also train a plain mini-batch network (or a momentum one, with "
            + "--no-momentum) and a linear Cox model on the same data, and compare them in the table.")
    boolean compare;
    @Option(names = "--horizon", paramLabel = "T", description = "Time at which calibration (and the importance's "
            + "AUC and Brier score) is assessed on the test data. Default: the median of the distinct training event "
            + "times, the middle survival column of predictions.csv.")
    Double horizon;
    @Option(names = "--importance-repeats", paramLabel = "R", defaultValue = "" + ModelImportance.DEFAULT_REPEATS,
            description = "Permutations per feature for the permutation importance, at least 2; more give narrower "
                    + "intervals and take longer (default: ${DEFAULT-VALUE}).")
    int importanceRepeats;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "survival4j-out",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        TrainingSettings settings = settings();
        checkDiagnosticOptions();
        settings = settings.withEpochs(SmokeBudget.cap(settings.epochs(), SmokeBudget.EPOCHS, "epochs"));
        PrintStream stdout = System.out;
        long start = System.nanoTime();
        OutputFiles.prepareDirectory(out, "--out");
        Trainer.useOneThread();
        if (settings.virtualBatch() > 0 && settings.dropout() > 0 && !settings.hidden().isEmpty()) {
            System.err.println("warning: --virtual-batch with --dropout: each micro-batch draws its own dropout masks,"
                    + " so a step is not exactly the step of one batch of " + settings.virtualBatch() + " rows (it is"
                    + " without dropout)");
        }

        Split split = loadData(settings.seed());
        SurvivalData fitOn = split.train;
        SurvivalData monitor = split.test;
        String monitored = "test C";
        if (validationFraction > 0) {
            SurvivalData[] parts = split.train.split(validationFraction, settings.seed());
            fitOn = parts[0];
            if (fitOn.size() < MIN_TRAINING_ROWS || fitOn.events() == 0) {
                throw new InvalidInputException(String.format(Locale.ROOT, "--validation %s leaves %d training rows"
                        + " with %d events of the %d in %s: training needs at least %d rows with an event; use a"
                        + " smaller --validation", validationFraction, fitOn.size(), fitOn.events(),
                        split.train.size(), split.train.name(), MIN_TRAINING_ROWS));
            }
            monitor = ModelEvaluation.requireEvaluable(parts[1].withName("validation part of " + split.train.name()));
            monitored = "val C";
        }
        // standardized with the rows the network is fitted on, never with validation or test rows
        Standardization standardization = Standardization.fit(fitOn);
        for (String column : standardization.constantColumns(fitOn.columns())) {
            System.err.println("warning: column " + column + " is constant in the training rows: it is centred but not"
                    + " scaled, and the model cannot learn anything from it (drop it from the data)");
        }
        fitOn = standardization.apply(fitOn);
        monitor = standardization.apply(monitor);
        SurvivalData testData = standardization.apply(split.test);

        stdout.printf(Locale.ROOT, "survival4j train%n  train: %-24s n = %4d, events = %d%n", fitOn.name(),
                fitOn.size(), fitOn.events());
        if (validationFraction > 0) {
            stdout.printf(Locale.ROOT, "  valid: %-24s n = %4d, events = %d%n", "(held out of training)",
                    monitor.size(), monitor.events());
        }
        stdout.printf(Locale.ROOT, "  test:  %-24s n = %4d, events = %d%n", testData.name(), testData.size(),
                testData.events());
        stdout.println("  features: " + String.join(", ", fitOn.columns()) + " (standardized on the training data)");
        stdout.println("  model: " + Trainer.asTrained(fitOn, settings).describe());
        stdout.println();

        boolean interactive = System.console() != null;
        List<Run> runs = new ArrayList<>();
        String mainLabel = settings.momentum() ? "momentum" : "plain";
        TrainedModel main;
        try (EpochProgressBar bar = new EpochProgressBar(stdout, mainLabel, monitored, interactive)) {
            main = Trainer.train(fitOn, monitor, settings, bar);
        }
        runs.add(new Run(settings.label(), main));
        if (compare) {
            TrainingSettings other = settings.withMomentum(!settings.momentum());
            try (EpochProgressBar bar = new EpochProgressBar(stdout, other.momentum() ? "momentum" : "plain",
                    monitored, interactive)) {
                runs.add(new Run(other.label(), Trainer.train(fitOn, monitor, other, bar)));
            }
            stdout.println("linear    fitting a linear Cox model (full batch)");
            runs.add(new Run("linear Cox", Trainer.linearCox(fitOn, settings)));
        }

        List<ModelEvaluation> evaluations = new ArrayList<>();
        for (Run run : runs) {
            evaluations.add(ModelEvaluation.of(run.model.survivalModel(), testData));
        }
        stdout.println();
        Report.table(stdout, testData, runs.stream().map(Run::name).toList(), evaluations);

        // everything is computed before the first file is written
        SurvivalModel model = main.survivalModel().withRecipe(standardization.recipe(fitOn.recipe()))
                .withSummary(summary(split, fitOn, testData, main.settings(), standardization, evaluations.get(0)));
        double[] times = Report.defaultTimes(model);
        // calibration of every model at the horizon and the main model's feature importance, on the test rows
        double at = horizon != null ? horizon : Report.defaultHorizon(model);
        List<ModelCalibration> calibrations = runs.stream()
                .map(r -> ModelCalibration.of(r.model.survivalModel(), testData, at)).toList();
        Outcome<PermutationImportance> importance = ModelImportance.of(model, testData, at, importanceRepeats,
                settings.seed());
        CalibrationReport.print(stdout, testData, runs.stream().map(Run::name).toList(), calibrations, importance);
        Map<String, Object> metrics = Report.metrics(fitOn, testData, runs.stream().map(Run::name).toList(),
                runs.stream().map(r -> r.model.settings()).toList(), evaluations, calibrations, importance,
                (System.nanoTime() - start) / 1e9);
        String predictions = Report.predictions(model, testData, times, true);
        Map<String, Chart<?, ?>> charts = Plots.draw(main, testData,
                validationFraction > 0 ? "validation data" : "test data", calibrations.get(0), importance);

        OutputFiles.writeAll(out, dir -> {
            OutputFiles.write(dir.resolve(MODEL_FILE), model::save);
            OutputFiles.write(dir.resolve("metrics.json"), f -> Report.JSON.writeValue(f.toFile(), metrics));
            OutputFiles.write(dir.resolve("predictions.csv"), f -> Files.writeString(f, predictions));
            charts.forEach((name, chart) -> OutputFiles.write(dir.resolve(name), f -> Plots.save(chart, f)));
        });
        stdout.printf(Locale.ROOT, "%nwrote %s: %s, metrics.json, predictions.csv, %s (%.0f s)%n",
                out, MODEL_FILE, String.join(", ", charts.keySet()), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** The settings from the options, over {@link TrainingSettings#defaults()}. */
    TrainingSettings settings() {
        TrainingSettings s = TrainingSettings.defaults().withLoss(loss).withTies(ties).withMomentum(!noMomentum);
        try {
            if (batch != null) {
                s = s.withBatchSize(batch);
            }
            if (steps != null) {
                s = s.withSteps(steps);
            }
            if (rate != null) {
                s = s.withRate(rate);
            }
            if (epochs != null) {
                s = s.withEpochs(epochs);
            }
            if (hidden != null) {
                s = s.withHidden(hidden.equals(List.of(0)) ? List.of() : hidden);
            }
            if (learningRate != null) {
                s = s.withLearningRate(learningRate);
            }
            if (weightDecay != null) {
                s = s.withWeightDecay(weightDecay);
            }
            if (dropout != null) {
                s = s.withDropout(dropout);
            }
            if (seed != null) {
                s = s.withSeed(seed);
            }
            if (workers != null) {
                s = s.withWorkers(workers);
            }
            if (virtualBatch != null) {
                s = s.withVirtualBatch(virtualBatch);
            }
            if (knots != null) {
                if (loss != LossKind.GRID) {
                    throw new InvalidInputException("--knots is an option of the grid loss (--loss grid)");
                }
                s = s.withKnots(knots);
            }
        } catch (InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new ParameterException(spec.commandLine(), "--test-fraction must be in (0, 1), got "
                    + SurvivalArguments.format(testFraction));
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new ParameterException(spec.commandLine(), "--validation must be in [0, 1), got "
                    + SurvivalArguments.format(validationFraction));
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
        return s;
    }

    /** Checks --horizon and --importance-repeats before any work is done. */
    private void checkDiagnosticOptions() {
        ExplainCommand.checkHorizon(spec, horizon);
        if (importanceRepeats < 2) {
            throw new ParameterException(spec.commandLine(), "--importance-repeats must be >= 2 (for an interval), got "
                    + importanceRepeats);
        }
    }

    private record Split(SurvivalData train, SurvivalData test, String timeColumn, String eventColumn) {
    }

    /**
     * What the model file records of this run: the rows and events it was fitted on, the data and
     * settings as text, the constant covariates, and the main model's test metrics.
     */
    private TrainingSummary summary(Split split, SurvivalData fitOn, SurvivalData test, TrainingSettings settings,
                                    Standardization standardization, ModelEvaluation evaluation) {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("data", split.train.name());
        text.put("time", split.timeColumn);
        text.put("event", split.eventColumn);
        if (startColumn != null) {
            text.put("start", startColumn);
        }
        text.put("test", test.name());
        text.put("validation", Double.toString(validationFraction));
        Map<String, Object> fields = Report.JSON.convertValue(settings, new TypeReference<LinkedHashMap<String, Object>>() {
        });
        fields.forEach((name, value) -> text.put(name, String.valueOf(value)));
        text.put("description", settings.describe());
        text.putAll(standardization.summarySettings(fitOn.columns()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("test.harrell", evaluation.harrell().estimate());
        metrics.put("test.uno", evaluation.uno().estimate());
        metrics.put("test.integratedBrier", evaluation.integratedBrier());
        if (evaluation.meanAuc() != null) {
            metrics.put("test.meanAuc", evaluation.meanAuc().estimate());
        }
        return new TrainingSummary(fitOn.size(), fitOn.events(), text, metrics);
    }

    private record Run(String name, TrainedModel model) {
    }

    /**
     * The training and test data. With {@code --data}, one-hot levels are chosen from the
     * training rows only (after holding out the test part), so the test rows do not shape the
     * encoding; a test category not seen in training is an error.
     */
    private Split loadData(long splitSeed) {
        if (data == null) {
            return new Split(BreastCancerCohorts.rotterdamNodePositive(), BreastCancerCohorts.gbsg(), "rtime", "recur");
        }
        CsvTable trainTable = CsvTable.read(data);
        // The whole file first: its problems, all of them in file order with file rows, before any split
        SurvivalData.fromTable(trainTable, startColumn, timeColumn, eventColumn, features, note -> { });
        CsvTable testTable;
        if (test != null) {
            testTable = CsvTable.read(test);
        } else {
            CsvTable[] parts = trainTable.split(testFraction, splitSeed);
            trainTable = parts[0];
            testTable = parts[1];
        }
        SurvivalData train = SurvivalData.fromTable(trainTable, startColumn, timeColumn, eventColumn, features,
                note -> System.out.println("note: " + note));
        SurvivalData testData = SurvivalData.of(testTable, startColumn, timeColumn, eventColumn, train.recipe());
        return new Split(train, ModelEvaluation.requireEvaluable(testData), timeColumn, eventColumn);
    }
}
