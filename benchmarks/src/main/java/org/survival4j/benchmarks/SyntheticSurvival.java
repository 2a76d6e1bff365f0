package org.survival4j.benchmarks;

import java.util.Random;

/**
 * Seeded synthetic survival data for the benchmarks: standard normal scores, about 40% censored
 * rows, and times that are either continuous (no ties) or drawn from a few values (heavy ties).
 */
final class SyntheticSurvival {
    /** Probability that a row is censored. */
    static final double CENSORED_FRACTION = 0.4;

    final double[] score;
    final double[] time;
    final double[] event;

    private SyntheticSurvival(double[] score, double[] time, double[] event) {
        this.score = score;
        this.time = time;
        this.event = event;
    }

    /**
     * @param n rows
     * @param distinctTimes 0 for continuous times (exponential, distinct with probability 1),
     *                      otherwise the number of possible integer times 1..distinctTimes
     * @param seed the RNG seed
     */
    static SyntheticSurvival generate(int n, int distinctTimes, long seed) {
        Random rng = new Random(seed);
        double[] score = new double[n];
        double[] time = new double[n];
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            score[i] = rng.nextGaussian();
            time[i] = distinctTimes == 0 ? -Math.log(1 - rng.nextDouble()) : 1 + rng.nextInt(distinctTimes);
            event[i] = rng.nextDouble() < CENSORED_FRACTION ? 0 : 1;
        }
        return new SyntheticSurvival(score, time, event);
    }
}
