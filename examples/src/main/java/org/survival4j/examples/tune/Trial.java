package org.survival4j.examples.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.survival4j.examples.train.CrossValidation;
import org.survival4j.examples.train.TrainingSettings;

/**
 * One configuration of a tuning run and what is known of it: its settings and its folds' results
 * so far. Updated by the tuner's coordinating thread only.
 */
public final class Trial {
    /** Where a trial stands. */
    public enum Status {
        /** Still in its bracket. */
        RUNNING,
        /** Dropped by successive halving after a rung. */
        STOPPED,
        /** Scored on every fold of its bracket. */
        FINISHED,
        /** Training diverged (non-finite values) on a fold. */
        DIVERGED,
        /** The time budget ran out before its rung was complete. */
        CANCELLED
    }

    private final int id;
    private final int bracket;
    private final TrainingSettings settings;
    private final List<CrossValidation.FoldResult> folds = new ArrayList<>();
    private Status status = Status.RUNNING;

    Trial(int id, int bracket, TrainingSettings settings) {
        this.id = id;
        this.bracket = bracket;
        this.settings = settings;
    }

    /** The trial's number, from 1. */
    public int id() {
        return id;
    }

    /** The bracket it was started in, from 1. */
    public int bracket() {
        return bracket;
    }

    /** The settings it trains with (its epochs are the folds' early-stopping maximum). */
    public TrainingSettings settings() {
        return settings;
    }

    /** Its folds' results, in fold order. */
    public List<CrossValidation.FoldResult> folds() {
        return Collections.unmodifiableList(folds);
    }

    public Status status() {
        return status;
    }

    void add(CrossValidation.FoldResult result) {
        folds.add(result);
        folds.sort((a, b) -> Integer.compare(a.repeat() * 1000 + a.fold(), b.repeat() * 1000 + b.fold()));
    }

    void status(Status newStatus) {
        status = newStatus;
    }

    /** Its cross-validation summary over the folds scored so far, or {@code null} before the first. */
    public CrossValidation.Summary summary() {
        return folds.isEmpty() ? null : new CrossValidation.Summary(folds);
    }

    /** The mean C over its folds, or {@code -Infinity} without any (or after a divergence): the ranking score. */
    public double score() {
        return folds.isEmpty() || status == Status.DIVERGED ? Double.NEGATIVE_INFINITY : summary().mean();
    }

    /** The wall time its folds took, in seconds. */
    public double seconds() {
        return folds.stream().mapToDouble(CrossValidation.FoldResult::seconds).sum();
    }

    @Override
    public String toString() {
        return "trial " + id + " (" + status.name().toLowerCase(java.util.Locale.ROOT) + ", " + folds.size()
                + " folds, C " + (folds.isEmpty() ? "-" : String.format(java.util.Locale.ROOT, "%.4f", score())) + "): "
                + settings.describe();
    }
}
