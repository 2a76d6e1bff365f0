package org.survival4j.examples.calibration;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.survival4j.metrics.DCalibration;

/**
 * A simulation study of D-calibration ({@link DCalibration}): on data sets drawn from a known model,
 * how often the true model passes the test at 5 % and how often models with hazards multiplied by
 * 1.25 and by 2 fail it.
 *
 * <p>Data: {@code n} rows with \( x_1 \sim N(0, 1) \), \( x_2 \sim \) Bernoulli(0.4); Weibull
 * proportional hazards \( H(t \mid x) = (t/10)^{1.5} e^{0.7 x_1 - 0.5 x_2} \); censoring times
 * none, or uniform on (0, c) with c = 25 ("moderate", about 42 % censored) or c = 12 ("heavy",
 * about 67 %).
 * Each model's curve is \( S_m(t \mid x) = e^{-m H(t \mid x)} \) for a hazard multiplier \( m \)
 * (1 = the true model); D-calibration takes \( S_m(T_i \mid x_i) \) at each row's observed time.
 * Each data set has its own seed ({@code seed + k}), so every run and every data set is
 * reproducible.
 *
 * <p>Arguments: {@code --datasets 200 --rows 500 --seed 1 --out target/d-calibration-study}. Writes
 * {@code runs.csv} (one line per data set, censoring and model: censored share, chi-square,
 * p-value) and {@code summary.md} (pass rates), and prints the summary.
 */
public final class DCalibrationStudy {
    private static final double[] MULTIPLIERS = {1, 1.25, 2};
    private static final double[] CENSORING = {Double.POSITIVE_INFINITY, 25, 12};
    private static final String[] CENSORING_NAMES = {"none", "moderate", "heavy"};
    private static final double LEVEL = 0.05;

    private DCalibrationStudy() {
    }

    /**
     * Runs the study.
     *
     * @param args {@code --datasets N --rows N --seed N --out DIR}
     * @throws IOException if the output cannot be written
     */
    public static void main(String[] args) throws IOException {
        int datasets = 200;
        int rows = 500;
        long seed = 1;
        Path out = Path.of("target", "d-calibration-study");
        for (int a = 0; a < args.length; a += 2) {
            if (a + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[a] + " needs a value");
            }
            switch (args[a]) {
                case "--datasets" -> datasets = Integer.parseInt(args[a + 1]);
                case "--rows" -> rows = Integer.parseInt(args[a + 1]);
                case "--seed" -> seed = Long.parseLong(args[a + 1]);
                case "--out" -> out = Path.of(args[a + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[a]
                        + " (expected --datasets, --rows, --seed, --out)");
            }
        }
        Files.createDirectories(out);
        int[][] passes = new int[CENSORING.length][MULTIPLIERS.length];
        double[] censoredShare = new double[CENSORING.length];
        try (PrintWriter runs = new PrintWriter(Files.newBufferedWriter(out.resolve("runs.csv")))) {
            runs.println("dataset,seed,censoring,censored_share,hazard_multiplier,chi2,p");
            for (int k = 0; k < datasets; k++) {
                for (int c = 0; c < CENSORING.length; c++) {
                    Simulated d = Simulated.draw(rows, CENSORING[c], seed + k);
                    censoredShare[c] += d.censoredShare() / datasets;
                    for (int m = 0; m < MULTIPLIERS.length; m++) {
                        DCalibration test = DCalibration.test(d.survivalAtOwnTime(MULTIPLIERS[m]), d.event);
                        passes[c][m] += test.pValue() > LEVEL ? 1 : 0;
                        runs.println(String.format(Locale.ROOT, "%d,%d,%s,%.4f,%s,%.6f,%.6g", k, seed + k,
                                CENSORING_NAMES[c], d.censoredShare(), MULTIPLIERS[m], test.statistic(), test.pValue()));
                    }
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "D-calibration at 5 %%: %d data sets of %d rows (seeds %d-%d), 10 bins%n%n",
                datasets, rows, seed, seed + datasets - 1));
        md.append("| censoring | censored (mean) | hazard multiplier | passes | fails |\n|---|---|---|---|---|\n");
        for (int c = 0; c < CENSORING.length; c++) {
            for (int m = 0; m < MULTIPLIERS.length; m++) {
                md.append(String.format(Locale.ROOT, "| %s%s | %.1f %% | %s%s | %.1f %% | %.1f %% |%n",
                        CENSORING_NAMES[c], CENSORING[c] == Double.POSITIVE_INFINITY ? ""
                                : " (uniform on (0, " + CENSORING[c] + "))", 100 * censoredShare[c], MULTIPLIERS[m],
                        MULTIPLIERS[m] == 1 ? " (true model)" : "", 100.0 * passes[c][m] / datasets,
                        100.0 * (datasets - passes[c][m]) / datasets));
            }
        }
        Files.writeString(out.resolve("summary.md"), md.toString());
        System.out.print(md);
    }

    /** One simulated data set: covariates, observed times and events. */
    private record Simulated(double[] x1, double[] x2, double[] time, double[] event) {
        static Simulated draw(int n, double censoringMax, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] x1 = new double[n];
            double[] x2 = new double[n];
            double[] time = new double[n];
            double[] event = new double[n];
            for (int i = 0; i < n; i++) {
                x1[i] = gaussian(rng);
                x2[i] = rng.nextDouble() < 0.4 ? 1 : 0;
                // invert S(t) = exp(-(t/10)^1.5 e^eta) at a uniform draw: t = 10 (-log U / e^eta)^(1/1.5)
                double u = 1 - rng.nextDouble(); // in (0, 1]
                double t = 10 * Math.pow(-Math.log(u) / Math.exp(eta(x1[i], x2[i])), 1 / 1.5);
                double c = censoringMax == Double.POSITIVE_INFINITY ? censoringMax : censoringMax * rng.nextDouble();
                time[i] = Math.min(t, c);
                event[i] = t <= c ? 1 : 0;
            }
            return new Simulated(x1, x2, time, event);
        }

        static double eta(double x1, double x2) {
            return 0.7 * x1 - 0.5 * x2;
        }

        double[] survivalAtOwnTime(double multiplier) {
            double[] s = new double[time.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.exp(-multiplier * Math.pow(time[i] / 10, 1.5) * Math.exp(eta(x1[i], x2[i])));
            }
            return s;
        }

        double censoredShare() {
            double c = 0;
            for (double e : event) {
                c += 1 - e;
            }
            return c / event.length;
        }

        /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian in Java 17). */
        private static double gaussian(SplittableRandom rng) {
            return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
        }
    }
}
