package org.survival4j.examples.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.dl4j.GradientCache;
import org.survival4j.dl4j.Momentum;
import org.survival4j.examples.study.RunResult;
import org.survival4j.examples.study.StudyArm;
import org.survival4j.examples.study.StudyReport;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.SmokeBudget;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.Trainer;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.metrics.BreslowBaseline;
import org.survival4j.momentum.MomentumConfig;

/**
 * The image study of issue 18: the CNN of {@link SurvivalFromImages} trained plainly at batch 2,
 * 4, 8, 32, 128 and 512, with momentum at batch 2, 4 and 8 (steps chosen so that a loss pools 64 or
 * 128 rows; EMA rate 0.99 or 0.999) and with the gradient cache of issue 21 (exact steps of 128
 * and 512 rows made of micro-batches of 2 and 8), on both {@link ImageSurvivalTask}s, under two budgets: equal
 * epochs (every arm sees each training image equally often: torchsurv's comparison) and equal
 * optimizer steps (every arm takes the same number of steps). Each run is scored on held-out
 * images (Harrell's C, Uno's C, integrated Brier score with a Breslow baseline fitted on the
 * training images) and its test log hazards are kept, so that momentum arms can be compared with
 * the plain arm of the same batch and seed ({@link ImageStudyComparisons}). A third "budget"
 * reproduces torchsurv's MNIST notebook comparison on the class-order task: plain batch 500 against
 * momentum at batch 50 with 10 steps (500 pooled rows, rate 0.999) for equal epochs (10 by default), plus plain
 * batch 50, which has the momentum arm's step count: the difference between the two plain arms is
 * what the extra steps alone give.
 *
 * <pre>
 * mvn -B -q -DskipTests -Pstudy-images package -pl examples -am                         # full study
 * mvn -B -q -DskipTests -Pstudy-images package -pl examples -am -Dstudy.args=--smoke    # under a minute
 * </pre>
 *
 * <p>Options: {@code --smoke} (embedded subset, 1 seed, a few arms, tiny budgets; with
 * {@link SmokeBudget#VARIABLE} set, the same data and budgets with the command's tasks, budgets
 * and arms),
 * {@code --out DIR} (default {@code target/study-images}), {@code --data-dir DIR} (the IDX files;
 * default {@link FashionMnist#INSTALLED}), {@code --seeds N}, {@code --train N} and
 * {@code --test N} (images used), {@code --epochs N}, {@code --steps N} (the two budgets),
 * {@code --tasks weibull,class_order}, {@code --budgets epochs,steps,torchsurv}, {@code --arms NAME,...}
 * (only these arms, e.g. {@code cox-b2,cox-b2-m32-0.99}),
 * {@code --summarize DIR,...} (merge the {@code runs.csv} and predictions of earlier runs and write
 * the summary of the union).
 */
public final class ImageStudy {
    /** Defaults of the full study, chosen so that it runs in about two hours on two cores. */
    public static final int SEEDS = 5;
    public static final int TRAIN_IMAGES = 3000;
    public static final int TEST_IMAGES = 2000;
    public static final int EPOCHS = 2;
    public static final int STEPS = 600;
    /** Epochs of torchsurv's comparison (its batch 500 takes only 6 steps an epoch on 3,000 images). */
    public static final int TORCHSURV_EPOCHS = 10;
    /** Directory of the saved test log hazards, one file per run. */
    static final String PREDICTIONS = "predictions";
    /** The smoke version's arms, and its arms of torchsurv's comparison (batch 10 and 100 for 50 and 500). */
    private static final List<StudyArm> SMOKE_ARMS = List.of(StudyArm.plain(LossKind.COX, 4),
            StudyArm.momentum(LossKind.COX, 4, 16, 0.99), StudyArm.gradientCache(LossKind.COX, 2, 4));
    private static final List<StudyArm> SMOKE_TORCHSURV_ARMS = List.of(StudyArm.plain(LossKind.COX, 100),
            StudyArm.plain(LossKind.COX, 10), StudyArm.momentum(LossKind.COX, 10, 10, 0.999));

    /** How long an arm trains. */
    enum Budget {
        /** Every arm trains for the same number of epochs. */
        EPOCHS,
        /** Every arm takes the same number of optimizer steps. */
        STEPS,
        /** torchsurv's notebook comparison (class-order task, equal epochs, batch 50 and 500). */
        TORCHSURV
    }

    /**
     * What one study invocation runs.
     *
     * @param trainImages training images (the first {@code n} of the training set)
     * @param testImages held-out images (the first {@code n} of the test set)
     * @param epochs the equal-epochs budget
     * @param steps the equal-steps budget
     * @param torchsurvEpochs the epochs of torchsurv's comparison
     */
    record Plan(FashionMnist data, int trainImages, int testImages, List<ImageSurvivalTask> tasks, List<Budget> budgets,
                List<Long> seeds, int epochs, int steps, int torchsurvEpochs, List<StudyArm> arms,
                List<StudyArm> torchsurvArms) {
        List<StudyArm> armsOf(Budget budget) {
            return budget == Budget.TORCHSURV ? torchsurvArms : arms;
        }

        List<ImageSurvivalTask> tasksOf(Budget budget) {
            return budget == Budget.TORCHSURV ? List.of(ImageSurvivalTask.CLASS_ORDER) : tasks;
        }

        /** The same plan with only the arms named. */
        Plan withArms(List<String> names) {
            return new Plan(data, trainImages, testImages, tasks, budgets, seeds, epochs, steps, torchsurvEpochs,
                    arms.stream().filter(a -> names.contains(a.name())).toList(),
                    torchsurvArms.stream().filter(a -> names.contains(a.name())).toList());
        }

        int runs() {
            return budgets.stream().mapToInt(b -> tasksOf(b).stream().filter(tasks::contains).toList().size()
                    * armsOf(b).size() * seeds.size()).sum();
        }
    }

    private ImageStudy() {
    }

    /**
     * The arms: plain Cox at batch 2, 4, 8, 32, 128; momentum at batch 2, 4, 8 with 64 and 128
     * pooled rows ({@code steps = rows / batch}) and rates 0.99 and 0.999; a control, momentum
     * at batch 2 with a bank of one batch (rate 0.99): its EMA target without the bank's wider risk
     * sets, to tell the two apart; and issue 21's arms: plain batch 512 and the gradient cache's
     * exact steps of 128 rows (micro-batches of 2 and 8) and of 512 rows (micro-batches of 8).
     */
    static List<StudyArm> arms() {
        List<StudyArm> arms = new ArrayList<>();
        for (int b : new int[] {2, 4, 8, 32, 128}) {
            arms.add(StudyArm.plain(LossKind.COX, b));
        }
        for (int b : new int[] {2, 4, 8}) {
            for (int rows : new int[] {64, 128}) {
                for (double rate : new double[] {0.99, 0.999}) {
                    arms.add(StudyArm.momentum(LossKind.COX, b, rows / b, rate));
                }
            }
        }
        arms.add(StudyArm.momentum(LossKind.COX, 2, 1, 0.99));
        arms.add(StudyArm.plain(LossKind.COX, 512));
        arms.add(StudyArm.gradientCache(LossKind.COX, 2, 128));
        arms.add(StudyArm.gradientCache(LossKind.COX, 8, 128));
        arms.add(StudyArm.gradientCache(LossKind.COX, 8, 512));
        return List.copyOf(arms);
    }

    /** torchsurv's notebook arms: plain batch 500, plain batch 50, momentum batch 50 x 10 steps, rate 0.999. */
    static List<StudyArm> torchsurvArms() {
        return List.of(StudyArm.plain(LossKind.COX, 500), StudyArm.plain(LossKind.COX, 50),
                StudyArm.momentum(LossKind.COX, 50, 10, 0.999));
    }

    public static void main(String[] args) throws IOException {
        Trainer.useOneThread();
        boolean smoke = false;
        Path out = Path.of("target", "study-images");
        Path dataDir = FashionMnist.INSTALLED;
        int seeds = SEEDS;
        int train = TRAIN_IMAGES;
        int test = TEST_IMAGES;
        int epochs = EPOCHS;
        int steps = STEPS;
        List<ImageSurvivalTask> tasks = List.of(ImageSurvivalTask.values());
        List<Budget> budgets = List.of(Budget.values());
        List<Path> summarize = new ArrayList<>();
        List<String> armNames = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--out" -> out = Path.of(value(args, ++i));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--seeds" -> seeds = positive(args, ++i);
                case "--train" -> train = positive(args, ++i);
                case "--test" -> test = positive(args, ++i);
                case "--epochs" -> epochs = positive(args, ++i);
                case "--steps" -> steps = positive(args, ++i);
                case "--tasks" -> tasks = Arrays.stream(value(args, ++i).split(","))
                        .map(t -> ImageSurvivalTask.valueOf(t.trim().toUpperCase(Locale.ROOT))).toList();
                case "--budgets" -> budgets = Arrays.stream(value(args, ++i).split(","))
                        .map(t -> Budget.valueOf(t.trim().toUpperCase(Locale.ROOT))).toList();
                case "--arms" -> armNames.addAll(List.of(value(args, ++i).split(",")));
                case "--summarize" -> Arrays.stream(value(args, ++i).split(","))
                        .forEach(d -> summarize.add(Path.of(d)));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; options: --smoke, "
                        + "--out DIR, --data-dir DIR, --seeds N, --train N, --test N, --epochs N, --steps N, "
                        + "--tasks weibull,class_order, --budgets epochs,steps,torchsurv, --arms NAME,..., "
                        + "--summarize DIR,...");
            }
        }
        if (!summarize.isEmpty()) {
            ImageStudyComparisons.summarize(summarize, out, System.out::println);
            return;
        }
        Plan plan;
        if (smoke) {
            plan = smokePlan();
        } else if (SmokeBudget.active()) {
            // this command's tasks, budgets and arms, at the smoke version's size
            SmokeBudget.announce("the smoke version's data (the embedded subset, one seed) with this command's "
                    + "selections, " + SmokeBudget.EPOCHS + " epoch / " + SmokeBudget.OPTIMIZER_STEPS + " steps");
            plan = armNames.isEmpty()
                    ? smokePlan(tasks, budgets, SMOKE_ARMS, SMOKE_TORCHSURV_ARMS, SmokeBudget.OPTIMIZER_STEPS)
                    : smokePlan(tasks, budgets, arms(), torchsurvArms(), SmokeBudget.OPTIMIZER_STEPS);
        } else {
            plan = new Plan(FashionMnist.read(dataDir), train, test, tasks, budgets, seedList(seeds), epochs, steps,
                    TORCHSURV_EPOCHS, arms(), torchsurvArms());
        }
        if (!armNames.isEmpty()) {
            plan = plan.withArms(armNames);
        }
        run(plan, out, System.out::println);
        ImageStudyComparisons.summarize(List.of(out), out, System.out::println);
    }

    /**
     * The smoke version: the embedded subset (600 training and 300 test images), one seed, one plain
     * and one momentum arm at batch 4 and the gradient cache's steps of 4 rows from micro-batches of 2,
     * one epoch / 40 steps, both tasks; the torchsurv arms at batch 10 and 100 instead of 50 and 500.
     */
    static Plan smokePlan() throws IOException {
        return smokePlan(List.of(ImageSurvivalTask.values()), List.of(Budget.values()), SMOKE_ARMS,
                SMOKE_TORCHSURV_ARMS, 40);
    }

    /** The smoke version's data, one seed and one epoch, with other tasks, budgets, arms and steps. */
    private static Plan smokePlan(List<ImageSurvivalTask> tasks, List<Budget> budgets, List<StudyArm> arms,
                                  List<StudyArm> torchsurvArms, int steps) throws IOException {
        return new Plan(FashionMnist.embedded(), 600, 300, tasks, budgets, seedList(1), 1, steps, 1, arms,
                torchsurvArms);
    }

    /** Runs the plan, appending to {@code runs.csv} and {@code predictions/} after every run. */
    static List<RunResult> run(Plan plan, Path out, Consumer<String> log) {
        long start = System.nanoTime();
        FashionMnist.Images trainImages = plan.data().train().first(plan.trainImages());
        FashionMnist.Images testImages = plan.data().test().first(plan.testImages());
        log.accept(String.format(Locale.ROOT, "image study: %d runs, %d training and %d test images, %d epochs / "
                + "%d steps -> %s", plan.runs(), trainImages.size(), testImages.size(), plan.epochs(), plan.steps(),
                out.toAbsolutePath()));
        List<RunResult> runs = new ArrayList<>();
        for (Budget budget : plan.budgets()) {
            for (ImageSurvivalTask task : plan.tasksOf(budget)) {
                if (!plan.tasks().contains(task)) {
                    continue;
                }
                ImageSurvivalTask.Labels trainLabels = task.labels(trainImages.classes(), 1);
                ImageSurvivalTask.Labels testLabels = task.labels(testImages.classes(), 2);
                String dataset = datasetName(task, budget, plan);
                for (StudyArm arm : plan.armsOf(budget)) {
                    for (long seed : plan.seeds()) {
                        RunResult r = runOne(dataset, arm, seed, budget, plan, trainImages, trainLabels, testImages,
                                testLabels, out);
                        runs.add(r);
                        StudyReport.writeRuns(out, runs);
                        log.accept(String.format(Locale.ROOT, "  [%3d/%d %6.0f s] %-28s %-20s seed %d: Harrell %.4f, "
                                + "Uno %.4f, IBS %.4f, %.1f s", runs.size(), plan.runs(),
                                (System.nanoTime() - start) / 1e9, dataset, arm.name(), seed, r.harrell(), r.uno(),
                                r.integratedBrier(), r.seconds()));
                    }
                }
            }
        }
        return runs;
    }

    /** The "dataset" column of the runs: task and budget, e.g. {@code weibull, 400 steps}. */
    static String datasetName(ImageSurvivalTask task, Budget budget, Plan plan) {
        String t = task.name().toLowerCase(Locale.ROOT);
        return switch (budget) {
            case EPOCHS -> t + " " + plan.epochs() + " epochs";
            case STEPS -> t + " " + plan.steps() + " steps";
            case TORCHSURV -> t + " torchsurv " + plan.torchsurvEpochs() + " epochs";
        };
    }

    /** Trains one arm, scores the network (the target network with momentum) on the test images. */
    static RunResult runOne(String dataset, StudyArm arm, long seed, Budget budget, Plan plan,
                            FashionMnist.Images trainImages, ImageSurvivalTask.Labels trainLabels,
                            FashionMnist.Images testImages, ImageSurvivalTask.Labels testLabels, Path out) {
        long t0 = System.nanoTime();
        int b = arm.batchSize();
        ComputationGraph net = SurvivalFromImages.cnn(seed);
        Momentum momentum = arm.momentum()
                ? Momentum.attach(net, MomentumConfig.builder().batchSize(b).steps(arm.steps()).rate(arm.rate())
                        .build())
                : null;
        GradientCache cache = arm.cached() ? GradientCache.attach(net, arm.microBatches()) : null;
        DataSet all = SurvivalFromImages.batches(trainImages, trainLabels, trainImages.size()).get(0);
        int k = arm.microBatches();
        int stepBudget = budget == Budget.STEPS ? plan.steps() : Integer.MAX_VALUE;
        int epochBudget = switch (budget) {
            case EPOCHS -> plan.epochs();
            case STEPS -> Integer.MAX_VALUE;
            case TORCHSURV -> plan.torchsurvEpochs();
        };
        int steps = 0;
        int epochs = 0;
        while (steps < stepBudget && epochs < epochBudget) {
            DataSet shuffled = all.copy();
            shuffled.shuffle(seed * 1_000 + epochs);
            List<DataSet> batches = shuffled.batchBy(b);
            // a step takes k batches (the cache's micro-batches); the last step of an epoch may take fewer
            List<DataSet> used = batches.subList(0, (int) Math.min(batches.size(), (long) (stepBudget - steps) * k));
            if (cache == null) {
                net.fit(new ListDataSetIterator<>(used, 1));
            } else {
                cache.fit(new ListDataSetIterator<>(used, 1));
            }
            steps += (used.size() + k - 1) / k;
            epochs++;
        }
        ComputationGraph scored = momentum == null ? net : momentum.target();
        double[] trainLogHz = logHazards(scored, trainImages);
        double[] testLogHz = logHazards(scored, testImages);
        // the class stands in for the covariates, which the evaluation does not read
        double[][] classes = Arrays.stream(testImages.classes()).mapToObj(c -> new double[] {c})
                .toArray(double[][]::new);
        SurvivalData test = SurvivalData.of("test images", List.of("class"), classes, testLabels.time(),
                testLabels.event());
        RunResult result;
        if (allFinite(trainLogHz) && allFinite(testLogHz)) {
            double[] grid = ModelEvaluation.timeGrid(test, ModelEvaluation.GRID_POINTS);
            BreslowBaseline baseline = BreslowBaseline.fit(Nd4j.createFromArray(trainLogHz),
                    Nd4j.createFromArray(trainLabels.time()), Nd4j.createFromArray(trainLabels.event()));
            ModelEvaluation eval = ModelEvaluation.of(testLogHz,
                    baseline.survival(Nd4j.createFromArray(testLogHz), grid), grid, test);
            result = new RunResult(dataset, arm.name(), b, seed, epochs, eval.harrell().estimate(),
                    eval.uno().estimate(), eval.integratedBrier(), (System.nanoTime() - t0) / 1e9);
        } else {
            System.err.println("  run diverged: " + dataset + " " + arm.name() + " seed " + seed);
            result = new RunResult(dataset, arm.name(), b, seed, epochs, Double.NaN, Double.NaN, Double.NaN,
                    (System.nanoTime() - t0) / 1e9);
        }
        ImageStudyComparisons.writePredictions(out, result, testLogHz, testLabels.time(), testLabels.event());
        return result;
    }

    static double[] logHazards(ComputationGraph net, FashionMnist.Images images) {
        INDArray out = net.outputSingle(Nd4j.createFromArray(images.pixels()));
        return out.castTo(DataType.DOUBLE).ravel().toDoubleVector();
    }

    private static boolean allFinite(double[] v) {
        return Arrays.stream(v).allMatch(Double::isFinite);
    }

    private static List<Long> seedList(int n) {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i) {
        int v = Integer.parseInt(value(args, i));
        if (v < 1) {
            throw new IllegalArgumentException(args[i - 1] + " must be >= 1, got " + v);
        }
        return v;
    }

    static void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
