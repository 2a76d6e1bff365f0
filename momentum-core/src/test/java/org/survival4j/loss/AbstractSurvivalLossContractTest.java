package org.survival4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.testing.RandomSurvivalData;

/**
 * Checks every survival loss must pass, whatever its formula: permutation invariance, a single
 * event, an all-censored batch, MEAN vs SUM, float vs double, and the analytic gradient against
 * central finite differences in double precision.
 */
abstract class AbstractSurvivalLossContractTest {
    /** Central differences with this step... */
    static final double FD_STEP = 1e-6;
    /** ...agree with the analytic gradient to this relative error (max-norm). */
    static final double FD_TOLERANCE = 1e-5;
    /** float32 inputs are computed in double; the float result is rounded once. */
    static final double FLOAT_TOLERANCE = 1e-6;
    static final double EXACT = 1e-12;

    /** Evaluates the loss with the given reduction; the output has {@link #columns()} columns. */
    abstract ValueAndGradient evaluate(INDArray output, INDArray time, INDArray event, Reduction reduction);

    /** Number of output columns the loss expects. */
    abstract int columns();

    /** The value of a batch whose rows are all censored (documented per loss). */
    double expectedAllCensoredValue(INDArray output, INDArray time) {
        return 0; // the partial likelihoods' no-event rule; losses with a per-row term override this
    }

    /** The count MEAN divides by: the events, for the partial likelihoods; losses averaged over rows override this. */
    int meanDenominator(INDArray event) {
        return (int) event.sumNumber().doubleValue();
    }

    INDArray randomOutput(int n, long seed) {
        Random rng = new Random(seed);
        double[][] out = new double[n][columns()];
        for (double[] row : out) {
            for (int j = 0; j < row.length; j++) {
                row[j] = j == 0 ? rng.nextGaussian() + 1 : 0.3 * rng.nextGaussian();
            }
        }
        return Nd4j.createFromArray(out);
    }

    @Test
    void permutingRowsPermutesTheGradientAndKeepsTheValue() {
        RandomSurvivalData d = RandomSurvivalData.generate(40, 6, 1, 11);
        INDArray out = randomOutput(40, 12);
        ValueAndGradient base = evaluate(out, d.time, d.event, Reduction.SUM);
        int[] perm = permutation(40, 13);
        ValueAndGradient permuted = evaluate(rows(out, perm), rows(d.time, perm), rows(d.event, perm), Reduction.SUM);
        assertEquals(base.value(), permuted.value(), EXACT * Math.abs(base.value()));
        assertArrayEquals(rows(base.gradient(), perm).data().asDouble(), permuted.gradient().data().asDouble(), EXACT);
    }

    @Test
    void singleEventBatchIsFiniteWithFiniteGradient() {
        INDArray out = randomOutput(5, 3);
        INDArray time = Nd4j.createFromArray(3.0, 1.0, 4.0, 2.0, 5.0);
        INDArray event = Nd4j.createFromArray(0.0, 0.0, 1.0, 0.0, 0.0);
        ValueAndGradient r = evaluate(out, time, event, Reduction.MEAN);
        assertTrue(Double.isFinite(r.value()));
        assertEquals(1, r.events());
        for (double g : r.gradient().data().asDouble()) {
            assertTrue(Double.isFinite(g));
        }
    }

    @Test
    void allCensoredBatchGivesTheDocumentedValue() {
        INDArray out = randomOutput(6, 5);
        INDArray time = Nd4j.createFromArray(3.0, 1.0, 4.0, 2.0, 5.0, 5.0);
        INDArray event = Nd4j.zeros(DataType.DOUBLE, 6);
        ValueAndGradient r = evaluate(out, time, event, Reduction.SUM);
        assertEquals(expectedAllCensoredValue(out, time), r.value(), 1e-12);
        assertEquals(0, r.events());
        for (double g : r.gradient().data().asDouble()) {
            assertTrue(Double.isFinite(g));
        }
    }

    @Test
    void meanIsSumDividedByItsCount() {
        RandomSurvivalData d = RandomSurvivalData.generate(30, 5, 1, 21);
        INDArray out = randomOutput(30, 22);
        ValueAndGradient sum = evaluate(out, d.time, d.event, Reduction.SUM);
        ValueAndGradient mean = evaluate(out, d.time, d.event, Reduction.MEAN);
        double count = meanDenominator(d.event);
        assertEquals(sum.value() / count, mean.value(), EXACT);
        assertArrayEquals(sum.gradient().div(count).data().asDouble(), mean.gradient().data().asDouble(), EXACT);
    }

    @Test
    void floatInputGivesFloatGradientCloseToDouble() {
        RandomSurvivalData d = RandomSurvivalData.generate(30, 5, 1, 31);
        INDArray out = randomOutput(30, 32);
        ValueAndGradient dbl = evaluate(out, d.time, d.event, Reduction.MEAN);
        ValueAndGradient flt = evaluate(out.castTo(DataType.FLOAT), d.time.castTo(DataType.FLOAT),
                d.event.castTo(DataType.FLOAT), Reduction.MEAN);
        assertEquals(DataType.FLOAT, flt.gradient().dataType());
        assertEquals(dbl.value(), flt.value(), FLOAT_TOLERANCE * Math.abs(dbl.value()));
        assertArrayEquals(dbl.gradient().data().asDouble(), flt.gradient().data().asDouble(), FLOAT_TOLERANCE);
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        RandomSurvivalData d = RandomSurvivalData.generate(25, 4, 1, 41);
        INDArray out = randomOutput(25, 42);
        assertGradientMatchesFiniteDifferences(out, (o) -> evaluate(o, d.time, d.event, Reduction.SUM));
    }

    interface Loss {
        ValueAndGradient apply(INDArray output);
    }

    /** Central differences of {@code loss} at {@code out} vs its analytic gradient. */
    static void assertGradientMatchesFiniteDifferences(INDArray out, Loss loss) {
        double[] analytic = loss.apply(out).gradient().data().asDouble();
        double[] numeric = new double[analytic.length];
        for (int i = 0; i < numeric.length; i++) {
            INDArray plus = out.dup();
            INDArray minus = out.dup();
            plus.data().put(i, plus.data().getDouble(i) + FD_STEP);
            minus.data().put(i, minus.data().getDouble(i) - FD_STEP);
            numeric[i] = (loss.apply(plus).value() - loss.apply(minus).value()) / (2 * FD_STEP);
        }
        double scale = 0;
        for (double g : analytic) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertArrayEquals(numeric, analytic, FD_TOLERANCE * Math.max(scale, 1));
    }

    static int[] permutation(int n, long seed) {
        Random rng = new Random(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Rows {@code perm} of a vector or matrix, as a new array. */
    static INDArray rows(INDArray a, int[] perm) {
        return a.rank() == 1 ? Nd4j.createFromArray(pick(a.toDoubleVector(), perm)).castTo(a.dataType())
                : Nd4j.pullRows(a, 1, perm);
    }

    static double[] pick(double[] v, int[] perm) {
        double[] out = new double[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = v[perm[i]];
        }
        return out;
    }
}
