package org.survival4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.testing.GoldenData;

/**
 * The Cox partial likelihood of counting-process data (start, stop, event) against R's
 * {@code coxph(Surv(start, stop, event) ~ offset(log_hz))} (shared/golden/counting: the Stanford
 * heart transplant data with a time-varying covariate, and lung with delayed entry), against a
 * naive implementation written from the definition, and at extreme log hazards.
 */
class CountingProcessCoxTest {
    private static final String[] CASES = {"heart_sd1", "heart_sd8", "lung_entry_sd1", "lung_entry_sd8"};

    private static GoldenData rows(String c) {
        return GoldenData.rows("counting/counting_" + c);
    }

    @Test
    void valuesAndGradientsMatchR() {
        for (String c : CASES) {
            GoldenData g = rows(c);
            for (Ties ties : Ties.values()) {
                String name = ties == Ties.EFRON ? "efron" : "breslow";
                ValueAndGradient vg = new CoxPartialLikelihood(ties, Reduction.SUM).valueAndGradient(
                        g.vector("log_hz"), g.vector("start"), g.vector("stop"), g.vector("event"));
                double expected = GoldenData.summary("counting/counting_cases.csv", c, "nll_" + name + "_sum");
                assertEquals(expected, vg.value(), 1e-12 * expected, c + " " + name);
                // R's martingale residuals carry ~4e-9 absolute error at sd 8 (README of the golden data)
                double tolerance = c.endsWith("sd8") ? 1e-8 : 1e-12;
                assertArrayEquals(g.column("grad_" + name), vg.gradient().toDoubleVector(), tolerance, c + " " + name);
                assertEquals((int) GoldenData.summary("counting/counting_cases.csv", c, "events"), vg.events());
            }
        }
    }

    @Test
    void meanReductionDividesByTheEvents() {
        GoldenData g = rows("heart_sd1");
        double sum = new CoxPartialLikelihood(Ties.EFRON, Reduction.SUM).value(g.vector("log_hz"), g.vector("start"),
                g.vector("stop"), g.vector("event"));
        double mean = CoxPartialLikelihood.efron().value(g.vector("log_hz"), g.vector("start"), g.vector("stop"),
                g.vector("event"));
        assertEquals(sum / 75, mean, 1e-14);
    }

    /** The definition, one event time at a time: O(n * events). */
    private static double[] naive(double[] eta, double[] start, double[] stop, double[] event, int[] strata,
                                  Ties ties) {
        int n = eta.length;
        double[] grad = new double[n + 1];
        double nll = 0;
        java.util.TreeSet<String> done = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (event[i] != 1 || !done.add(strata[i] + "@" + stop[i])) {
                continue;
            }
            double t = stop[i];
            double s = 0;
            double e = 0;
            int d = 0;
            for (int j = 0; j < n; j++) {
                if (strata[j] == strata[i] && start[j] < t && t <= stop[j]) {
                    s += Math.exp(eta[j]);
                    if (event[j] == 1 && stop[j] == t) {
                        e += Math.exp(eta[j]);
                        d++;
                        nll -= eta[j];
                    }
                }
            }
            for (int l = 0; l < d; l++) {
                double f = ties == Ties.EFRON ? (double) l / d : 0;
                double q = s - f * e;
                nll += Math.log(q);
                for (int j = 0; j < n; j++) {
                    if (strata[j] == strata[i] && start[j] < t && t <= stop[j]) {
                        boolean tiedEvent = event[j] == 1 && stop[j] == t;
                        grad[j] += Math.exp(eta[j]) * (1 - (tiedEvent ? f : 0)) / q;
                    }
                }
            }
        }
        for (int j = 0; j < n; j++) {
            grad[j] -= event[j];
        }
        grad[n] = nll;
        return grad;
    }

    @Test
    void randomDataWithTiesStrataAndDelayedEntryMatchTheDefinition() {
        Random rng = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rng.nextInt(60);
            double[] eta = new double[n];
            double[] start = new double[n];
            double[] stop = new double[n];
            double[] event = new double[n];
            int[] strata = new int[n];
            for (int j = 0; j < n; j++) {
                eta[j] = 2 * rng.nextGaussian();
                start[j] = rng.nextInt(3) == 0 ? 0 : rng.nextInt(5);        // many equal starts
                stop[j] = start[j] + 1 + rng.nextInt(6);                    // many tied stops
                event[j] = rng.nextInt(3) == 0 ? 0 : 1;
                strata[j] = rng.nextInt(2);
            }
            for (Ties ties : Ties.values()) {
                double[] expected = naive(eta, start, stop, event, strata, ties);
                ValueAndGradient vg = new CoxPartialLikelihood(ties, Reduction.SUM).valueAndGradient(
                        Nd4j.createFromArray(eta), Nd4j.createFromArray(start), Nd4j.createFromArray(stop),
                        Nd4j.createFromArray(event), strata);
                assertEquals(expected[n], vg.value(), 1e-10 * Math.max(1, Math.abs(expected[n])), "trial " + trial);
                assertArrayEquals(java.util.Arrays.copyOf(expected, n), vg.gradient().toDoubleVector(), 1e-10,
                        "trial " + trial + " " + ties);
            }
        }
    }

    @Test
    void allStartsAtZeroIsTheOrdinaryCoxLikelihood() {
        GoldenData g = GoldenData.rows("lung_sd1");
        INDArray zeros = Nd4j.zeros(g.rows());
        for (Ties ties : Ties.values()) {
            CoxPartialLikelihood cox = new CoxPartialLikelihood(ties, Reduction.MEAN);
            ValueAndGradient counting = cox.valueAndGradient(g.vector("log_hz"), zeros, g.vector("time"),
                    g.vector("event"));
            ValueAndGradient ordinary = cox.valueAndGradient(g.vector("log_hz"), g.vector("time"), g.vector("event"));
            assertEquals(ordinary.value(), counting.value(), 1e-13);
            assertArrayEquals(ordinary.gradient().toDoubleVector(), counting.gradient().toDoubleVector(), 1e-13);
        }
    }

    /** Log hazards of +-1000 give finite values, and a common shift changes nothing. */
    @Test
    void extremeLogHazardsStayFiniteAndShiftInvariant() {
        GoldenData g = rows("heart_sd1");
        INDArray eta = g.vector("log_hz").mul(300); // spread over about +-1000
        CoxPartialLikelihood cox = CoxPartialLikelihood.efron();
        ValueAndGradient vg = cox.valueAndGradient(eta, g.vector("start"), g.vector("stop"), g.vector("event"));
        ValueAndGradient shifted = cox.valueAndGradient(eta.add(700), g.vector("start"), g.vector("stop"),
                g.vector("event"));
        assertTrue(Double.isFinite(vg.value()));
        assertEquals(vg.value(), shifted.value(), 1e-9 * Math.abs(vg.value()));
        assertArrayEquals(vg.gradient().toDoubleVector(), shifted.gradient().toDoubleVector(), 1e-9);
    }

    @Test
    void badIntervalsAreRefusedNamingTheRow() {
        CoxPartialLikelihood cox = CoxPartialLikelihood.efron();
        INDArray eta = Nd4j.createFromArray(0.1, 0.2);
        INDArray event = Nd4j.createFromArray(1.0, 0.0);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> cox.value(eta,
                Nd4j.createFromArray(0.0, 5.0), Nd4j.createFromArray(3.0, 5.0), event));
        assertTrue(empty.getMessage().startsWith("row 1: start 5.0 is not below stop 5.0"), empty.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> cox.value(eta,
                Nd4j.createFromArray(-1.0, 0.0), Nd4j.createFromArray(3.0, 5.0), event));
        assertTrue(negative.getMessage().contains("start"), negative.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> cox.value(eta,
                Nd4j.createFromArray(0.0, 0.0), Nd4j.createFromArray(Double.NaN, 5.0), event));
        assertTrue(nan.getMessage().contains("stop"), nan.getMessage());
    }
}
