package org.survival4j.examples.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.survival4j.examples.train.LearningRateSchedule;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.examples.train.TrainingSettings.ActivationKind;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.examples.train.TrainingSettings.OptimizerKind;

/**
 * The settings {@code survival4j tune} tries. The first trials are a fixed {@link #portfolio} of
 * configurations that train well on tabular data of a few hundred to a few thousand rows, so that
 * even a small budget ends with a sound model; every later trial is an independent draw from the
 * distributions below, with a generator seeded by the tuning seed and the trial's number
 * ({@link #generator}), so that trial {@code i} is the same in every run with that seed.
 *
 * <table>
 *   <caption>The distributions (U = uniform, logU = uniform on the log scale)</caption>
 *   <tr><th>setting</th><th>distribution</th></tr>
 *   <tr><td>loss</td><td>Cox (Efron) 85 %, Weibull 15 %</td></tr>
 *   <tr><td>hidden layers</td><td>1 (40 %), 2 (45 %), 3 (15 %), all of one width from {16, 32, 64, 128, 256}</td></tr>
 *   <tr><td>activation</td><td>ReLU 40 %, SELU 30 % (alpha dropout), tanh 30 %</td></tr>
 *   <tr><td>dropout</td><td>0 (25 %), else U(0.05, 0.6), the same after every hidden layer</td></tr>
 *   <tr><td>optimizer</td><td>Adam 65 %, learning rate logU(3e-4, 1e-2); SGD with Nesterov momentum 35 %,
 *       learning rate logU(3e-3, 1e-1), momentum U(0.8, 0.95)</td></tr>
 *   <tr><td>learning-rate schedule</td><td>none 40 %, inverse 30 % (decay logU(1e-3, 3e-2) per epoch),
 *       exponential 30 % (factor U(0.97, 0.995) per epoch)</td></tr>
 *   <tr><td>weight decay (decoupled)</td><td>0 (25 %), else logU(1e-4, 0.5)</td></tr>
 *   <tr><td>batch size</td><td>U{32, 64, 128, 256}, at most an eighth of the training rows</td></tr>
 *   <tr><td>momentum (bank + EMA target)</td><td>off 50 %; on 50 %: steps U{2, 4, 8, 16}, EMA rate
 *       {@code 1 - 1 / (h * batches per epoch)} with the averaging horizon h logU(0.25, 2) epochs,
 *       within [0.9, 0.999]</td></tr>
 * </table>
 *
 * <p>Why these ranges: DeepSurv's random search (Katzman et al. 2018) spanned 1-4 layers of 2-20
 * units, dropout 0-0.5, SGD-Nesterov learning rates 1e-7-1e-3 on a summed loss (ours is a mean
 * per event, so its rates are larger), momentum 0.8-0.95 and inverse decay 0-1e-3 over 500+
 * full-batch epochs; pycox's (Kvamme et al. 2019) 1-4 layers of 64-512 units, dropout 0-0.7 and
 * decoupled weight decay 0-0.4 with Adam and batches of 256 or more. The horizon rule keeps the
 * momentum target network from lagging many epochs behind on small data, the failure our
 * batch-size study saw with rate 0.999 (docs/study.md).
 */
public final class SearchSpace {
    static final int[] WIDTHS = {16, 32, 64, 128, 256};
    static final int[] BATCHES = {32, 64, 128, 256};
    static final int[] BANK_STEPS = {2, 4, 8, 16};

    private SearchSpace() {
    }

    /** The number of fixed configurations that open every tuning run ({@link #portfolio}). */
    public static final int PORTFOLIO = 3;

    /**
     * The fixed configurations of the first trials, chosen on development data (docs/published-benchmarks.md)
     * to differ from each other and to train well on a few hundred to a few thousand rows; their
     * batch sizes grow with the data (x2 from 2,250 training rows, x3 from 3,750, ...), so that an
     * epoch on large data stays affordable:
     * <ol start="0">
     *   <li>Cox, two tanh layers of 32 with dropout 0.25, Adam 5e-3, weight decay 0.045, batch 32,
     *       momentum with 2 steps and an EMA over about a third of an epoch;</li>
     *   <li>Cox, two ReLU layers of 64 with dropout 0.2, Adam 2e-3 decaying by 0.99 an epoch, weight
     *       decay 0.01, batch 64, no momentum;</li>
     *   <li>Cox, two SELU layers of 32 with alpha dropout 0.1, SGD with Nesterov momentum 0.9 at
     *       0.01 with DeepSurv's inverse decay 0.002, weight decay 1e-3, batch 64, no momentum.</li>
     * </ol>
     *
     * @param k which one, from 0 to {@link #PORTFOLIO} - 1
     * @param trainingRows the rows a trial trains on (a fold's training part)
     * @param seed the network's seed
     */
    public static TrainingSettings portfolio(int k, int trainingRows, long seed) {
        TrainingSettings cox = TrainingSettings.defaults().withLoss(LossKind.COX).withSeed(seed).withMomentum(false);
        int scale = (int) Math.max(1, Math.round(trainingRows / 1500.0));
        return switch (k) {
            case 0 -> {
                int batch = batch(32 * scale, trainingRows);
                yield cox.withHidden(List.of(32, 32)).withActivation(ActivationKind.TANH).withDropout(0.25)
                        .withLearningRate(5e-3).withWeightDecay(0.045).withBatchSize(batch).withMomentum(true)
                        .withSteps(2).withRate(emaRate(0.35, trainingRows, batch));
            }
            case 1 -> cox.withHidden(List.of(64, 64)).withActivation(ActivationKind.RELU).withDropout(0.2)
                    .withLearningRate(2e-3).withSchedule(LearningRateSchedule.exponential(0.99)).withWeightDecay(0.01)
                    .withBatchSize(batch(64 * scale, trainingRows));
            case 2 -> cox.withHidden(List.of(32, 32)).withActivation(ActivationKind.SELU).withDropout(0.1)
                    .withOptimizer(OptimizerKind.NESTEROV).withLearningRate(0.01).withSgdMomentum(0.9)
                    .withSchedule(LearningRateSchedule.inverse(0.002)).withWeightDecay(1e-3)
                    .withBatchSize(batch(64 * scale, trainingRows));
            default -> throw new IllegalArgumentException("the portfolio has " + PORTFOLIO + " configurations, 0 to "
                    + (PORTFOLIO - 1) + ", got " + k);
        };
    }

    /**
     * The generator of trial {@code trial} of a tuning run seeded with {@code seed}. Its seed is
     * scrambled (SplitMix64): {@code java.util.Random}'s first draws from consecutive seeds are
     * nearly equal, which would make consecutive trials alike.
     */
    public static Random generator(long seed, int trial) {
        return new Random(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + trial).nextLong());
    }

    /**
     * A random draw.
     *
     * @param rng the trial's generator
     * @param trainingRows the rows a trial trains on, for the batch size and the momentum horizon
     * @param seed the network's seed (initialisation, batch order)
     */
    public static TrainingSettings sample(Random rng, int trainingRows, long seed) {
        LossKind loss = rng.nextDouble() < 0.85 ? LossKind.COX : LossKind.WEIBULL;
        double u = rng.nextDouble();
        int depth = u < 0.40 ? 1 : u < 0.85 ? 2 : 3;
        int width = WIDTHS[rng.nextInt(WIDTHS.length)];
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            hidden.add(width);
        }
        u = rng.nextDouble();
        ActivationKind activation = u < 0.40 ? ActivationKind.RELU : u < 0.70 ? ActivationKind.SELU : ActivationKind.TANH;
        double dropout = rng.nextDouble() < 0.25 ? 0 : uniform(rng, 0.05, 0.6);
        boolean adam = rng.nextDouble() < 0.65;
        double learningRate = adam ? logUniform(rng, 3e-4, 1e-2) : logUniform(rng, 3e-3, 1e-1);
        double sgdMomentum = adam ? 0.9 : uniform(rng, 0.8, 0.95);
        u = rng.nextDouble();
        LearningRateSchedule schedule = u < 0.40 ? LearningRateSchedule.none()
                : u < 0.70 ? LearningRateSchedule.inverse(logUniform(rng, 1e-3, 3e-2))
                : LearningRateSchedule.exponential(uniform(rng, 0.97, 0.995));
        double weightDecay = rng.nextDouble() < 0.25 ? 0 : logUniform(rng, 1e-4, 0.5);
        int batch = batch(BATCHES[rng.nextInt(BATCHES.length)], trainingRows);
        boolean momentum = rng.nextDouble() < 0.5;
        int steps = BANK_STEPS[rng.nextInt(BANK_STEPS.length)];
        double rate = emaRate(logUniform(rng, 0.25, 2), trainingRows, batch);
        TrainingSettings s = TrainingSettings.defaults().withLoss(loss).withHidden(hidden).withActivation(activation)
                .withDropout(dropout).withOptimizer(adam ? OptimizerKind.ADAM : OptimizerKind.NESTEROV)
                .withLearningRate(learningRate).withSchedule(schedule).withWeightDecay(weightDecay)
                .withBatchSize(batch).withMomentum(momentum).withSeed(seed);
        // unused values stay at their defaults, so that equal networks have equal settings
        s = momentum ? s.withSteps(steps).withRate(rate) : s;
        return adam ? s : s.withSgdMomentum(sgdMomentum);
    }

    /**
     * {@code batch}, but at most an eighth of the training rows (at least 8 steps an epoch: with
     * fewer, a decaying learning rate runs out before the network has learnt), and at least 1.
     */
    private static int batch(int batch, int trainingRows) {
        return Math.max(1, Math.min(batch, trainingRows / 8));
    }

    /** The EMA rate that averages the target network over {@code horizonEpochs}, within [0.9, 0.999]. */
    private static double emaRate(double horizonEpochs, int trainingRows, int batch) {
        double batchesPerEpoch = Math.ceil((double) trainingRows / batch);
        return round(Math.min(0.999, Math.max(0.9, 1 - 1 / (horizonEpochs * batchesPerEpoch))));
    }

    private static double uniform(Random rng, double low, double high) {
        return round(low + (high - low) * rng.nextDouble());
    }

    private static double logUniform(Random rng, double low, double high) {
        return round(Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * rng.nextDouble()));
    }

    /** Four significant digits: readable in trials.csv and reports, and exact when read back. */
    private static double round(double v) {
        return v == 0 ? 0 : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", v));
    }
}
