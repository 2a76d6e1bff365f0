package org.survival4j.examples.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.dl4j.EarlyStopping;
import org.survival4j.examples.train.CrossValidation;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.SmokeBudget;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.StoppingRule;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.examples.train.TrainingDivergedException;
import org.survival4j.examples.train.Trainer;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.examples.tune.Trial;
import org.survival4j.examples.tune.TrialsTable;
import org.survival4j.examples.tune.Tuner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code survival4j tune}: chooses the network's settings by cross-validation on the training data
 * ({@link Tuner}), refits on all training rows, and then evaluates on the test data, which nothing
 * before the refit reads.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Choose the settings of a survival network by cross-validation on the training data "
                + "(random search with successive halving over the folds), refit on all training rows with the "
                + "chosen settings, and evaluate on the test data, which the choice never sees.",
            "Without --data: the embedded Rotterdam -> GBSG validation, as in 'train'."},
        footer = {"", "Writes to --out what 'train' writes (model.zip, metrics.json with the chosen model first, "
                + "predictions.csv, the plots) and trials.csv (every trial) and tuning-summary.txt (the chosen "
                + "settings, their cross-validation and the equivalent 'train' options)."})
final class TuneCommand implements Callable<Integer> {
    /** Permutations per feature of the selected model's importance in the report (as train's default). */
    private static final int IMPORTANCE_REPEATS = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Trials under the smoke budget ({@link SmokeBudget}). */
    private static final int SMOKE_TRIALS = 2;
    /** Trials when neither --trials nor --budget-minutes is given. */
    static final int DEFAULT_TRIALS = 30;
    /**
     * Seconds kept back at the end for evaluation and files, besides the refit's estimate and 2 % of
     * the budget (evaluation, plots and files took 5-10 s on a busy 2-core machine).
     */
    static final double RESERVE_SECONDS = 15;

    @CommandLine.Mixin
    DataOptions dataOptions;
    @Option(names = "--trials", paramLabel = "N", description = "The most configurations to try (default: "
            + DEFAULT_TRIALS + " without --budget-minutes, else no limit).")
    Integer trials;
    @Option(names = "--budget-minutes", paramLabel = "M", description = "Wall time of the whole command, refit and "
            + "files included; tuning ends early enough for them (default: none).")
    Double budgetMinutes;
    @Option(names = "--search", paramLabel = "halving|hyperband|random", defaultValue = "halving",
            description = "Successive halving over the folds (each configuration on one fold, the best third on all),"
                    + " Hyperband's brackets in turn, or random search (every configuration on every fold) "
                    + "(default: ${DEFAULT-VALUE}).")
    Tuner.Search search;
    @Option(names = "--cv", paramLabel = "K", description = "Folds of the cross-validation on the training data, "
            + "stratified by event (default: 3).")
    Integer folds;
    @Option(names = "--cv-repeats", paramLabel = "R", defaultValue = "1", description = "Repetitions of the folds "
            + "with new splits (default: ${DEFAULT-VALUE}).")
    int repeats;
    @Option(names = "--validation", paramLabel = "F", description = "Score every trial on one split instead: a share"
            + " F of the training rows held out (stratified by event); trials are then not halved (default: 0, "
            + "cross-validation).")
    double validation;
    @Option(names = "--eta", paramLabel = "E", defaultValue = "3", description = "Halving rate: the best 1/E of a "
            + "rung go on to E times as many folds (default: ${DEFAULT-VALUE}).")
    int eta;
    @CommandLine.Mixin
    StoppingOptions stoppingOptions;
    @Option(names = "--jobs", paramLabel = "J", description = "Trainings in parallel, one ND4J thread each "
            + "(default: the number of cores).")
    Integer jobs;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the folds, the "
            + "configurations, the networks and the held-out test part (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--compare", description = "Also fit a linear Cox model on the training rows and compare it "
            + "with the chosen network on the test data.")
    boolean compare;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "survival4j-tune",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Tuner.Plan plan = plan();
        PrintStream stdout = System.out;
        OutputFiles.prepareDirectory(out, "--out");
        if (dataOptions.test != null && !Files.isReadable(dataOptions.test)) {
            throw new InvalidInputException("no such file: " + dataOptions.test); // before minutes of tuning
        }
        Trainer.useOneThread();

        DataOptions.Training training = dataOptions.loadTraining(seed);
        if (training.causes() > 1) {
            throw new InvalidInputException("tune searches single-event models: event column '"
                    + dataOptions.eventColumn() + "' has " + training.causes() + " competing causes; train them with"
                    + " 'survival4j train --loss cause-specific|fine-gray|deephit' and fixed settings");
        }
        SurvivalData train = training.train();
        stdout.printf(Locale.ROOT, "survival4j tune%n  train: %-24s n = %4d, events = %d%n", train.name(), train.size(),
                train.events());
        stdout.println("  features: " + String.join(", ", train.columns()) + " (standardized on each fold's training"
                + " rows)");
        stdout.printf(Locale.ROOT, "  search: %s, %s, eta %d, early stopping in each fold: %s; %s; %d jobs; seed %d%n",
                plan.search().name().toLowerCase(Locale.ROOT), scoring(plan), plan.eta(), plan.stopping(), limits(plan),
                plan.jobs(), seed);
        if (dataOptions.startColumn != null) {
            stdout.println("  note: the folds split rows; with --start a subject's stretches may fall into different"
                    + " folds");
        }
        stdout.println("  the test data is read after the choice");
        stdout.println();

        Tuner.Result result;
        try (TrialProgressBar bar = new TrialProgressBar(stdout, plan.maxTrials(), System.console() != null)) {
            result = Tuner.run(train, plan, start, bar);
        }
        Trial chosen = result.chosen();
        stdout.println();
        stdout.printf(Locale.ROOT, "tuning ended after %.0f s: %s; %d trials%n", result.seconds(), result.ended(),
                result.trials().size());
        printBest(stdout, result.trials());

        // the refit on all training rows, with the folds' mean best epoch
        Standardization standardization = Standardization.fit(train);
        SurvivalData fitOn = standardization.apply(train);
        long refitStart = System.nanoTime();
        TrainedModel refit = null;
        for (Trial candidate : ranked(result)) {
            chosen = candidate;
            TrainingSettings candidateSettings = chosen.settings().withEpochs(chosen.summary().meanEpochs());
            stdout.printf(Locale.ROOT, "%nrefit of trial %d on all %d training rows for %d epochs (the folds' mean best"
                    + " epoch): %s%n", chosen.id(), fitOn.size(), candidateSettings.epochs(), candidateSettings.describe());
            try (EpochProgressBar bar = new EpochProgressBar(stdout, "refit", "", System.console() != null)) {
                refit = Trainer.train(fitOn, null, candidateSettings, bar);
                break;
            } catch (TrainingDivergedException e) {
                // the folds trained on fewer rows; on all of them this network may still diverge
                stdout.println("the refit diverged (" + e.getMessage() + "); refitting the next best trial");
            }
        }
        if (refit == null) {
            throw new TrainingDivergedException("every refit diverged: try a smaller --max-epochs or other data", null);
        }
        TrainingSettings settings = refit.settings();
        CrossValidation.Summary cv = chosen.summary();
        result = new Tuner.Result(result.trials(), chosen, result.ended(), result.seconds());
        double refitSeconds = (System.nanoTime() - refitStart) / 1e9;

        // only now is the test data read
        SurvivalData testData = standardization.apply(dataOptions.loadTest(training));
        List<RunOutputs.Run> runs = new ArrayList<>();
        runs.add(new RunOutputs.Run("tuned: " + settings.label(), refit));
        if (compare) {
            stdout.println("linear    fitting a linear Cox model (full batch)");
            runs.add(new RunOutputs.Run("linear Cox", Trainer.linearCox(fitOn, settings)));
        }
        String summary = summary(plan, result, settings, refitSeconds);
        stdout.println();
        stdout.print(summary);

        Map<String, String> summaryText = new LinkedHashMap<>();
        summaryText.put("data", train.name());
        summaryText.put("time", dataOptions.timeColumn());
        summaryText.put("event", dataOptions.eventColumn());
        if (dataOptions.startColumn != null) {
            summaryText.put("start", dataOptions.startColumn);
        }
        summaryText.put("test", testData.name());
        summaryText.put("tuning", String.format(Locale.ROOT, "%s over %d trials, trial %d chosen: Harrell's C %.4f (sd"
                        + " %.4f) over %s", plan.search().name().toLowerCase(Locale.ROOT), result.trials().size(),
                chosen.id(), cv.mean(), cv.sd(), folds(cv)));
        Map<String, Object> extraMetrics = Map.of("tuning", tuningMetrics(plan, result, settings, refitSeconds));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("trials.csv", TrialsTable.csv(result.trials()));
        files.put("tuning-summary.txt", summary);
        RunOutputs.write(stdout, out, new RunOutputs.Content(fitOn, testData, runs, standardization, summaryText,
                "", null, extraMetrics, files, null, IMPORTANCE_REPEATS, seed), start);
        return 0;
    }

    /** The trials at the most folds reached, best first: the choice, then those to refit if it diverges. */
    private static List<Trial> ranked(Tuner.Result result) {
        int most = result.chosen().folds().size();
        return result.trials().stream().filter(t -> t.folds().size() == most && t.score() > Double.NEGATIVE_INFINITY)
                .sorted(Comparator.comparingDouble(Trial::score).reversed().thenComparingInt(Trial::id)).limit(3)
                .toList();
    }

    /** The plan from the options. */
    Tuner.Plan plan() {
        if (trials != null && trials < 1) {
            throw new ParameterException(spec.commandLine(), "--trials must be >= 1, got " + trials);
        }
        if (budgetMinutes != null && !(budgetMinutes > 0 && Double.isFinite(budgetMinutes))) {
            throw new ParameterException(spec.commandLine(), "--budget-minutes must be > 0, got "
                    + SurvivalArguments.format(budgetMinutes));
        }
        if (folds != null && folds < 2) {
            throw new ParameterException(spec.commandLine(), "--cv must be >= 2 folds, got " + folds);
        }
        if (!(validation >= 0 && validation < 1)) {
            throw new ParameterException(spec.commandLine(), "--validation must be in [0, 1), got "
                    + SurvivalArguments.format(validation));
        }
        if (validation > 0 && folds != null) {
            throw new ParameterException(spec.commandLine(), "--validation and --cv are two ways of scoring trials:"
                    + " give one");
        }
        if (repeats < 1) {
            throw new ParameterException(spec.commandLine(), "--cv-repeats must be >= 1, got " + repeats);
        }
        if (eta < 2) {
            throw new ParameterException(spec.commandLine(), "--eta must be >= 2, got " + eta);
        }
        if (jobs != null && jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be >= 1, got " + jobs);
        }
        dataOptions.check(TrainingSettings.LossKind.COX);
        int maxTrials = trials != null ? trials : budgetMinutes == null ? DEFAULT_TRIALS : 0;
        double budget = budgetMinutes == null ? Double.POSITIVE_INFINITY : budgetMinutes * 60;
        double reserve = RESERVE_SECONDS + 0.02 * (budgetMinutes == null ? 0 : budget) + (compare ? 5 : 0);
        // the loss by default: the C at the loss's best epoch is a less optimistic fold score than the best C
        // over the epochs, and it chose better networks in the development runs (docs/published-benchmarks.md)
        StoppingRule stopping = stoppingOptions.rule(EarlyStopping.Criterion.VALIDATION_LOSS).underSmokeBudget();
        if (SmokeBudget.active() && maxTrials == 0) { // the docs check: a token search, whatever the budget
            SmokeBudget.announce(SMOKE_TRIALS + " trials instead of as many as the budget allows");
            maxTrials = SMOKE_TRIALS;
        } else {
            maxTrials = SmokeBudget.cap(maxTrials, SMOKE_TRIALS, "trials");
        }
        return new Tuner.Plan(search, folds == null ? 3 : folds, repeats, validation, eta, stopping, maxTrials, budget,
                reserve,
                jobs != null ? jobs : Runtime.getRuntime().availableProcessors(), seed);
    }

    /** E.g. {@code 3 folds}, or {@code 1 fold} (a validation split). */
    private static String folds(CrossValidation.Summary cv) {
        return cv.folds().size() + (cv.folds().size() == 1 ? " fold" : " folds");
    }

    /** How trials are scored, e.g. {@code 3 folds x 1 (stratified by event)}. */
    private static String scoring(Tuner.Plan plan) {
        return plan.validation() > 0 ? "a validation split of " + SurvivalArguments.format(plan.validation())
                + " (stratified by event)" : plan.folds() + " folds x " + plan.repeats() + " (stratified by event)";
    }

    private static String limits(Tuner.Plan plan) {
        String trials = plan.maxTrials() > 0 ? "at most " + plan.maxTrials() + " trials" : "";
        String time = Double.isInfinite(plan.budgetSeconds()) ? "" : String.format(Locale.ROOT, "%s%.1f minutes in all",
                trials.isEmpty() ? "" : " and ", plan.budgetSeconds() / 60);
        return trials + time;
    }

    /** The five best trials at the most folds reached. */
    private static void printBest(PrintStream stdout, List<Trial> trials) {
        int most = trials.stream().mapToInt(t -> t.folds().size()).max().orElse(0);
        stdout.printf(Locale.ROOT, "best trials on %d folds:%n", most);
        trials.stream().filter(t -> t.folds().size() == most && t.score() > Double.NEGATIVE_INFINITY)
                .sorted(Comparator.comparingDouble(Trial::score).reversed()).limit(5)
                .forEach(t -> stdout.printf(Locale.ROOT, "  trial %3d  C %.4f (sd %.4f)  %d epochs  %s%n", t.id(),
                        t.score(), t.summary().sd(), t.summary().meanEpochs(), t.settings().describe()));
    }

    /** {@code tuning-summary.txt}: how the search went and what it chose. */
    private String summary(Tuner.Plan plan, Tuner.Result result, TrainingSettings settings, double refitSeconds) {
        Trial chosen = result.chosen();
        CrossValidation.Summary cv = chosen.summary();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "survival4j tune: %s search, %s, eta %d, early stopping in each fold on its"
                        + " held-out rows (%s); %s; seed %d%n", plan.search().name().toLowerCase(Locale.ROOT),
                scoring(plan), plan.eta(), plan.stopping(), limits(plan), plan.seed()));
        long finished = result.trials().stream().filter(t -> t.status() == Trial.Status.FINISHED).count();
        s.append(String.format(Locale.ROOT, "trials: %d (%d on all folds); ended: %s; tuning took %.0f s%n",
                result.trials().size(), finished, result.ended(), result.seconds()));
        s.append(String.format(Locale.ROOT, "chosen: trial %d, Harrell's C %.4f (sd %.4f) over %s: %s, mean best epoch"
                        + " %d%n", chosen.id(), cv.mean(), cv.sd(), folds(cv),
                cv.folds().stream().map(f -> String.format(Locale.ROOT, "%.4f", f.concordance())).toList(),
                cv.meanEpochs()));
        s.append("settings: ").append(settings.describe()).append(System.lineSeparator());
        s.append(String.format(Locale.ROOT, "refit: all training rows, %d epochs, %.0f s%n", settings.epochs(),
                refitSeconds));
        s.append("as train options: ").append(String.join(" ", TrainArguments.of(settings)))
                .append(System.lineSeparator());
        return s.toString();
    }

    /** The tuning part of {@code metrics.json}. */
    private static Map<String, Object> tuningMetrics(Tuner.Plan plan, Tuner.Result result, TrainingSettings settings,
                                                     double refitSeconds) {
        CrossValidation.Summary cv = result.chosen().summary();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("search", plan.search().name().toLowerCase(Locale.ROOT));
        m.put("folds", plan.validation() > 0 ? null : plan.folds());
        m.put("repeats", plan.validation() > 0 ? null : plan.repeats());
        m.put("validation", plan.validation() > 0 ? plan.validation() : null);
        m.put("eta", plan.eta());
        m.put("earlyStopping", plan.stopping().toString());
        m.put("maxTrials", plan.maxTrials());
        m.put("budgetSeconds", Double.isInfinite(plan.budgetSeconds()) ? null : plan.budgetSeconds());
        m.put("trials", result.trials().size());
        m.put("ended", result.ended());
        m.put("tuningSeconds", result.seconds());
        m.put("chosenTrial", result.chosen().id());
        m.put("cvMeanHarrell", cv.mean());
        m.put("cvSdHarrell", cv.sd());
        m.put("cvFolds", cv.folds());
        m.put("refitEpochs", settings.epochs());
        m.put("refitSeconds", refitSeconds);
        m.put("settings", settings);
        m.put("trainArguments", String.join(" ", TrainArguments.of(settings)));
        return m;
    }
}
