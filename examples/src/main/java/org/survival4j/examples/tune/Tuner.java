package org.survival4j.examples.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.survival4j.examples.train.CrossValidation;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.StoppingRule;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainingDivergedException;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.selection.CrossValidationFolds;

/**
 * Chooses training settings by cross-validation on training data: configurations from the
 * {@link SearchSpace} are scored by the mean Harrell's C of their folds (each fold early-stopped on
 * its held-out rows, {@link CrossValidation}), with successive halving over the folds
 * ({@link Hyperband}), until the number of trials or the time budget is used up.
 *
 * <p>Brackets run one after the other; within a rung, the (trial, fold) trainings run in parallel
 * on {@code jobs} threads, each training one network with ND4J on one thread. Which trials go on
 * is decided when the whole rung is done, from results that do not depend on which thread trained
 * what: with a trial limit and no time budget a run is reproducible for its seed on any number of
 * cores. With a time budget, a training still running when tuning must end (the budget less the
 * estimated refit and a margin) is cancelled after its current epoch, its trial's rung is left
 * incomplete, and the choice is made among what was completed; what was completed is the same as
 * in a longer run with the same seed.
 *
 * <p>The choice: among the trials whose evaluation reached the most folds, the best mean C. Its
 * folds' mean best epoch is the number of epochs of the refit on all rows. With a validation split
 * instead of folds there is one "fold", and every bracket is random search.
 *
 * <p>What the parallel trainings share, and why that is safe: the training rows (read only: each
 * fold copies its rows and standardizes into new arrays), the folds (read only) and the deadline
 * (volatile). Each training builds its own network, loss and momentum state; ND4J's random
 * generator ({@code Nd4j.getRandom()}, seeded by each network's initialisation) and its workspaces
 * are per thread; the survival losses keep no static mutable state. Trials are created and updated
 * by the coordinating (calling) thread only.
 */
public final class Tuner {
    /** How configurations are scheduled. */
    public enum Search {
        /** Successive halving: every bracket is Hyperband's most exploratory one. */
        HALVING,
        /** Hyperband: brackets from the most exploratory to random search, in turn. */
        HYPERBAND,
        /** Random search: every configuration on every fold. */
        RANDOM
    }

    /**
     * A tuning run's plan.
     *
     * @param search the schedule
     * @param folds k of the k-fold cross-validation, {@code >= 2}
     * @param repeats repetitions of the folds, {@code >= 1}
     * @param validation a share of the rows to score every trial on instead of folds (one split,
     *                   stratified by event, {@link CrossValidation#holdOut}), or 0 for cross-validation
     * @param eta the halving rate, {@code >= 2}
     * @param stopping early stopping inside each fold
     * @param maxTrials the most configurations to try, or 0 for no limit
     * @param budgetSeconds the wall time of the whole command, or infinity
     * @param reserveSeconds time kept back at the end besides the refit's estimate (evaluation, files, margin)
     * @param jobs trainings in parallel, {@code >= 1}
     * @param seed seeds the folds, the configurations and the networks
     */
    public record Plan(Search search, int folds, int repeats, double validation, int eta, StoppingRule stopping,
                       int maxTrials, double budgetSeconds, double reserveSeconds, int jobs, long seed) {
        /** Validates the plan. */
        public Plan {
            if (search == null || stopping == null) {
                throw new InvalidInputException("a tuning plan needs a search and a stopping rule");
            }
            if (folds < 2 || repeats < 1 || eta < 2 || jobs < 1 || maxTrials < 0) {
                throw new InvalidInputException("tuning needs folds >= 2, repeats >= 1, eta >= 2, jobs >= 1 and"
                        + " trials >= 0, got " + folds + ", " + repeats + ", " + eta + ", " + jobs + ", " + maxTrials);
            }
            if (!(budgetSeconds > 0) || !(reserveSeconds >= 0)) {
                throw new InvalidInputException("the tuning budget must be > 0 seconds, got " + budgetSeconds);
            }
            if (!(validation >= 0 && validation < 1)) {
                throw new InvalidInputException("the validation share must be in [0, 1), got " + validation);
            }
            if (maxTrials == 0 && Double.isInfinite(budgetSeconds)) {
                throw new InvalidInputException("tuning needs a limit: a number of trials or a time budget");
            }
        }

        /** The folds of a full evaluation: {@code folds * repeats}, or 1 with a validation split. */
        public int fullFolds() {
            return validation > 0 ? 1 : folds * repeats;
        }
    }

    /**
     * Where tuning stands, after each training.
     *
     * @param trialsDone trials whose evaluation has ended (stopped, finished, diverged or cancelled)
     * @param trialsStarted trials started so far
     * @param best the best trial so far at the most folds reached, or {@code null}
     * @param elapsedSeconds since the command started
     * @param tuningSecondsLeft until tuning must end (infinite without a budget)
     */
    public record Progress(int trialsDone, int trialsStarted, Trial best, double elapsedSeconds,
                           double tuningSecondsLeft) {
    }

    /**
     * The outcome.
     *
     * @param trials every trial, in order
     * @param chosen the chosen trial
     * @param ended why tuning ended
     * @param seconds the wall time of tuning
     */
    public record Result(List<Trial> trials, Trial chosen, String ended, double seconds) {
    }

    private final SurvivalData data;
    private final Plan plan;
    private final long startNanos;
    private final List<CrossValidationFolds.Fold> folds;
    private final int foldTrainingRows;
    private final List<Trial> trials = new ArrayList<>();
    private volatile long tuningDeadline;
    private int trialsDone;

    private Tuner(SurvivalData data, Plan plan, long startNanos) {
        this.data = data;
        this.plan = plan;
        this.startNanos = startNanos;
        this.folds = plan.validation() > 0 ? List.of(CrossValidation.holdOut(data, plan.validation(), plan.seed()))
                : CrossValidation.folds(data, plan.folds(), plan.repeats(), plan.seed());
        this.foldTrainingRows = folds.get(0).train().length;
        this.tuningDeadline = deadline(null);
    }

    /**
     * Tunes on {@code data} (the training rows, not standardized: each fold standardizes its own).
     *
     * @param startNanos when the command started ({@link System#nanoTime}), from which the budget runs
     * @param progress called on the calling thread after each training
     * @throws InvalidInputException if no trial could be completed within the budget
     */
    public static Result run(SurvivalData data, Plan plan, long startNanos, Consumer<Progress> progress) {
        return new Tuner(data, plan, startNanos).run(progress);
    }

    private Result run(Consumer<Progress> progress) {
        ExecutorService pool = Executors.newFixedThreadPool(plan.jobs(), r -> {
            Thread t = new Thread(r, "survival4j-tune");
            t.setDaemon(true);
            return t;
        });
        String ended;
        try {
            ended = brackets(pool, progress);
        } finally {
            pool.shutdownNow();
        }
        Trial chosen = choose();
        if (chosen == null) {
            throw new InvalidInputException("tuning completed no trial (" + ended + "): give more --budget-minutes"
                    + " or fewer --folds");
        }
        return new Result(List.copyOf(trials), chosen, ended, seconds());
    }

    /** Runs brackets until a limit is reached; returns why it stopped. */
    private String brackets(ExecutorService pool, Consumer<Progress> progress) {
        int sMax = Hyperband.maxBracket(plan.fullFolds(), plan.eta());
        for (int b = 0; ; b++) {
            int s = switch (plan.search()) {
                case HALVING -> sMax;
                case RANDOM -> 0;
                case HYPERBAND -> sMax - b % (sMax + 1);
            };
            List<Hyperband.Rung> rungs = Hyperband.bracket(s, plan.fullFolds(), plan.eta());
            int n = rungs.get(0).configs();
            if (plan.maxTrials() > 0) {
                n = Math.min(n, plan.maxTrials() - trials.size());
                if (n == 0) {
                    return "all " + plan.maxTrials() + " trials done";
                }
            }
            List<Trial> alive = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Trial t = new Trial(trials.size() + 1, b + 1, settings(trials.size() + 1));
                trials.add(t);
                alive.add(t);
            }
            for (int i = 0; i < rungs.size(); i++) {
                boolean complete = rung(pool, alive, rungs.get(i).folds(), progress);
                alive.removeIf(t -> t.status() != Trial.Status.RUNNING);
                if (!complete) {
                    finish(alive, Trial.Status.CANCELLED, progress);
                    return "the time budget was used up";
                }
                if (i == rungs.size() - 1) {
                    finish(alive, Trial.Status.FINISHED, progress);
                } else {
                    alive.sort(Comparator.comparingDouble(Trial::score).reversed().thenComparingInt(Trial::id));
                    int keep = Math.max(1, (int) Math.floor(alive.size() / (double) plan.eta()));
                    finish(alive.subList(keep, alive.size()), Trial.Status.STOPPED, progress);
                    alive = new ArrayList<>(alive.subList(0, keep));
                }
            }
        }
    }

    /** Marks trials as ended. */
    private void finish(List<Trial> ended, Trial.Status status, Consumer<Progress> progress) {
        for (Trial t : ended) {
            t.status(status);
            trialsDone++;
        }
        progress.accept(progress());
    }

    /**
     * Scores every trial of {@code alive} on its folds up to {@code foldCount}, in parallel. A trial
     * that diverges on a fold is marked so. A trial's results are added when all its trainings of
     * the rung are done, so that a trial's folds are always those of a complete rung.
     *
     * @return false if the time budget cut the rung short
     */
    private boolean rung(ExecutorService pool, List<Trial> alive, int foldCount, Consumer<Progress> progress) {
        CompletionService<Outcome> done = new ExecutorCompletionService<>(pool);
        Map<Trial, Integer> expected = new HashMap<>();
        int submitted = 0;
        for (Trial t : alive) {
            long nanos = expectedNanos(t); // computed here: the pool's threads never read the trial list
            for (int f = t.folds().size(); f < foldCount; f++) {
                CrossValidationFolds.Fold fold = folds.get(f);
                done.submit(() -> train(t, fold, nanos));
                submitted++;
                expected.merge(t, 1, Integer::sum);
            }
        }
        Map<Trial, List<CrossValidation.FoldResult>> results = new HashMap<>();
        boolean complete = true;
        for (int i = 0; i < submitted; i++) {
            Outcome o = take(done);
            if (o.cancelled()) {
                complete = false;
            } else if (o.result() == null) {
                if (o.trial().status() == Trial.Status.RUNNING) {
                    o.trial().status(Trial.Status.DIVERGED);
                    trialsDone++;
                }
            } else {
                results.computeIfAbsent(o.trial(), k -> new ArrayList<>()).add(o.result());
            }
            progress.accept(progress());
        }
        results.forEach((t, r) -> {
            if (t.status() == Trial.Status.RUNNING && r.size() == expected.get(t)) {
                r.forEach(t::add);
            }
        });
        if (!complete) {
            // trials whose own trainings all finished keep their scores, at this rung's folds
            for (Trial t : alive) {
                if (t.status() == Trial.Status.RUNNING && t.folds().size() == foldCount) {
                    t.status(Trial.Status.STOPPED);
                    trialsDone++;
                }
            }
        }
        tuningDeadline = deadline(choose());
        return complete;
    }

    /** One fold's training, on a pool thread. */
    private Outcome train(Trial t, CrossValidationFolds.Fold fold, long expectedNanos) {
        if (System.nanoTime() + expectedNanos > tuningDeadline) {
            return new Outcome(t, null, true);
        }
        try {
            CrossValidation.FoldResult r = CrossValidation.evaluate(data, fold, t.settings(), plan.stopping(), p -> {
                if (System.nanoTime() > tuningDeadline) {
                    throw new Cancelled();
                }
            });
            return new Outcome(t, r, false);
        } catch (Cancelled e) {
            return new Outcome(t, null, true);
        } catch (TrainingDivergedException e) {
            return new Outcome(t, null, false);
        }
    }

    private static Outcome take(CompletionService<Outcome> done) {
        try {
            Future<Outcome> f = done.take();
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tuning was interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** A training's outcome: its fold result, or null if it diverged or was cancelled. */
    private record Outcome(Trial trial, CrossValidation.FoldResult result, boolean cancelled) {
    }

    /** Thrown from a training's epoch callback when tuning must end. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("tuning time is up", null, false, false);
        }
    }

    /** The settings of trial {@code id}: the portfolio first, then draws that depend only on the seed and the id. */
    private TrainingSettings settings(int id) {
        if (id <= SearchSpace.PORTFOLIO) {
            return SearchSpace.portfolio(id - 1, foldTrainingRows, plan.seed());
        }
        return SearchSpace.sample(SearchSpace.generator(plan.seed(), id), foldTrainingRows, plan.seed());
    }

    /** The best trial among those scored on the most folds (not diverged), or {@code null}. */
    Trial choose() {
        int most = trials.stream().filter(t -> t.score() > Double.NEGATIVE_INFINITY).mapToInt(t -> t.folds().size())
                .max().orElse(0);
        return trials.stream().filter(t -> t.folds().size() == most && t.score() > Double.NEGATIVE_INFINITY)
                .max(Comparator.comparingDouble(Trial::score).thenComparing(Comparator.comparingInt(Trial::id)
                        .reversed())).orElse(null);
    }

    /**
     * When tuning must end: the budget less the margin and the estimated refit of {@code best}
     * (its mean fold time, scaled to all rows and to the refit's epochs from the epochs its folds
     * trained, patience included).
     */
    private long deadline(Trial best) {
        if (Double.isInfinite(plan.budgetSeconds())) {
            return Long.MAX_VALUE;
        }
        double refit = 0;
        if (best != null) {
            double foldSeconds = best.seconds() / best.folds().size();
            double trained = best.folds().stream().mapToInt(CrossValidation.FoldResult::epochs).average().orElse(1)
                    + plan.stopping().patience();
            refit = foldSeconds * data.size() / foldTrainingRows * Math.min(1, best.summary().meanEpochs() / trained);
        }
        double end = plan.budgetSeconds() - plan.reserveSeconds() - refit;
        return startNanos + (long) (end * 1e9);
    }

    /** The expected time of one more fold of {@code t}: its own folds' mean, else the median first fold so far. */
    private long expectedNanos(Trial t) {
        if (!t.folds().isEmpty()) {
            return (long) (t.seconds() / t.folds().size() * 1e9);
        }
        double[] first = trials.stream().filter(x -> !x.folds().isEmpty())
                .mapToDouble(x -> x.folds().get(0).seconds()).sorted().toArray();
        return first.length == 0 ? 0 : (long) (first[first.length / 2] * 1e9);
    }

    private Progress progress() {
        long left = tuningDeadline == Long.MAX_VALUE ? Long.MAX_VALUE : tuningDeadline - System.nanoTime();
        return new Progress(trialsDone, trials.size(), choose(), seconds(),
                left == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : Math.max(0, left / 1e9));
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
