package org.survival4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded synthetic survival task with many covariates of which only six matter, through a
 * nonlinear log hazard: the setting where a network is wide at the input and the batch must stay
 * small.
 *
 * <p>Covariates \(x_1, \dots, x_p\) are independent standard normal. The true log hazard is
 * \[ \eta = 0.8\,x_1 - 0.6\,x_2 + 0.7\,x_3 x_4 + 0.5\,(x_5^2 - 1) + 0.6 \sin(2 x_6), \]
 * with standard deviation about 1.5. Event times follow a Weibull proportional-hazards model with
 * shape \(\rho = 1.5\) and unit scale, \(T = (-\log U \cdot e^{-\eta})^{1/\rho}\) with \(U\) uniform
 * on (0, 1); censoring times are exponential with rate 0.45, and follow-up ends at time 4. About
 * 35% of the rows are censored. The other \(p - 6\) covariates are noise.
 *
 * <p>The rare-event variant censors at rate {@value #RARE_CENSORING_RATE} instead (heavy early
 * drop-out, still independent of the covariates): about 4.9% of the rows have an observed event (a
 * numpy Monte Carlo of the same model, 200,000 rows), so a batch of 8 holds no event two times in
 * three. Its observed times stay spread out (10th-90th percentile 0.007-0.15).
 *
 * <p>The same seed gives the same rows on every JVM ({@link SplittableRandom} is specified
 * exactly; {@link StrictMath} is used for the transcendental functions).
 */
public final class SyntheticTask {
    /** Number of covariates in the study's task. */
    public static final int FEATURES = 1000;
    /** Number of covariates the log hazard depends on (the first ones). */
    public static final int INFORMATIVE = 6;
    static final double SHAPE = 1.5;
    static final double CENSORING_RATE = 0.45;
    static final double END_OF_FOLLOW_UP = 4.0;
    /** Censoring rate of the rare-event variant (about 4.9 % events). */
    public static final double RARE_CENSORING_RATE = 15;

    private SyntheticTask() {
    }

    /**
     * Rows of the task.
     *
     * @param x covariates, {@code [n][p]}
     * @param time observed time, {@code min(T, C, 4)}
     * @param event 1 if the event was observed
     * @param logHazard the true log hazard, for reference (the oracle C-index)
     */
    public record Sample(double[][] x, double[] time, double[] event, double[] logHazard) {

        /** Number of rows. */
        public int size() {
            return time.length;
        }

        /** Share of censored rows. */
        public double censoredFraction() {
            double censored = 0;
            for (double e : event) {
                censored += 1 - e;
            }
            return censored / event.length;
        }

        /** The covariate names {@code x1 .. xp}. */
        public List<String> columns() {
            List<String> names = new ArrayList<>(x[0].length);
            for (int j = 1; j <= x[0].length; j++) {
                names.add("x" + j);
            }
            return names;
        }
    }

    /**
     * Draws {@code n} rows with {@code p} covariates, censoring at rate 0.45.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code p < 6}
     */
    public static Sample draw(int n, int p, long seed) {
        return draw(n, p, seed, CENSORING_RATE);
    }

    /**
     * Draws {@code n} rows with {@code p} covariates and exponential censoring at
     * {@code censoringRate} (follow-up still ends at time 4).
     *
     * @throws IllegalArgumentException if {@code n < 1}, {@code p < 6} or {@code censoringRate <= 0}
     */
    public static Sample draw(int n, int p, long seed, double censoringRate) {
        if (n < 1 || p < INFORMATIVE || !(censoringRate > 0)) {
            throw new IllegalArgumentException("need n >= 1, p >= " + INFORMATIVE + " and a positive censoring rate,"
                    + " got n = " + n + ", p = " + p + ", rate " + censoringRate);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][p];
        double[] time = new double[n];
        double[] event = new double[n];
        double[] eta = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = gaussian(rng);
            }
            eta[i] = logHazard(x[i]);
            double u = 1 - rng.nextDouble(); // in (0, 1]
            double t = StrictMath.pow(-StrictMath.log(u) * StrictMath.exp(-eta[i]), 1 / SHAPE);
            double c = Math.min(-StrictMath.log(1 - rng.nextDouble()) / censoringRate, END_OF_FOLLOW_UP);
            time[i] = Math.min(t, c);
            event[i] = t <= c ? 1 : 0;
        }
        return new Sample(x, time, event, eta);
    }

    /** The true log hazard of one row (uses its first six covariates). */
    static double logHazard(double[] x) {
        return 0.8 * x[0] - 0.6 * x[1] + 0.7 * x[2] * x[3] + 0.5 * (x[4] * x[4] - 1) + 0.6 * StrictMath.sin(2 * x[5]);
    }

    /** A standard normal draw (Box-Muller, one value per call). */
    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * v);
    }
}
