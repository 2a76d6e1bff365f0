package org.survival4j.examples.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.SmokeBudget;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.examples.train.Trainer;
import org.survival4j.examples.train.TrainingDivergedException;
import org.survival4j.examples.train.TrainingSettings;

/**
 * The batch-size study of issue 7: trains every arm ({@link StudyArm#standard()}) on every dataset
 * with several seeds, scores each run on the test set, and writes the results
 * ({@link StudyReport}).
 *
 * <pre>
 * mvn -B -q -DskipTests -Pstudy package -pl examples -am                        # full study
 * mvn -B -q -DskipTests -Pstudy package -pl examples -am -Dstudy.args=--smoke   # a few seconds
 * </pre>
 *
 * <p>Options: {@code --smoke} (one seed, one epoch, small subsets: checks the pipeline, not the
 * models; also with {@link SmokeBudget#VARIABLE} set, which also caps {@code --epochs} and
 * {@code --equal-steps}), {@code --tiny} (the tiny-batch arms {@link StudyArm#tiny()} instead of the standard
 * ones), {@code --out DIR} (default {@code target/study}), {@code --seeds N} (default 5),
 * {@code --arms PREFIX,...} (only arms whose name starts with one of the prefixes), {@code --epochs N}
 * (the same number of epochs on every dataset, e.g. to time a pilot), {@code --equal-steps N}
 * (about N optimizer steps for every arm, the full batch included, at the mini-batch learning
 * rate: see {@link StudyPlan}), {@code --datasets PREFIX,...}
 * (only datasets whose lower-case name starts with one of the prefixes), {@code --summarize DIR,...}
 * (train nothing: merge the {@code runs.csv} of earlier runs in these directories and write the
 * summary, tables and plot of the union to {@code --out}).
 */
public final class BatchSizeStudy {
    /** Seeds of the full study. */
    public static final int SEEDS = 5;
    /** Epochs of the mini-batch arms on each dataset (chosen so that the study takes under an hour here). */
    public static final int EPOCHS_GBSG = 10;
    public static final int EPOCHS_FLCHAIN = 3;
    public static final int EPOCHS_SYNTHETIC = 4;
    public static final int EPOCHS_RARE = 10;
    /** The synthetic task's size. */
    public static final int SYNTHETIC_TRAIN = 1000;
    public static final int SYNTHETIC_TEST = 1000;
    /** The rare-event task's size and covariates: a large test set, so that it holds ~570 events. */
    public static final int RARE_TRAIN = 4000;
    public static final int RARE_TEST = 10000;
    public static final int RARE_FEATURES = 20;
    /** Adam's rate for mini-batches, and the full-batch arm's steps and rate. */
    public static final double LEARNING_RATE = 1e-3;
    public static final int FULL_BATCH_STEPS = 300;
    public static final double FULL_BATCH_LEARNING_RATE = 1e-2;

    private BatchSizeStudy() {
    }

    public static void main(String[] args) {
        Trainer.useOneThread();
        boolean smoke = false;
        boolean tiny = false;
        Path out = Path.of("target", "study");
        int seeds = SEEDS;
        int epochs = 0;
        int equalSteps = 0;
        List<String> datasetPrefixes = new ArrayList<>();
        List<Path> summarize = new ArrayList<>();
        List<String> armPrefixes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--tiny" -> tiny = true;
                case "--out" -> out = Path.of(value(args, ++i));
                case "--seeds" -> seeds = Integer.parseInt(value(args, ++i));
                case "--arms" -> armPrefixes.addAll(List.of(value(args, ++i).split(",")));
                case "--epochs" -> epochs = Integer.parseInt(value(args, ++i));
                case "--equal-steps" -> equalSteps = Integer.parseInt(value(args, ++i));
                case "--datasets" -> datasetPrefixes.addAll(List.of(value(args, ++i).toLowerCase(Locale.ROOT).split(",")));
                case "--summarize" -> List.of(value(args, ++i).split(",")).forEach(d -> summarize.add(Path.of(d)));
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; options: --smoke, --tiny, --out DIR, --seeds N, --arms PREFIX,..., --epochs N, "
                        + "--equal-steps N, --datasets PREFIX,..., --summarize DIR,...");
            }
        }
        if (!summarize.isEmpty()) {
            List<RunResult> runs = new ArrayList<>();
            summarize.forEach(d -> runs.addAll(StudyReport.readRuns(d)));
            StudyReport.writeRuns(out, runs);
            summarizeRuns(runs, StudyArm.all(), out, "Test-set scores, mean ± sd over seeds, from "
                    + summarize + ".", System.out::println);
            return;
        }
        boolean budget = SmokeBudget.active();
        if (budget) {
            SmokeBudget.announce("the smoke plan (" + SMOKE_DESCRIPTION + ") with this command's selections, at most "
                    + SmokeBudget.EPOCHS + " epoch and " + SmokeBudget.OPTIMIZER_STEPS + " optimizer steps");
            epochs = Math.min(epochs, SmokeBudget.EPOCHS);
            equalSteps = Math.min(equalSteps, SmokeBudget.OPTIMIZER_STEPS);
        }
        StudyPlan plan = smoke || budget ? smokePlan() : fullPlan(seeds);
        if (tiny) {
            plan = plan.withArms(StudyArm.tiny());
        }
        if (!datasetPrefixes.isEmpty()) {
            plan = plan.withDatasets(plan.datasets().stream().filter(d -> datasetPrefixes.stream()
                    .anyMatch(p -> d.name().toLowerCase(Locale.ROOT).startsWith(p))).toList());
        }
        if (!armPrefixes.isEmpty()) {
            plan = plan.withArms(plan.arms().stream()
                    .filter(a -> armPrefixes.stream().anyMatch(p -> a.name().startsWith(p))).toList());
        }
        if (epochs > 0) {
            int e = epochs;
            plan = plan.withDatasets(plan.datasets().stream().map(d -> d.withEpochs(e)).toList());
        }
        plan = plan.withOptimizerSteps(equalSteps);
        run(plan, out, System.out::println);
    }

    /** The full study: all arms, {@code seeds} seeds, the four datasets at full size. */
    public static StudyPlan fullPlan(int seeds) {
        return new StudyPlan(List.of(StudyDataset.rotterdamGbsg(EPOCHS_GBSG), StudyDataset.flchain(EPOCHS_FLCHAIN),
                StudyDataset.synthetic(SYNTHETIC_TRAIN, SYNTHETIC_TEST, SyntheticTask.FEATURES, EPOCHS_SYNTHETIC),
                StudyDataset.rareEvents(RARE_TRAIN, RARE_TEST, RARE_FEATURES, EPOCHS_RARE)),
                StudyArm.standard(), seedList(seeds), LEARNING_RATE, FULL_BATCH_STEPS, FULL_BATCH_LEARNING_RATE);
    }

    private static final String SMOKE_DESCRIPTION = "one seed, one epoch, a few hundred rows per dataset";

    /** All arms, one seed, one epoch, a few hundred rows per dataset, 100 synthetic covariates. */
    public static StudyPlan smokePlan() {
        return new StudyPlan(List.of(StudyDataset.rotterdamGbsg(1).subset(160, 120),
                StudyDataset.flchain(1).subset(160, 120), StudyDataset.synthetic(160, 120, 100, 1),
                StudyDataset.rareEvents(300, 400, RARE_FEATURES, 1)),
                StudyArm.standard(), seedList(1), LEARNING_RATE, 5, FULL_BATCH_LEARNING_RATE);
    }

    /**
     * Runs the plan, writing {@code runs.csv} after every run and the summary, tables and plot at
     * the end.
     *
     * @return the summaries, one per dataset and arm
     */
    public static List<ArmSummary> run(StudyPlan plan, Path out, Consumer<String> log) {
        long start = System.nanoTime();
        log.accept(String.format(Locale.ROOT, "batch-size study: %d datasets x %d arms x %d seeds = %d runs -> %s",
                plan.datasets().size(), plan.arms().size(), plan.seeds().size(), plan.runs(), out.toAbsolutePath()));
        for (StudyDataset d : plan.datasets()) {
            log.accept(String.format(Locale.ROOT, "  %s: train n = %d (%d events), test n = %d (%d events), "
                    + "%d covariates, %s", d.name(), d.train().size(), d.train().events(), d.test().size(),
                    d.test().events(), d.train().columns().size(), plan.optimizerSteps() > 0
                            ? "about " + plan.optimizerSteps() + " optimizer steps for every arm"
                            : d.epochs() + " epochs"));
        }
        List<RunResult> runs = new ArrayList<>();
        for (StudyDataset dataset : plan.datasets()) {
            for (StudyArm arm : plan.arms()) {
                for (long seed : plan.seeds()) {
                    RunResult r = runOne(plan, dataset, arm, seed);
                    runs.add(r);
                    StudyReport.writeRuns(out, runs);
                    log.accept(String.format(Locale.ROOT, "  [%3d/%d %6.0f s] %-18s %-20s seed %d: Harrell %.4f, "
                            + "Uno %.4f, IBS %.4f, %.1f s", runs.size(), plan.runs(), (System.nanoTime() - start) / 1e9,
                            dataset.name(), arm.name(), seed, r.harrell(), r.uno(), r.integratedBrier(), r.seconds()));
                }
            }
        }
        return summarizeRuns(runs, plan.arms(), out, String.format(Locale.ROOT,
                "Test-set scores, mean ± sd over %d seed(s); total wall time %.0f s.", plan.seeds().size(),
                (System.nanoTime() - start) / 1e9), log);
    }

    /** Writes the summary, tables and plot of finished runs. */
    static List<ArmSummary> summarizeRuns(List<RunResult> runs, List<StudyArm> arms, Path out, String header,
                                          Consumer<String> log) {
        List<ArmSummary> summaries = ArmSummary.of(runs, arms);
        StudyReport.writeSummary(out, summaries, header);
        log.accept(StudyReport.markdown(summaries));
        log.accept(header);
        return summaries;
    }

    /** Trains and scores one run. */
    static RunResult runOne(StudyPlan plan, StudyDataset dataset, StudyArm arm, long seed) {
        TrainingSettings settings = plan.settings(dataset, arm, seed);
        long t0 = System.nanoTime();
        try {
            TrainedModel model = Trainer.train(dataset.train(), null, settings, p -> { });
            ModelEvaluation eval = ModelEvaluation.of(model.survivalModel(), dataset.test());
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new RunResult(dataset.name(), arm.name(), settings.batchSize(), seed, settings.epochs(),
                    eval.harrell().estimate(), eval.uno().estimate(), eval.integratedBrier(), seconds);
        } catch (TrainingDivergedException | SurvivalArgumentException e) {
            // A run that diverged (during training, or with outputs no longer finite at evaluation)
            // is recorded as failed, not dropped: its scores are NaN and the summaries count it as
            // "n/a". Other errors (bad data, a bug) stop the study.
            System.err.println("  run failed: " + dataset.name() + " " + arm.name() + " seed " + seed + ": "
                    + e.getMessage());
            return new RunResult(dataset.name(), arm.name(), settings.batchSize(), seed, settings.epochs(),
                    Double.NaN, Double.NaN, Double.NaN, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static List<Long> seedList(int n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
