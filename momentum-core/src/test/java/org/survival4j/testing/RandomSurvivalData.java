package org.survival4j.testing;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded random censored survival data for property and gradient tests: times drawn from a small
 * set of values so that ties (between events, and between events and censored rows) are common.
 */
public final class RandomSurvivalData {
    public final INDArray logHz;
    public final INDArray time;
    public final INDArray event;
    public final int[] strata;

    private RandomSurvivalData(INDArray logHz, INDArray time, INDArray event, int[] strata) {
        this.logHz = logHz;
        this.time = time;
        this.event = event;
        this.strata = strata;
    }

    /**
     * @param n rows
     * @param distinctTimes number of possible time values (small = many ties)
     * @param strataCount number of strata (1 = unstratified labels all 0)
     * @param seed RNG seed
     */
    public static RandomSurvivalData generate(int n, int distinctTimes, int strataCount, long seed) {
        Random rng = new Random(seed);
        double[] eta = new double[n];
        double[] t = new double[n];
        double[] e = new double[n];
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            eta[i] = rng.nextGaussian();
            t[i] = 1 + rng.nextInt(distinctTimes);
            e[i] = rng.nextDouble() < 0.6 ? 1 : 0;
            s[i] = rng.nextInt(strataCount) * 7 - 3; // arbitrary, non-contiguous labels
        }
        e[rng.nextInt(n)] = 1; // at least one event
        return new RandomSurvivalData(Nd4j.createFromArray(eta), Nd4j.createFromArray(t), Nd4j.createFromArray(e), s);
    }
}
