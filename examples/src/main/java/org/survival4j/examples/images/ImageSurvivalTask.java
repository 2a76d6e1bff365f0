package org.survival4j.examples.images;

import java.util.Random;

/**
 * Survival tasks made from image classes, for training survival networks on images.
 * <ul>
 *   <li>{@link #CLASS_ORDER}: torchsurv's MNIST design: the time is the class in a fixed order
 *   (1..10), every row an event; the oracle risk is minus the class.</li>
 *   <li>{@link #WEIBULL}: the class sets a proportional hazard, {@code log h = (class - 4.5) / 3}
 *   (from -1.5 to 1.5), event times are Weibull with shape 1.5 and scale 1
 *   ({@code S(t | class) = exp(-t^1.5 * e^{log h})}), censored by an independent uniform time on
 *   [0, 3.5] (about 30 % of the rows); the oracle risk is the true log hazard.</li>
 * </ul>
 */
public enum ImageSurvivalTask {
    /** Time = class + 1, every row an event. */
    CLASS_ORDER,
    /** Class-dependent Weibull hazard with random censoring. */
    WEIBULL;

    private static final double SHAPE = 1.5;
    private static final double MAX_CENSORING = 3.5;

    /** Times, events and the true log hazard (the oracle's risk score) of images of the given classes. */
    public record Labels(double[] time, double[] event, double[] trueLogHazard) {
        /** Share of rows with an event. */
        public double eventFraction() {
            double events = 0;
            for (double e : event) {
                events += e;
            }
            return events / event.length;
        }
    }

    /** The task's labels for images of {@code classes} (0..9), drawn with {@code seed}. */
    public Labels labels(int[] classes, long seed) {
        Random rng = new Random(seed);
        int n = classes.length;
        double[] time = new double[n];
        double[] event = new double[n];
        double[] logHazard = new double[n];
        for (int i = 0; i < n; i++) {
            if (this == CLASS_ORDER) {
                time[i] = classes[i] + 1;
                event[i] = 1;
                logHazard[i] = -classes[i];
            } else {
                logHazard[i] = (classes[i] - 4.5) / 3;
                // inverse of S(t) = exp(-t^k e^{log h}) at a uniform draw
                double t = Math.pow(-Math.log(1 - rng.nextDouble()) / Math.exp(logHazard[i]), 1 / SHAPE);
                double c = MAX_CENSORING * rng.nextDouble();
                time[i] = Math.min(t, c);
                event[i] = t <= c ? 1 : 0;
            }
        }
        return new Labels(time, event, logHazard);
    }
}
