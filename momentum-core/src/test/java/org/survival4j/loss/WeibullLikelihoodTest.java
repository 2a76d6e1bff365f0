package org.survival4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.testing.GoldenData;

/**
 * The Weibull likelihood against R 4.2.2 ({@code dweibull}/{@code pweibull}: per-row negative
 * log-likelihoods and their sum; per-row gradients by central differences in R), and edge cases.
 */
class WeibullLikelihoodTest extends AbstractSurvivalLossContractTest {
    static final double VALUE_TOLERANCE = 1e-9;
    /**
     * R's gradients are central finite differences, accurate to about 1e-8 absolute (golden
     * README), so they are compared with that absolute tolerance plus 1e-7 relative.
     */
    static final double R_GRADIENT_ABSOLUTE = 1e-8;
    static final double GRADIENT_TOLERANCE = 1e-7;
    static final double FLOAT32_TOLERANCE = 1e-4;

    @Override
    ValueAndGradient evaluate(INDArray output, INDArray time, INDArray event, Reduction reduction) {
        return new WeibullLikelihood(reduction).valueAndGradient(output, time, event);
    }

    @Override
    int columns() {
        return 2;
    }

    @Override
    double expectedAllCensoredValue(INDArray output, INDArray time) {
        // every row still contributes its cumulative hazard (t / lambda)^rho
        double sum = 0;
        for (int i = 0; i < time.length(); i++) {
            double rho = Math.exp(output.getDouble(i, 1));
            sum += Math.pow(time.getDouble(i) / Math.exp(output.getDouble(i, 0)), rho);
        }
        return sum;
    }

    @Override
    int meanDenominator(INDArray event) {
        return (int) event.length();
    }

    static Iterable<String> cases() {
        return GoldenData.CASES;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sumMatchesRDweibull(String caseName) {
        GoldenData g = GoldenData.rows(caseName);
        double v = new WeibullLikelihood(Reduction.SUM)
                .value(g.matrix("log_scale", "log_shape"), g.vector("time"), g.vector("event"));
        CoxPartialLikelihoodTest.assertRelative(GoldenData.summary(caseName, "weibull_nll_sum"), v, VALUE_TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void perRowValuesAndGradientsMatchR(String caseName) {
        GoldenData g = GoldenData.rows(caseName);
        INDArray params = g.matrix("log_scale", "log_shape");
        INDArray time = g.vector("time");
        INDArray event = g.vector("event");
        WeibullLikelihood w = new WeibullLikelihood(Reduction.SUM);
        INDArray gradient = w.gradient(params, time, event);
        double[] nll = g.column("weibull_nll");
        double[] dScale = g.column("grad_log_scale");
        double[] dShape = g.column("grad_log_shape");
        for (int i = 0; i < g.rows(); i++) {
            INDArray row = params.getRow(i, true);
            double v = w.value(row, time.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)),
                    event.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)));
            CoxPartialLikelihoodTest.assertRelative(nll[i], v, VALUE_TOLERANCE);
            assertEquals(dScale[i], gradient.getDouble(i, 0), R_GRADIENT_ABSOLUTE + GRADIENT_TOLERANCE * Math.abs(dScale[i]));
            assertEquals(dShape[i], gradient.getDouble(i, 1), R_GRADIENT_ABSOLUTE + GRADIENT_TOLERANCE * Math.abs(dShape[i]));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void javaArrayFormMatchesR(String caseName) {
        GoldenData g = GoldenData.rows(caseName);
        double[] logScale = g.column("log_scale");
        double[] logShape = g.column("log_shape");
        double[][] params = new double[g.rows()][];
        for (int i = 0; i < params.length; i++) {
            params[i] = new double[] {logScale[i], logShape[i]};
        }
        ValueAndGradient r = new WeibullLikelihood(Reduction.SUM)
                .valueAndGradient(params, g.column("time"), g.column("event"), 0);
        CoxPartialLikelihoodTest.assertRelative(GoldenData.summary(caseName, "weibull_nll_sum"), r.value(),
                VALUE_TOLERANCE);
        double[] gradient = r.gradientValues(); // row-major [n, 2]
        double[] dScale = g.column("grad_log_scale");
        double[] dShape = g.column("grad_log_shape");
        for (int i = 0; i < g.rows(); i++) {
            assertEquals(dScale[i], gradient[2 * i], R_GRADIENT_ABSOLUTE + GRADIENT_TOLERANCE * Math.abs(dScale[i]));
            assertEquals(dShape[i], gradient[2 * i + 1], R_GRADIENT_ABSOLUTE + GRADIENT_TOLERANCE * Math.abs(dShape[i]));
        }
        assertArrayEquals(new long[] {g.rows(), 2}, r.gradient().shape());
    }

    /** Finite outputs whose cumulative hazard overflows: 0.1 returned Infinity and infinite gradients. */
    @ParameterizedTest
    @CsvSource({"-700, 1.0986", "0, 50"})
    void anOverflowingCumulativeHazardIsRefusedNamingTheRow(double logScale, double logShape) {
        double[][] logParams = {{0, 0}, {logScale, logShape}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeibullLikelihood(Reduction.MEAN).valueAndGradient(logParams, new double[] {1, 2},
                        new double[] {1, 0}, 0));
        assertTrue(e.getMessage().startsWith("logParams[1] = (log scale " + logScale), e.getMessage());
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
        // large but finite terms are computed
        double value = new WeibullLikelihood(Reduction.SUM).valueAndGradient(new double[][] {{-300, 0}},
                new double[] {2}, new double[] {0}, 0).value();
        assertEquals(2 * Math.exp(300), value, 1e-12 * value);
    }

    @Test
    void checkExponentRefusesWhatAGraphOfLowerPrecisionCannotHold() {
        double[][] logParams = {{0, Math.log(2)}};
        WeibullLikelihood.checkExponent(logParams, new double[] {Math.exp(40)}, 88); // exponent 80
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeibullLikelihood.checkExponent(logParams, new double[] {Math.exp(50)}, 88)); // 100
        assertTrue(e.getMessage().startsWith("logParams[0]"), e.getMessage());
    }

    @Test
    void javaArrayFormRejectsRaggedRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeibullLikelihood(Reduction.SUM).valueAndGradient(new double[][] {{0, 0}, {0}},
                        new double[] {1, 2}, new double[] {1, 0}, 0));
        assertTrue(e.getMessage().startsWith("logParams row 1 has 1 columns"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"lung_sd1", "gbsg_sd1"})
    void float32MatchesRWithinFloatPrecision(String caseName) {
        GoldenData g = GoldenData.rows(caseName);
        double v = new WeibullLikelihood(Reduction.SUM).value(g.matrix("log_scale", "log_shape").castTo(DataType.FLOAT),
                g.vector("time").castTo(DataType.FLOAT), g.vector("event").castTo(DataType.FLOAT));
        CoxPartialLikelihoodTest.assertRelative(GoldenData.summary(caseName, "weibull_nll_sum"), v, FLOAT32_TOLERANCE);
    }

    @Test
    void gradientOnGoldenDataMatchesFiniteDifferences() {
        GoldenData g = GoldenData.rows("lung_sd1");
        WeibullLikelihood w = new WeibullLikelihood(Reduction.MEAN);
        assertGradientMatchesFiniteDifferences(g.matrix("log_scale", "log_shape"),
                o -> w.valueAndGradient(o, g.vector("time"), g.vector("event")));
    }

    @Test
    void oneColumnMeansShapeOne() {
        GoldenData g = GoldenData.rows("lung_sd1");
        INDArray scaleOnly = g.matrix("log_scale");
        INDArray withZeroShape = Nd4j.hstack(scaleOnly, Nd4j.zeros(DataType.DOUBLE, g.rows(), 1));
        WeibullLikelihood w = new WeibullLikelihood(Reduction.MEAN);
        ValueAndGradient one = w.valueAndGradient(scaleOnly, g.vector("time"), g.vector("event"));
        ValueAndGradient two = w.valueAndGradient(withZeroShape, g.vector("time"), g.vector("event"));
        assertEquals(two.value(), one.value(), EXACT);
        assertArrayEquals(new long[] {g.rows(), 1}, one.gradient().shape());
        assertArrayEquals(two.gradient().getColumn(0).toDoubleVector(), one.gradient().toDoubleVector(), EXACT);
    }

    @Test
    void exponentialCaseByHand() {
        // lambda = rho = 1: h = 1, H(t) = t; an event at 2 contributes 2, a censored row at 3 contributes 3
        INDArray params = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        double v = new WeibullLikelihood(Reduction.SUM).value(params, Nd4j.createFromArray(2.0, 3.0),
                Nd4j.createFromArray(1.0, 0.0));
        assertEquals(5.0, v, EXACT);
    }

    @Test
    void censoredAtTimeZeroContributesNothing() {
        INDArray params = Nd4j.createFromArray(new double[][] {{0.4, -0.3}, {1.0, 0.2}});
        WeibullLikelihood w = new WeibullLikelihood(Reduction.SUM);
        ValueAndGradient r = w.valueAndGradient(params, Nd4j.createFromArray(0.0, 0.0), Nd4j.createFromArray(0.0, 0.0));
        assertEquals(0.0, r.value());
        assertArrayEquals(new double[4], r.gradient().data().asDouble());
    }

    @Test
    void eventAtTimeZeroIsFinite() {
        INDArray params = Nd4j.createFromArray(new double[][] {{0.4, -0.3}, {1.0, 0.2}});
        ValueAndGradient r = new WeibullLikelihood(Reduction.MEAN).valueAndGradient(params,
                Nd4j.createFromArray(0.0, 1.5), Nd4j.createFromArray(1.0, 1.0));
        assertTrue(Double.isFinite(r.value()));
        for (double g : r.gradient().data().asDouble()) {
            assertTrue(Double.isFinite(g));
        }
    }

    @Test
    void suffixGradientIsTheTailOfTheFullGradient() {
        GoldenData g = GoldenData.rows("lung_sd1");
        INDArray params = g.matrix("log_scale", "log_shape");
        WeibullLikelihood w = new WeibullLikelihood(Reduction.MEAN);
        ValueAndGradient full = w.valueAndGradient(params, g.vector("time"), g.vector("event"));
        ValueAndGradient tail = w.valueAndGradient(params, g.vector("time"), g.vector("event"), 200);
        assertEquals(full.value(), tail.value());
        assertEquals(full.gradient().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(200, g.rows()),
                org.nd4j.linalg.indexing.NDArrayIndex.all()), tail.gradient());
    }

    @Test
    void rejectsThreeColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeibullLikelihood(Reduction.MEAN).value(Nd4j.zeros(2, 3), Nd4j.ones(2), Nd4j.ones(2)));
        assertTrue(e.getMessage().startsWith("logParams has shape [2, 3]"), e.getMessage());
    }

    @Test
    void rejectsNonFiniteLogShapeNamingColumnAndRow() {
        INDArray params = Nd4j.createFromArray(new double[][] {{0, 0}, {0, Double.NaN}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeibullLikelihood(Reduction.MEAN).value(params, Nd4j.ones(2), Nd4j.ones(2)));
        assertEquals("logParams[1, 1] = NaN: values must be finite", e.getMessage());
    }
}
