package org.survival4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DeepHit against a direct implementation of the paper's loss (Lee et al. 2018, eq. for L1 and L2,
 * with pycox's "after the grid" cell, tie rule and normalisation), its analytic gradient against
 * finite differences, and the contract of every loss (there with one cause and the grid index
 * {@code time - 1}).
 */
class DeepHitTest extends AbstractSurvivalLossContractTest {
    /** The direct formula and the kernel sum the same terms in another order: 1e-12 relative. */
    static final double DIRECT = 1e-12;
    private static final int GRID = 6;

    @Override
    ValueAndGradient evaluate(INDArray output, INDArray time, INDArray event, Reduction reduction) {
        return new DeepHit(1, 0.3, 0.5, reduction).valueAndGradient(output, time.sub(1), event);
    }

    @Override
    int columns() {
        return GRID; // the contract's times are 1..6 at most
    }

    @Override
    double expectedAllCensoredValue(INDArray output, INDArray time) {
        // no ranking pair: alpha times the likelihood summed over the rows
        return 0.3 * direct(rows(output), index(time), new int[(int) time.length()], 1, 0.3, 0.5)[0] * time.length();
    }

    @Override
    int meanDenominator(INDArray event) {
        return (int) event.length(); // MEAN is over rows
    }

    /**
     * The paper's L1 (one minus the summed incidences for a censored row) and L2 (the double sum of
     * exp(-(F_i - F_j) / sigma) over acceptable pairs), written from the definitions with an
     * explicit softmax: returns {L1 / n, L2 / n^2}.
     */
    static double[] direct(double[][] z, int[] g, int[] c, int causes, double alpha, double sigma) {
        int n = z.length;
        int grid = z[0].length / causes;
        double[][][] pmf = new double[n][causes][grid];
        for (int i = 0; i < n; i++) {
            double total = 1; // the "after the grid" cell, logit 0
            for (double v : z[i]) {
                total += Math.exp(v);
            }
            for (int k = 0; k < causes; k++) {
                for (int t = 0; t < grid; t++) {
                    pmf[i][k][t] = Math.exp(z[i][k * grid + t]) / total;
                }
            }
        }
        double l1 = 0;
        for (int i = 0; i < n; i++) {
            if (c[i] > 0) {
                l1 -= Math.log(pmf[i][c[i] - 1][g[i]]);
            } else {
                double incidence = 0;
                for (int k = 0; k < causes; k++) {
                    for (int t = 0; t <= g[i]; t++) {
                        incidence += pmf[i][k][t];
                    }
                }
                l1 -= Math.log(1 - incidence);
            }
        }
        double l2 = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean acceptable = c[i] != 0 && (g[i] < g[j] || (g[i] == g[j] && c[j] == 0));
                if (acceptable) {
                    double fi = 0;
                    double fj = 0;
                    for (int t = 0; t <= g[i]; t++) {
                        fi += pmf[i][c[i] - 1][t];
                        fj += pmf[j][c[i] - 1][t];
                    }
                    l2 += Math.exp(-(fi - fj) / sigma);
                }
            }
        }
        return new double[] {l1 / n, l2 / ((double) n * n)};
    }

    private static double[][] rows(INDArray a) {
        return org.survival4j.data.NDArrays.rows(a);
    }

    private static int[] index(INDArray time) {
        return Arrays.stream(time.toDoubleVector()).mapToInt(t -> (int) t - 1).toArray();
    }

    private static double[][] randomLogits(Random rng, int n, int cells) {
        double[][] z = new double[n][cells];
        for (double[] row : z) {
            for (int m = 0; m < cells; m++) {
                row[m] = rng.nextGaussian();
            }
        }
        return z;
    }

    @ParameterizedTest(name = "K = {0}, G = {1}, alpha = {2}, sigma = {3}")
    @CsvSource({"1, 5, 0.2, 0.1", "2, 4, 0.2, 0.1", "3, 7, 0.5, 1.0", "2, 1, 1.0, 0.3", "2, 6, 0.0, 0.05"})
    void matchesADirectImplementationOfThePaper(int causes, int grid, double alpha, double sigma) {
        Random rng = new Random(causes * 31L + grid);
        int n = 60;
        double[][] z = randomLogits(rng, n, causes * grid);
        int[] g = new int[n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            g[i] = rng.nextInt(grid); // many ties
            c[i] = rng.nextInt(causes + 1);
        }
        double[] parts = direct(z, g, c, causes, alpha, sigma);
        double expectedMean = alpha * parts[0] + (1 - alpha) * parts[1];
        INDArray logits = Nd4j.createFromArray(z);
        INDArray index = Nd4j.createFromArray(Arrays.stream(g).asDoubleStream().toArray());
        INDArray cause = Nd4j.createFromArray(Arrays.stream(c).asDoubleStream().toArray());
        double mean = new DeepHit(causes, alpha, sigma, Reduction.MEAN).value(logits, index, cause);
        double sum = new DeepHit(causes, alpha, sigma, Reduction.SUM).value(logits, index, cause);
        assertEquals(expectedMean, mean, DIRECT * expectedMean);
        assertEquals(n * expectedMean, sum, DIRECT * n * expectedMean);
        if (alpha > 0) {
            // the paper's weighting L1 + alpha' L2 is the same objective over alpha: alpha' = (1 - alpha) / alpha
            double paper = parts[0] + (1 - alpha) / alpha * parts[1];
            assertEquals(paper, mean / alpha, DIRECT * paper);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesWithSeveralCausesAndTies() {
        Random rng = new Random(23);
        int n = 30;
        int causes = 3;
        int grid = 4;
        double[] g = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = rng.nextInt(grid);
            c[i] = rng.nextInt(causes + 1);
        }
        INDArray logits = Nd4j.createFromArray(randomLogits(rng, n, causes * grid));
        for (double sigma : new double[] {0.1, 1.0}) {
            DeepHit loss = new DeepHit(causes, 0.4, sigma, Reduction.SUM);
            assertGradientMatchesFiniteDifferences(logits, o -> loss.valueAndGradient(o, Nd4j.createFromArray(g),
                    Nd4j.createFromArray(c)));
        }
    }

    @Test
    void javadocExampleByHand() {
        DeepHit loss = new DeepHit(2, 0.2, 0.1, Reduction.MEAN);
        INDArray logits = Nd4j.zeros(DataType.DOUBLE, 3, 2 * 4);
        double v = loss.value(logits, Nd4j.createFromArray(0.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 0.0, 2.0));
        double l1 = (Math.log(9) + Math.log(3) + Math.log(9)) / 3;
        assertEquals(0.2 * l1 + 0.8 * 2 / 9, v, 1e-15);
        assertEquals(0.5439819, v, 1e-7);
    }

    @Test
    void hugeLogitsKeepTheLikelihoodFinite() {
        // the censored row's survival is e^-1000 of the mass: 1 - sum F underflows, its log does not
        double[][] z = {{1000, 0, 0, 0}, {0, 0, 0, 0}};
        DeepHit loss = new DeepHit(1, 1.0, 0.1, Reduction.SUM);
        ValueAndGradient vg = loss.valueAndGradient(Nd4j.createFromArray(z), Nd4j.createFromArray(1.0, 0.0),
                Nd4j.createFromArray(0.0, 1.0));
        double expectedRow0 = 1000 + Math.log1p(4 * Math.exp(-1000)) - Math.log(3); // log(total) - log(beyond)
        double expectedRow1 = Math.log(5);
        assertEquals(expectedRow0 + expectedRow1, vg.value(), 1e-12 * vg.value());
        for (double v : vg.gradientValues()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void suffixGradientIsTheTailOfTheFullGradient() {
        Random rng = new Random(3);
        double[][] z = randomLogits(rng, 20, 2 * 3);
        double[] g = new double[20];
        double[] c = new double[20];
        for (int i = 0; i < 20; i++) {
            g[i] = rng.nextInt(3);
            c[i] = rng.nextInt(3);
        }
        DeepHit loss = new DeepHit(2, 0.2, 0.1, Reduction.MEAN);
        ValueAndGradient all = loss.valueAndGradient(z, g, c, 0);
        ValueAndGradient tail = loss.valueAndGradient(z, g, c, 12);
        assertEquals(all.value(), tail.value(), 0);
        double[] full = all.gradientValues();
        assertArrayEquals(Arrays.copyOfRange(full, 12 * 6, full.length), tail.gradientValues(), 0);
        assertArrayEquals(new long[] {8, 6}, tail.gradient().shape());
    }

    @Test
    void cumulativeIncidenceIsTheRunningSumOfTheSoftmax() {
        DeepHit loss = new DeepHit(2, 0.2, 0.1, Reduction.MEAN);
        INDArray logits = Nd4j.createFromArray(new double[][] {{0, 1, 0, 2}});
        double total = 1 + 1 + Math.E + 1 + Math.exp(2);
        assertArrayEquals(new double[] {1 / total, (1 + Math.E) / total},
                loss.cumulativeIncidence(logits, 1).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {1 / total, (1 + Math.exp(2)) / total},
                loss.cumulativeIncidence(logits, 2).toDoubleVector(), 1e-15);
    }

    @Test
    void rejectsBadLabelsAndShapes() {
        DeepHit loss = new DeepHit(2, 0.2, 0.1, Reduction.MEAN);
        INDArray logits = Nd4j.zeros(DataType.DOUBLE, 2, 6);
        IllegalArgumentException index = assertThrows(IllegalArgumentException.class,
                () -> loss.value(logits, Nd4j.createFromArray(0.0, 3.0), Nd4j.createFromArray(1.0, 0.0)));
        assertEquals("gridIndex[1] = 3.0: grid indices must be whole numbers from 0 to 2", index.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> loss.value(Nd4j.zeros(DataType.DOUBLE, 2, 5), Nd4j.createFromArray(0.0, 1.0),
                        Nd4j.createFromArray(1.0, 0.0)));
        assertTrue(shape.getMessage().startsWith("logits has shape [2, 5]: expected [n, K * G]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeepHit(2, 1.5, 0.1, Reduction.MEAN));
        assertThrows(IllegalArgumentException.class, () -> new DeepHit(2, 0.5, 0, Reduction.MEAN));
    }
}
