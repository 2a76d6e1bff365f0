package org.survival4j.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Stratified k-fold splits of training rows for cross-validation, repeated with different seeds.
 * Rows are grouped by class (the event indicator, a cause of failure, or an event-by-stratum label;
 * see {@link #classes}), each group is shuffled and dealt round-robin over the folds, carrying on
 * from fold to fold across groups: every fold then holds each class within one row of its share,
 * so every fold keeps the event rate, and the folds' sizes differ by at most one.
 *
 * <pre>{@code
 * int[] cls = CrossValidationFolds.classes(event, null);           // 0 = censored, 1 = event
 * for (CrossValidationFolds.Fold f : CrossValidationFolds.of(cls, 5, 2, 1L)) {
 *     train on f.train(), score on f.test();                       // 2 repeats of 5 folds
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class CrossValidationFolds {
    /**
     * One split.
     *
     * @param repeat which repetition (0-based; each has its own shuffle)
     * @param fold which fold of the repetition (0-based)
     * @param train the training rows (ascending)
     * @param test the held-out rows (ascending)
     */
    public record Fold(int repeat, int fold, int[] train, int[] test) {
    }

    private CrossValidationFolds() {
    }

    /**
     * The class of each row: its event value (0/1, or a cause code 0..K), combined with its stratum
     * label when strata are given.
     *
     * @param event per row, whole numbers {@code >= 0}
     * @param strata per row, or {@code null}
     */
    public static int[] classes(double[] event, int[] strata) {
        if (strata != null && strata.length != event.length) {
            throw new IllegalArgumentException(strata.length + " strata for " + event.length + " rows");
        }
        TreeMap<String, Integer> ids = new TreeMap<>();
        String[] keys = new String[event.length];
        for (int i = 0; i < event.length; i++) {
            if (!(event[i] >= 0) || event[i] != Math.rint(event[i])) {
                throw new IllegalArgumentException("event[" + i + "] must be a whole number >= 0 (an event indicator or"
                        + " a cause), got " + event[i]);
            }
            keys[i] = (long) event[i] + (strata == null ? "" : "/" + strata[i]);
            ids.putIfAbsent(keys[i], 0);
        }
        int next = 0;
        for (var e : ids.entrySet()) {
            e.setValue(next++);
        }
        return Arrays.stream(keys).mapToInt(ids::get).toArray();
    }

    /**
     * {@code repeats} repetitions of {@code k} stratified folds.
     *
     * @param classes per row, from {@link #classes} (or any labels to stratify by)
     * @param k folds per repetition, from 2 to the number of rows
     * @param repeats repetitions, {@code >= 1}; repetition {@code r} shuffles with seed {@code seed + r}
     * @throws IllegalArgumentException if k or repeats are out of range, or a class other than 0 (the
     *     censored rows when classes are event indicators) has fewer rows than folds, so that some
     *     fold would hold none of it
     */
    public static List<Fold> of(int[] classes, int k, int repeats, long seed) {
        int n = classes.length;
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("k must be from 2 to the number of rows (" + n + "), got " + k);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(classes[i], c -> new ArrayList<>()).add(i);
        }
        for (var g : groups.entrySet()) {
            if (g.getKey() != 0 && g.getValue().size() < k) {
                throw new IllegalArgumentException("class " + g.getKey() + " has " + g.getValue().size() + " rows, fewer"
                        + " than the " + k + " folds: some fold would have none of them (use fewer folds)");
            }
        }
        List<Fold> folds = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            Random rng = new Random(seed + r);
            int[] foldOf = new int[n];
            int next = 0;
            for (List<Integer> rows : groups.values()) {
                List<Integer> shuffled = new ArrayList<>(rows);
                java.util.Collections.shuffle(shuffled, rng);
                for (int row : shuffled) {
                    foldOf[row] = next;
                    next = (next + 1) % k;
                }
            }
            for (int f = 0; f < k; f++) {
                int fold = f;
                int[] test = java.util.stream.IntStream.range(0, n).filter(i -> foldOf[i] == fold).toArray();
                int[] train = java.util.stream.IntStream.range(0, n).filter(i -> foldOf[i] != fold).toArray();
                folds.add(new Fold(r, f, train, test));
            }
        }
        return folds;
    }
}
