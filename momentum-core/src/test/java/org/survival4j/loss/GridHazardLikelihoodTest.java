package org.survival4j.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.testing.GridGolden;

/**
 * The grid-hazard likelihood: torchsurv's values on the knots ({@code golden/grid}, computed by
 * torchsurv in float32), the exact integral off the knots against numerical quadrature, the
 * gradient against central differences, and its errors.
 */
class GridHazardLikelihoodTest {
    private static final double[] KNOTS = {0, 1, 2.5, 4};

    @ParameterizedTest
    @MethodSource("org.survival4j.testing.GridGolden#cases")
    void onTheKnotsItEqualsTorchsurv(String name) {
        GridGolden g = GridGolden.load(name);
        double[] knots = g.vector("knots");
        INDArray logHz = Nd4j.createFromArray(g.matrix("log_hz"));
        INDArray time = Nd4j.createFromArray(g.vector("time"));
        INDArray event = Nd4j.createFromArray(g.vector("event"));
        GridHazardLikelihood sum = new GridHazardLikelihood(knots, Reduction.SUM);
        double expected = g.number("nll_sum");
        assertEquals(expected, sum.value(logHz, time, event), 1e-6 * Math.abs(expected));
        double mean = g.number("nll_mean");
        assertEquals(mean, new GridHazardLikelihood(knots, Reduction.MEAN).value(logHz, time, event),
                1e-6 * Math.abs(mean));
        double[][] grad = g.matrix("grad_sum");
        INDArray actual = sum.gradient(logHz, time, event);
        double largest = 0;
        for (double[] row : grad) {
            for (double v : row) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        for (int i = 0; i < grad.length; i++) {
            for (int k = 0; k < knots.length; k++) {
                assertEquals(grad[i][k], actual.getDouble(i, k), 1e-6 * largest, name + " row " + i + " knot " + k);
            }
        }
        double[][] survival = g.matrix("survival");
        INDArray s = sum.survival(logHz, g.vector("survival_times"));
        for (int i = 0; i < survival.length; i++) {
            for (int m = 0; m < survival[i].length; m++) {
                assertEquals(survival[i][m], s.getDouble(i, m), 1e-6 * Math.max(survival[i][m], 1e-30) + 1e-12);
            }
        }
    }

    @Test
    void offTheKnotsTheCumulativeHazardIsTheExactIntegralOfThePiecewiseLinearHazard() {
        double[] eta = {0.3, -1.2, 0.8, 0.1};
        INDArray logHz = Nd4j.createFromArray(new double[][] {eta});
        GridHazardLikelihood g = new GridHazardLikelihood(KNOTS, Reduction.SUM);
        for (double t : new double[] {0.4, 1.0, 1.7, 3.999, 5.5}) {
            // Simpson's rule on a fine grid of the hazard, linear in h between knots
            int steps = 200_000;
            double dt = t / steps;
            double integral = 0;
            for (int s = 0; s <= steps; s++) {
                double w = s == 0 || s == steps ? 1 : s % 2 == 1 ? 4 : 2;
                integral += w * hazard(eta, s * dt);
            }
            integral *= dt / 3;
            double censored = g.value(logHz, Nd4j.createFromArray(t), Nd4j.createFromArray(0.0));
            assertEquals(integral, censored, 1e-9, "H(" + t + ")");
            double withEvent = g.value(logHz, Nd4j.createFromArray(t), Nd4j.createFromArray(1.0));
            assertEquals(integral - Math.log(hazard(eta, t)), withEvent, 1e-9, "event at " + t);
        }
    }

    /** The hazard of one row, written directly from its definition. */
    private static double hazard(double[] eta, double t) {
        if (t >= KNOTS[KNOTS.length - 1]) {
            return Math.exp(eta[eta.length - 1]);
        }
        int j = 0;
        while (t >= KNOTS[j + 1]) {
            j++;
        }
        double u = (t - KNOTS[j]) / (KNOTS[j + 1] - KNOTS[j]);
        return (1 - u) * Math.exp(eta[j]) + u * Math.exp(eta[j + 1]);
    }

    @Test
    void theGradientMatchesCentralDifferences() {
        Random rng = new Random(5);
        int n = 9;
        double[][] eta = new double[n][KNOTS.length];
        double[] time = {0, 0.5, 1, 1.3, 2.5, 3.2, 4, 6, 0.9};
        double[] event = {1, 1, 0, 1, 1, 0, 1, 1, 0};
        for (double[] row : eta) {
            for (int k = 0; k < row.length; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        for (Reduction reduction : Reduction.values()) {
            GridHazardLikelihood g = new GridHazardLikelihood(KNOTS, reduction);
            INDArray t = Nd4j.createFromArray(time);
            INDArray e = Nd4j.createFromArray(event);
            INDArray grad = g.gradient(Nd4j.createFromArray(eta), t, e);
            double h = 1e-6;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < KNOTS.length; k++) {
                    double[][] up = copy(eta);
                    double[][] down = copy(eta);
                    up[i][k] += h;
                    down[i][k] -= h;
                    double numeric = (g.value(Nd4j.createFromArray(up), t, e) - g.value(Nd4j.createFromArray(down), t, e))
                            / (2 * h);
                    assertEquals(numeric, grad.getDouble(i, k), 1e-8, reduction + " row " + i + " knot " + k);
                }
            }
        }
    }

    @Test
    void censoredRowsStillCountInABatchWithoutEvents() {
        GridHazardLikelihood g = new GridHazardLikelihood(KNOTS, Reduction.MEAN);
        INDArray logHz = Nd4j.createFromArray(new double[][] {{0, 0, 0, 0}, {1, 1, 1, 1}});
        double v = g.value(logHz, Nd4j.createFromArray(2.0, 1.0), Nd4j.createFromArray(0.0, 0.0));
        assertEquals((2.0 + Math.E) / 2, v, 1e-15); // H = t h with a constant hazard; torchsurv returns 0 here
    }

    /**
     * The curves of many rows at once (Java arrays, one pass over the knots per row) are the
     * likelihood's own integral: a censored row's loss is exactly \( H(T) \), computed by the
     * per-row kernel; the same additions in the same order, so equal to the last bit.
     */
    @Test
    void cumulativeHazardsOfManyRowsAreTheLikelihoodsIntegral() {
        GridHazardLikelihood g = new GridHazardLikelihood(KNOTS, Reduction.SUM);
        Random rng = new Random(5);
        double[][] eta = new double[6][KNOTS.length];
        for (double[] row : eta) {
            for (int k = 0; k < row.length; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        double[] times = {0, 0.4, 1.0, 1.7, 2.5, 3.999, 4, 5.5};
        double[][] h = g.cumulativeHazard(eta, times);
        INDArray viaNd4j = g.cumulativeHazard(Nd4j.createFromArray(eta), times);
        for (int i = 0; i < eta.length; i++) {
            for (int m = 0; m < times.length; m++) {
                double censored = g.value(Nd4j.createFromArray(new double[][] {eta[i]}),
                        Nd4j.createFromArray(times[m]), Nd4j.createFromArray(0.0));
                assertEquals(censored, h[i][m], "row " + i + " at " + times[m]);
                assertEquals(censored, viaNd4j.getDouble(i, m), "row " + i + " at " + times[m] + " (INDArray)");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> g.cumulativeHazard(new double[][] {{0, 0}}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> g.cumulativeHazard(eta, -1.0));
    }

    @Test
    void largeLogHazardsKeepTheEventTermFiniteAndAnOverflowNamesTheRow() {
        GridHazardLikelihood g = new GridHazardLikelihood(KNOTS, Reduction.SUM);
        // log h(T) between knots with log hazards 700 and -700 (h spans 1e-304..1e304): H is
        // u/2 ((2 - u) e^700 + u e^-700), log h is a log-sum-exp
        INDArray logHz = Nd4j.createFromArray(new double[][] {{700, -700, 0, 0}});
        double t = 1e-305;
        double v = g.value(logHz, Nd4j.createFromArray(t), Nd4j.createFromArray(1.0));
        double h = t / 2 * (2 - t) * Math.exp(700);
        assertEquals(h - (700 + Math.log1p(-t)), v, 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.value(Nd4j.createFromArray(new double[][] {{0, 0, 0, 0}, {800, 800, 800, 800}}),
                        Nd4j.createFromArray(1.0, 2.0), Nd4j.createFromArray(1.0, 1.0)));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }

    @Test
    void badKnotsAndShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GridHazardLikelihood(new double[] {1, 2}, Reduction.SUM));
        assertTrue(e.getMessage().contains("knots[0] must be 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GridHazardLikelihood(new double[] {0, 2, 2}, Reduction.SUM));
        assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
        GridHazardLikelihood g = new GridHazardLikelihood(KNOTS, Reduction.SUM);
        e = assertThrows(IllegalArgumentException.class, () -> g.value(Nd4j.createFromArray(new double[][] {{0, 0}}),
                Nd4j.createFromArray(1.0), Nd4j.createFromArray(1.0)));
        assertTrue(e.getMessage().contains("[n, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.value(Nd4j.createFromArray(new double[][] {{0, 0, 0,
            Double.NaN}}), Nd4j.createFromArray(1.0), Nd4j.createFromArray(1.0)));
        assertTrue(e.getMessage().contains("logHz"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.value(Nd4j.createFromArray(new double[][] {{0, 0, 0,
            0}}), Nd4j.createFromArray(-1.0), Nd4j.createFromArray(1.0)));
        assertTrue(e.getMessage().contains("time"), e.getMessage());
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
