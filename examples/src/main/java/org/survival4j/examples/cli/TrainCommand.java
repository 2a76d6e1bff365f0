package org.survival4j.examples.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.dl4j.EarlyStopping;
import org.survival4j.examples.train.CrossValidation;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.ModelCalibration;
import org.survival4j.examples.train.LearningRateSchedule;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.ModelImportance;
import org.survival4j.examples.train.Outcome;
import org.survival4j.examples.train.Quantiles;
import org.survival4j.examples.train.SmokeBudget;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.StoppingRule;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.examples.train.Trainer;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.examples.train.TrainingSettings.ActivationKind;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.explain.PermutationImportance;
import org.knowm.xchart.internal.chartpart.Chart;
import org.survival4j.examples.train.TrainingSettings.OptimizerKind;
import org.survival4j.loss.Ties;
import org.survival4j.selection.CrossValidationFolds;
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
                + "training-curves.png, km-vs-predicted.png, risk-groups.png, calibration.png, importance.png; for "
                + "competing risks model.zip, metrics.json and predictions.csv per cause, training-curves.png and "
                + "cumulative-incidence.png."})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The fewest rows training may be left with after the validation part is held out. */
    static final int MIN_TRAINING_ROWS = 10;
    /** The model file in --out ({@link RunOutputs#MODEL_FILE}). */
    static final String MODEL_FILE = RunOutputs.MODEL_FILE;

    @CommandLine.Mixin
    DataOptions dataOptions;
    @Option(names = "--validation", paramLabel = "F", defaultValue = "0",
            description = "Share of the training data held out to monitor the C-index during training (and to stop"
                    + " early, with --early-stopping); 0 monitors the test data instead, for display only "
                    + "(default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--loss", paramLabel = "cox|weibull|grid|cause-specific|fine-gray|deephit",
            converter = LossOption.class,
            description = "Survival loss: Cox partial likelihood, Weibull, or log hazards on a time grid; for "
                    + "competing risks (--event codes 0..K), cause-specific Cox, Fine-Gray (--cause) or DeepHit "
                    + "(on the --knots grid) (default: cox, or cause-specific when --event has codes above 1).")
    LossKind loss;
    @Option(names = "--cause", paramLabel = "K", description = "The cause of interest of --loss fine-gray, one of "
            + "the --event codes 1..K (default: 1).")
    Integer cause;
    @Option(names = "--knots", paramLabel = "K", description = "Knots of the grid loss, and grid times of DeepHit: "
            + "0 and quantiles of the training event times (default: 8).")
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
    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default: 40; with "
            + "--early-stopping use --max-epochs).")
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
    @Option(names = "--activation", paramLabel = "relu|selu|tanh", description = "Activation of the hidden layers: "
            + "ReLU (He initialisation), SELU (LeCun-normal initialisation, alpha dropout) or tanh (Xavier) "
            + "(default: relu).")
    ActivationKind activation;
    @Option(names = "--dropout", paramLabel = "P", split = ",", description = "Probability of dropping a unit of a "
            + "hidden layer's output during training, in [0, 1): one value for every hidden layer, or one per "
            + "hidden layer, comma-separated (default: 0, no dropout).")
    List<Double> dropout;
    @Option(names = "--optimizer", paramLabel = "adam|nesterov", description = "Adam, or SGD with Nesterov "
            + "momentum (default: adam).")
    OptimizerKind optimizer;
    @Option(names = "--learning-rate", paramLabel = "LR", description = "The optimizer's initial learning rate "
            + "(default: 0.001).")
    Double learningRate;
    @Option(names = "--sgd-momentum", paramLabel = "M", description = "Momentum of SGD with Nesterov momentum "
            + "(--optimizer nesterov), in [0, 1) (default: 0.9).")
    Double sgdMomentum;
    @Option(names = "--lr-schedule", paramLabel = "none|inverse|exponential|step", description = "Learning-rate "
            + "decay over the epochs e: none; inverse lr / (1 + D e) (DeepSurv's); exponential lr D^e; step lr "
            + "D^floor(e / S) (default: none).")
    LearningRateSchedule.Kind schedule;
    @Option(names = "--lr-decay", paramLabel = "D", description = "D of --lr-schedule (default: 0.001 for inverse, "
            + "0.99 for exponential, 0.5 for step).")
    Double lrDecay;
    @Option(names = "--lr-step", paramLabel = "S", description = "Epochs per step of --lr-schedule step "
            + "(default: 20).")
    Integer lrStep;
    @Option(names = "--weight-decay", paramLabel = "W", description = "Decoupled weight decay: each step shrinks the "
            + "weights by learning rate x W x weight (default: 0.0001).")
    Double weightDecay;
    @Option(names = "--l2", paramLabel = "C", description = "L2 penalty C/2 x sum of squared weights added to the "
            + "loss, biases excluded (DeepSurv's L2_reg, for a loss per event); replaces the weight decay "
            + "(default: 0).")
    Double l2;
    @Option(names = "--seed", paramLabel = "N", description = "Seed of initialisation, batch order and "
            + "splits (default: 1).")
    Long seed;
    @Option(names = "--early-stopping", description = "Stop when the --validation score has not improved for "
            + "--patience epochs (at most --max-epochs) and keep the best epoch's model.")
    boolean earlyStopping;
    @CommandLine.Mixin
    StoppingOptions stoppingOptions;
    @Option(names = "--cv", paramLabel = "K", description = "Also cross-validate the settings on the training data "
            + "before training: K folds stratified by event, Harrell's C of each fold with mean and sd (with "
            + "--early-stopping each fold stops on its held-out rows) (default: 0, none).")
    int cvFolds;
    @Option(names = "--cv-repeats", paramLabel = "R", defaultValue = "1", description = "Repetitions of --cv with "
            + "new folds (default: ${DEFAULT-VALUE}).")
    int cvRepeats;
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
        StoppingRule stopping = stoppingRule();
        PrintStream stdout = System.out;
        long start = System.nanoTime();
        OutputFiles.prepareDirectory(out, "--out");
        Trainer.useOneThread();
        if (settings.virtualBatch() > 0 && settings.dropout().stream().anyMatch(d -> d > 0) && !settings.hidden().isEmpty()) {
            System.err.println("warning: --virtual-batch with --dropout: each micro-batch draws its own dropout masks,"
                    + " so a step is not exactly the step of one batch of " + settings.virtualBatch() + " rows (it is"
                    + " without dropout)");
        }

        DataOptions.Split split = dataOptions.load(settings.seed());
        settings = competingRisks(settings, split);
        boolean competing = settings.loss().competingRisks();
        Map<String, Object> extraMetrics = new LinkedHashMap<>();
        if (cvFolds > 0) {
            extraMetrics.put("crossValidation", crossValidate(stdout, split.train(), settings, stopping));
        }
        SurvivalData fitOn = split.train();
        SurvivalData monitor = split.test();
        // the C of the training curves: early stopping's for cause-specific Cox and DeepHit (EarlyStopping's Javadoc)
        String statistic = !competing ? "C" : stopping != null && settings.loss() != LossKind.FINE_GRAY
                ? "C mean of causes" : "C cause " + settings.cause();
        String monitored = "test " + statistic;
        if (validationFraction > 0) {
            SurvivalData[] parts = split.train().split(validationFraction, settings.seed());
            fitOn = parts[0];
            if (fitOn.size() < MIN_TRAINING_ROWS || fitOn.events() == 0) {
                throw new InvalidInputException(String.format(Locale.ROOT, "--validation %s leaves %d training rows"
                        + " with %d events of the %d in %s: training needs at least %d rows with an event; use a"
                        + " smaller --validation", validationFraction, fitOn.size(), fitOn.events(),
                        split.train().size(), split.train().name(), MIN_TRAINING_ROWS));
            }
            monitor = ModelEvaluation.requireEvaluable(parts[1].withName("validation part of " + split.train().name()));
            monitored = "val " + statistic;
        }
        // standardized with the rows the network is fitted on, never with validation or test rows
        Standardization standardization = Standardization.fit(fitOn);
        for (String column : standardization.constantColumns(fitOn.columns())) {
            System.err.println("warning: column " + column + " is constant in the training rows: it is centred but not"
                    + " scaled, and the model cannot learn anything from it (drop it from the data)");
        }
        fitOn = standardization.apply(fitOn);
        monitor = standardization.apply(monitor);
        SurvivalData testData = standardization.apply(split.test());

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
        if (stopping != null) {
            stdout.println("  early stopping: " + stopping + " on the validation rows");
        }
        stdout.println();

        List<RunOutputs.Run> runs = new ArrayList<>();
        runs.add(new RunOutputs.Run(settings.label(), train(stdout, fitOn, monitor, settings, stopping, monitored)));
        if (compare) {
            TrainingSettings other = settings.withMomentum(!settings.momentum());
            runs.add(new RunOutputs.Run(other.label(), train(stdout, fitOn, monitor, other, stopping, monitored)));
            String linear = !competing ? "linear Cox" : settings.loss() == LossKind.FINE_GRAY ? "linear Fine-Gray"
                    : "linear cause-specific Cox";
            stdout.println("linear    fitting a " + linear + " model (full batch)");
            runs.add(new RunOutputs.Run(linear, Trainer.linearCox(fitOn, settings)));
        }

        Map<String, String> summaryText = new LinkedHashMap<>();
        summaryText.put("data", split.train().name());
        summaryText.put("time", split.timeColumn());
        summaryText.put("event", split.eventColumn());
        if (dataOptions.startColumn != null) {
            summaryText.put("start", dataOptions.startColumn);
        }
        summaryText.put("test", testData.name());
        summaryText.put("validation", Double.toString(validationFraction));
        RunOutputs.Content content = new RunOutputs.Content(fitOn, testData, runs, standardization, summaryText,
                validationFraction > 0 ? "validation data" : "test data", stopping, extraMetrics, Map.of(), horizon,
                importanceRepeats, settings.seed());
        if (competing) {
            RunOutputs.writeCompeting(stdout, out, content, start);
        } else {
            RunOutputs.write(stdout, out, content, start);
        }
        return 0;
    }

    /**
     * The settings for the training file's event codes: with codes up to K > 1 (or a competing-risks
     * --loss) the loss is a competing-risks one (cause-specific Cox by default), and a note on
     * standard error says so; the single-event losses refuse such codes.
     *
     * @throws InvalidInputException naming the option or column and what to do
     */
    private TrainingSettings competingRisks(TrainingSettings settings, DataOptions.Split split) {
        int causes = split.causes();
        LossKind kind = loss != null ? loss : causes > 1 ? LossKind.CAUSE_SPECIFIC : LossKind.COX;
        String column = "event column '" + split.eventColumn() + "' of " + split.train().name();
        if (!kind.competingRisks()) {
            if (causes > 1) {
                throw new InvalidInputException("--loss " + kind.optionName() + " takes events 0/1, but " + column
                        + " has codes 0.." + causes + " (competing risks): use --loss cause-specific (the default for"
                        + " such codes), fine-gray or deephit, or recode the column to 0/1");
            }
            return settings;
        }
        int of = cause == null ? 1 : cause;
        if (of > causes) {
            throw new InvalidInputException("--cause " + of + ": " + column + " has causes 1.." + causes);
        }
        System.err.println("note: " + column + " has " + (causes == 1 ? "one cause, 1" : "causes 1.." + causes)
                + " (0 = censored): training a competing-risks model, --loss " + kind.optionName()
                + (kind == LossKind.FINE_GRAY ? " for cause " + of : "") + "; the report and predictions give the"
                + " cumulative incidence of each cause");
        return settings.withLoss(kind).withCauses(causes).withCause(of);
    }

    /** One run with its progress bar; with early stopping, a line says which epoch was kept and why. */
    private static TrainedModel train(PrintStream stdout, SurvivalData fitOn, SurvivalData monitor,
                                      TrainingSettings settings, StoppingRule stopping, String monitored) {
        boolean interactive = System.console() != null;
        String label = settings.momentum() ? "momentum" : "plain";
        TrainedModel model;
        try (EpochProgressBar bar = new EpochProgressBar(stdout, label, monitored, interactive)) {
            model = stopping == null ? Trainer.train(fitOn, monitor, settings, bar)
                    : Trainer.train(fitOn, monitor, settings, stopping, bar);
        }
        if (model.stopping() != null) {
            stdout.printf(Locale.ROOT, "%-9s early stopping kept epoch %d of %d (validation %s %.4f): %s%n", label,
                    model.stopping().bestEpoch(), model.stopping().epochs(), stopping.criterionName(),
                    model.stopping().bestScore(), model.stopping().reason());
        }
        return model;
    }

    /** Cross-validates the settings on the (raw) training rows, prints each fold and the mean, and returns them for metrics.json. */
    private Map<String, Object> crossValidate(PrintStream stdout, SurvivalData train, TrainingSettings settings,
                                              StoppingRule stopping) {
        List<CrossValidationFolds.Fold> folds = CrossValidation.folds(train, cvFolds, cvRepeats, settings.seed());
        stdout.printf(Locale.ROOT, "cross-validation on %s: %d folds x %d repeats, stratified by %s%s%n",
                train.name(), cvFolds, cvRepeats, settings.loss().competingRisks() ? "cause" : "event",
                stopping == null ? "" : "; each fold stops early on its held-out rows");
        String statistic = settings.loss().competingRisks() ? "C of cause " + settings.cause() : "Harrell's C";
        List<CrossValidation.FoldResult> results = new ArrayList<>();
        for (CrossValidationFolds.Fold fold : folds) {
            CrossValidation.FoldResult r = CrossValidation.evaluate(train, fold, settings, stopping, p -> { });
            results.add(r);
            stdout.printf(Locale.ROOT, "  repeat %d fold %d: %s %.4f (%d epochs, %.0f s)%n", r.repeat() + 1,
                    r.fold() + 1, statistic, r.concordance(), r.epochs(), r.seconds());
        }
        CrossValidation.Summary summary = new CrossValidation.Summary(results);
        stdout.printf(Locale.ROOT, "  mean %.4f, sd %.4f over %d folds; mean epochs %d%n%n", summary.mean(),
                summary.sd(), results.size(), summary.meanEpochs());
        Map<String, Object> cv = new LinkedHashMap<>();
        cv.put("folds", cvFolds);
        cv.put("repeats", cvRepeats);
        cv.put("earlyStoppingOnHeldOutFold", stopping != null);
        if (settings.loss().competingRisks()) { // Wolbers' cause-specific C, as the training curves
            cv.put("meanCauseSpecificC", summary.mean());
            cv.put("sdCauseSpecificC", summary.sd());
            cv.put("cause", settings.cause());
        } else {
            cv.put("meanHarrell", summary.mean());
            cv.put("sdHarrell", summary.sd());
        }
        cv.put("meanEpochs", summary.meanEpochs());
        cv.put("results", results);
        return cv;
    }

    /** The early-stopping rule, or {@code null} without {@code --early-stopping}. */
    StoppingRule stoppingRule() {
        if (!earlyStopping) {
            if (stoppingOptions.given()) {
                throw new ParameterException(spec.commandLine(), "--patience, --max-epochs and --stop-on need"
                        + " --early-stopping");
            }
            return null;
        }
        if (validationFraction == 0) {
            throw new ParameterException(spec.commandLine(), "--early-stopping needs --validation F: the share of the"
                    + " training rows to stop on (the test rows never choose anything)");
        }
        if (epochs != null) {
            throw new ParameterException(spec.commandLine(), "--early-stopping chooses the epochs: give --max-epochs"
                    + " instead of --epochs");
        }
        // Harrell's C by default: the criterion is what the progress bar and the training curves show
        return stoppingOptions.rule(EarlyStopping.Criterion.C_INDEX).underSmokeBudget();
    }

    /** The settings from the options, over {@link TrainingSettings#defaults()}. */
    TrainingSettings settings() {
        LossKind given = loss == null ? LossKind.COX : loss;
        TrainingSettings s = TrainingSettings.defaults().withLoss(given).withTies(ties).withMomentum(!noMomentum);
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
            if (activation != null) {
                s = s.withActivation(activation);
            }
            if (dropout != null) {
                s = s.withDropout(dropout);
            }
            if (optimizer != null) {
                s = s.withOptimizer(optimizer);
            }
            if (learningRate != null) {
                s = s.withLearningRate(learningRate);
            }
            if (sgdMomentum != null) {
                if (s.optimizer() != OptimizerKind.NESTEROV) {
                    throw new InvalidInputException("--sgd-momentum is an option of --optimizer nesterov");
                }
                s = s.withSgdMomentum(sgdMomentum);
            }
            s = s.withSchedule(schedule());
            if (weightDecay != null) {
                s = s.withWeightDecay(weightDecay);
            }
            if (l2 != null) {
                if (weightDecay != null && weightDecay > 0 && l2 > 0) {
                    throw new InvalidInputException("--l2 and --weight-decay do not go together (DL4J keeps only the"
                            + " last of them): give one");
                }
                s = s.withWeightDecay(l2 > 0 ? 0 : s.weightDecay()).withL2(l2);
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
                if (loss != LossKind.GRID && loss != LossKind.DEEPHIT) {
                    throw new InvalidInputException("--knots is an option of the grid loss (--loss grid) and of"
                            + " DeepHit (--loss deephit)");
                }
                s = s.withKnots(knots);
            }
            if (cause != null && (loss != LossKind.FINE_GRAY || cause < 1)) {
                throw new InvalidInputException(loss != LossKind.FINE_GRAY ? "--cause is an option of --loss fine-gray"
                        : "--cause must be a cause code >= 1, got " + cause);
            }
        } catch (InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new ParameterException(spec.commandLine(), "--validation must be in [0, 1), got "
                    + SurvivalArguments.format(validationFraction));
        }
        if (cvFolds < 0 || cvFolds == 1) {
            throw new ParameterException(spec.commandLine(), "--cv must be 0 (none) or >= 2 folds, got " + cvFolds);
        }
        if (cvRepeats < 1) {
            throw new ParameterException(spec.commandLine(), "--cv-repeats must be >= 1, got " + cvRepeats);
        }
        dataOptions.check(given);
        return s;
    }

    /** Reads --loss: its names with '-' ({@code cause-specific}, {@code fine-gray}), in any case. */
    static final class LossOption implements CommandLine.ITypeConverter<LossKind> {
        @Override
        public LossKind convert(String value) {
            try {
                return LossKind.ofOptionName(value);
            } catch (InvalidInputException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Checks --horizon and --importance-repeats before any work is done. */
    private void checkDiagnosticOptions() {
        ExplainCommand.checkHorizon(spec, horizon);
        if (importanceRepeats < 2) {
            throw new ParameterException(spec.commandLine(), "--importance-repeats must be >= 2 (for an interval), got "
                    + importanceRepeats);
        }
    }

    /** The learning-rate schedule from --lr-schedule, --lr-decay and --lr-step. */
    private LearningRateSchedule schedule() {
        LearningRateSchedule.Kind kind = schedule == null ? LearningRateSchedule.Kind.NONE : schedule;
        if ((lrDecay != null || lrStep != null) && kind == LearningRateSchedule.Kind.NONE) {
            throw new InvalidInputException("--lr-decay and --lr-step need --lr-schedule inverse, exponential or step");
        }
        if (lrStep != null && kind != LearningRateSchedule.Kind.STEP) {
            throw new InvalidInputException("--lr-step is an option of --lr-schedule step");
        }
        return switch (kind) {
            case NONE -> LearningRateSchedule.none();
            case INVERSE -> LearningRateSchedule.inverse(lrDecay == null ? 1e-3 : lrDecay);
            case EXPONENTIAL -> LearningRateSchedule.exponential(lrDecay == null ? 0.99 : lrDecay);
            case STEP -> LearningRateSchedule.step(lrDecay == null ? 0.5 : lrDecay, lrStep == null ? 20 : lrStep);
        };
    }
}
