package org.survival4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.survival4j.examples.train.TrainingSettings.LossKind;

/**
 * One training regime of the batch-size study: the likelihood, the batch size, whether (and
 * how) momentum is used, and how many batches make one optimizer step (the gradient cache).
 *
 * @param name a short, unique label, e.g. {@code cox-b16-m10-0.999}
 * @param likelihood Cox partial likelihood (Efron ties) or Weibull likelihood
 * @param batchSize rows per optimizer step, or {@link #FULL_BATCH} for the whole training set
 * @param momentum whether the run trains with momentum (target network and memory bank)
 * @param steps batches in the memory bank (only with momentum)
 * @param rate EMA rate of the target network (only with momentum)
 * @param microBatches batches of {@code batchSize} rows that make one exact optimizer step through
 *     the gradient cache (1: every batch is a step)
 */
public record StudyArm(String name, LossKind likelihood, int batchSize, boolean momentum, int steps, double rate,
                       int microBatches) {
    /** The batch size that stands for "the whole training set". */
    public static final int FULL_BATCH = 0;
    /** Memory-bank steps of the Weibull momentum arm (the library default). */
    static final int WEIBULL_STEPS = 10;
    /** EMA rate of the Weibull momentum arm (the library default). */
    static final double WEIBULL_RATE = 0.999;

    /** Checks the fields. */
    public StudyArm {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 1 or FULL_BATCH, got " + batchSize);
        }
        if (momentum && (steps < 1 || !(rate >= 0 && rate <= 1) || batchSize == FULL_BATCH)) {
            throw new IllegalArgumentException("momentum needs a finite batch, steps >= 1 and a rate in [0, 1]: " + name);
        }
        if (microBatches < 1 || microBatches > 1 && (momentum || batchSize == FULL_BATCH)) {
            throw new IllegalArgumentException("the gradient cache needs a finite batch, no momentum and >= 1 micro-"
                    + "batches: " + name);
        }
    }

    /** Plain training with mini-batches of {@code batchSize} rows (or the full batch). */
    public static StudyArm plain(LossKind likelihood, int batchSize) {
        String batch = batchSize == FULL_BATCH ? "full" : "b" + batchSize;
        return new StudyArm(likelihood.name().toLowerCase(Locale.ROOT) + "-" + batch, likelihood, batchSize, false, 0, 0,
                1);
    }

    /** Momentum training. */
    public static StudyArm momentum(LossKind likelihood, int batchSize, int steps, double rate) {
        return new StudyArm(String.format(Locale.ROOT, "%s-b%d-m%d-%s", likelihood.name().toLowerCase(Locale.ROOT),
                batchSize, steps, rate), likelihood, batchSize, true, steps, rate, 1);
    }

    /**
     * Plain training in exact steps of {@code virtualBatch} rows made of micro-batches of
     * {@code batchSize} rows (the gradient cache), e.g. {@code cox-b8-v128}.
     */
    public static StudyArm gradientCache(LossKind likelihood, int batchSize, int virtualBatch) {
        if (batchSize < 1 || virtualBatch % batchSize != 0) {
            throw new IllegalArgumentException("the virtual batch " + virtualBatch + " must be a multiple of the batch "
                    + batchSize);
        }
        return new StudyArm(String.format(Locale.ROOT, "%s-b%d-v%d", likelihood.name().toLowerCase(Locale.ROOT),
                batchSize, virtualBatch), likelihood, batchSize, false, 0, 0, virtualBatch / batchSize);
    }

    /**
     * The arms of issue 7, in report order: plain Cox at batch 8, 16, 32, 64 and the full batch;
     * momentum Cox at batch 8 and 16 with steps 4, 10, 30 and rate 0.99, 0.999; Weibull at batch
     * 16 without and with momentum (steps 10, rate 0.999).
     */
    public static List<StudyArm> standard() {
        List<StudyArm> arms = new ArrayList<>();
        for (int b : new int[] {8, 16, 32, 64, FULL_BATCH}) {
            arms.add(plain(LossKind.COX, b));
        }
        for (int b : new int[] {8, 16}) {
            for (int steps : new int[] {4, 10, 30}) {
                for (double rate : new double[] {0.99, 0.999}) {
                    arms.add(momentum(LossKind.COX, b, steps, rate));
                }
            }
        }
        arms.add(plain(LossKind.WEIBULL, 16));
        arms.add(momentum(LossKind.WEIBULL, 16, WEIBULL_STEPS, WEIBULL_RATE));
        return List.copyOf(arms);
    }

    /**
     * The tiny-batch arms of issue 18: plain Cox at batch 2, 4, 8 and 32, and momentum Cox at batch
     * 2 and 4 pooling 64 and 128 rows ({@code steps = rows / batch}) at rate 0.99 (0.999 lagged in
     * every table of the standard arms); and issue 21's gradient cache: exact steps of 128 rows
     * made of micro-batches of 8, beside plain batch 128 (what they equal up to rounding; the
     * micro-batch size changes the memory, not the step, so the cheapest one is measured here).
     */
    public static List<StudyArm> tiny() {
        List<StudyArm> arms = new ArrayList<>();
        for (int b : new int[] {2, 4, 8, 32}) {
            arms.add(plain(LossKind.COX, b));
        }
        for (int b : new int[] {2, 4}) {
            for (int rows : new int[] {64, 128}) {
                arms.add(momentum(LossKind.COX, b, rows / b, 0.99));
            }
        }
        arms.add(plain(LossKind.COX, 128));
        arms.add(gradientCache(LossKind.COX, 8, 128));
        return List.copyOf(arms);
    }

    /** The standard arms followed by the tiny-batch arms that are not among them. */
    static List<StudyArm> all() {
        List<StudyArm> arms = new ArrayList<>(standard());
        tiny().stream().filter(a -> !arms.contains(a)).forEach(arms::add);
        return List.copyOf(arms);
    }

    /** The actual batch size on a training set of {@code n} rows. */
    public int batchSizeFor(int n) {
        return batchSize == FULL_BATCH ? n : batchSize;
    }

    /** Rows of one optimizer step on a training set of {@code n} rows. */
    public int rowsPerStep(int n) {
        return batchSizeFor(n) * microBatches;
    }

    /** Whether this arm makes each step of several micro-batches (the gradient cache). */
    public boolean cached() {
        return microBatches > 1;
    }

    /** Whether this arm trains on the whole training set at once. */
    public boolean fullBatch() {
        return batchSize == FULL_BATCH;
    }
}
