package org.survival4j.examples.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.survival4j.selection.CrossValidationFolds;

/**
 * Cross-validation of training settings on training data: the rows are cut into {@code k} folds
 * stratified by event ({@link CrossValidationFolds}), repeated with seeds; for each fold a network
 * is trained on the other folds (standardized on those rows alone) and scored by Harrell's C on
 * the fold (for competing risks, stratified by cause: the cause-specific C of the cause of
 * interest).
 *
 * <p>With a {@link StoppingRule}, the held-out fold also chooses the epoch (early stopping on it),
 * as in pycox's benchmarks (Kvamme, Borgan and Scheel 2019): every row is used for training or
 * scoring, at the price of a slightly optimistic C (the best of the epochs seen). The folds' mean
 * best epoch is what a refit on all rows then trains for.
 *
 * <pre>{@code
 * var folds = CrossValidation.folds(train, 5, 1, 1L);
 * var results = folds.stream().map(f -> CrossValidation.evaluate(train, f, settings, rule, p -> { })).toList();
 * CrossValidation.Summary s = new CrossValidation.Summary(results);   // s.mean(), s.sd(), s.meanEpochs()
 * }</pre>
 */
public final class CrossValidation {
    private CrossValidation() {
    }

    /**
     * One fold's outcome.
     *
     * @param repeat the repetition (0-based)
     * @param fold the fold (0-based)
     * @param concordance Harrell's C on the held-out rows; for competing risks Wolbers'
     *     cause-specific C of the cause of interest (NaN if the fold has no event of it), as the
     *     training curves show it
     * @param epochs the epochs the model trained (the best epoch with early stopping)
     * @param seconds wall time of the fold
     */
    public record FoldResult(int repeat, int fold, double concordance, int epochs, double seconds) {
    }

    /**
     * Fold results with their mean and sample standard deviation.
     *
     * @param folds at least one
     */
    public record Summary(List<FoldResult> folds) {
        /** Copies the folds. */
        public Summary {
            folds = List.copyOf(folds);
            if (folds.isEmpty()) {
                throw new IllegalArgumentException("a cross-validation summary needs at least one fold");
            }
        }

        /** The mean C over the folds. */
        public double mean() {
            return folds.stream().mapToDouble(FoldResult::concordance).average().orElseThrow();
        }

        /** The sample standard deviation of the folds' C (0 for one fold). */
        public double sd() {
            double mean = mean();
            double ss = folds.stream().mapToDouble(f -> (f.concordance() - mean) * (f.concordance() - mean)).sum();
            return folds.size() < 2 ? 0 : Math.sqrt(ss / (folds.size() - 1));
        }

        /** The mean number of epochs trained, rounded, at least 1. */
        public int meanEpochs() {
            return Math.max(1, (int) Math.round(folds.stream().mapToInt(FoldResult::epochs).average().orElseThrow()));
        }
    }

    /**
     * {@code repeats} repetitions of {@code k} folds of {@code data}, stratified by event.
     *
     * @throws InvalidInputException if {@code k} is not from 2 to the number of rows, or there are
     *     fewer events than folds
     */
    public static List<CrossValidationFolds.Fold> folds(SurvivalData data, int k, int repeats, long seed) {
        try {
            return CrossValidationFolds.of(CrossValidationFolds.classes(data.event(), null), k, repeats, seed);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cross-validation of " + data.name() + " (" + data.size() + " rows, "
                    + data.events() + " events): " + e.getMessage(), e);
        }
    }

    /**
     * One split instead of folds: a share {@code fraction} of the rows held out, stratified by
     * event (that share of the censored rows and of the events of each cause, rounded), the rest
     * for training.
     *
     * @param fraction in (0, 1)
     * @throws InvalidInputException if either part would have no event
     */
    public static CrossValidationFolds.Fold holdOut(SurvivalData data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new InvalidInputException("the held-out share must be in (0, 1), got " + fraction);
        }
        Random rng = new Random(seed);
        int[] classes = CrossValidationFolds.classes(data.event(), null); // 0/1, or each cause of 0..K
        int largest = Arrays.stream(classes).max().orElse(0);
        List<Integer> held = new ArrayList<>();
        for (int cls = 0; cls <= largest; cls++) {
            int c = cls;
            List<Integer> rows = new ArrayList<>(IntStream.range(0, data.size()).filter(i -> classes[i] == c)
                    .boxed().toList());
            Collections.shuffle(rows, rng);
            held.addAll(rows.subList(0, (int) Math.round(fraction * rows.size())));
        }
        int[] test = held.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] train = IntStream.range(0, data.size()).filter(i -> Arrays.binarySearch(test, i) < 0).toArray();
        long heldEvents = Arrays.stream(test).filter(i -> data.event()[i] != 0).count();
        if (heldEvents == 0 || heldEvents == data.events()) {
            throw new InvalidInputException("holding out " + fraction + " of " + data.name() + " (" + data.events()
                    + " events) leaves a part without events: use a different share or cross-validation");
        }
        return new CrossValidationFolds.Fold(0, 0, train, test);
    }

    /**
     * Trains on the fold's training rows and scores its held-out rows.
     *
     * @param stopping early stopping on the held-out rows, or {@code null} for {@code settings.epochs()}
     * @param progress called after each epoch (an exception thrown from it ends the training)
     * @throws TrainingDivergedException if training diverges
     */
    public static FoldResult evaluate(SurvivalData data, CrossValidationFolds.Fold fold, TrainingSettings settings,
                                      StoppingRule stopping, Consumer<TrainingProgress> progress) {
        long start = System.nanoTime();
        SurvivalData train = data.rows(fold.train()).withName(data.name() + " without fold " + (fold.fold() + 1));
        SurvivalData held = data.rows(fold.test()).withName("fold " + (fold.fold() + 1) + " of " + data.name());
        Standardization standardization = Standardization.fit(train);
        train = standardization.apply(train);
        held = standardization.apply(held);
        TrainedModel model = stopping == null ? Trainer.train(train, null, settings, progress)
                : Trainer.train(train, held, settings, stopping, progress);
        double c = Trainer.monitoredConcordance(model.survivalModel(), train, held, settings);
        return new FoldResult(fold.repeat(), fold.fold(), c, model.settings().epochs(),
                (System.nanoTime() - start) / 1e9);
    }
}
