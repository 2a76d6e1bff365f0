package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.survival4j.samediff.GraphResult.assertClose;
import static org.survival4j.samediff.GraphResult.labels;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.WeibullLikelihood;
import org.survival4j.testing.DoublePrecision;
import org.survival4j.testing.GoldenData;

/**
 * {@link SameDiffWeibullLoss} against the closed-form {@link WeibullLikelihood} and against R 4.2.2
 * ({@code dweibull}/{@code pweibull}, see the golden README).
 */
@ExtendWith(DoublePrecision.class)
class SameDiffWeibullLossTest {
    /** Values in double: the same per-row formula as the kernel, summed over a few hundred rows. */
    private static final double VALUE_REL = 1e-9;
    /** Gradients in double against the kernel's analytic gradient, relative part. */
    private static final double GRADIENT_REL = 1e-9;
    /** Absolute part: entries such as {@code rho z (H - delta)} can cancel to about 0. */
    private static final double GRADIENT_ABS = 1e-12;
    /**
     * Against R's per-row gradients, which are central finite differences with about 1e-8 absolute
     * accuracy (golden README): a tight relative tolerance would test R's step size, not our gradient.
     */
    private static final double R_GRADIENT_ABS = 1e-8;
    /**
     * The finite-difference error (rounding, about eps |f| / h, plus truncation, about h^2 |f'''|)
     * grows with the size of the row's terms: the lung_sd1 row with a gradient of -44 is off by
     * 1.005e-8. So large entries also get a small relative allowance.
     */
    private static final double R_GRADIENT_REL = 1e-9;
    /** float32 on the sd1 cases, relative part. */
    private static final double FLOAT_REL = 1e-4;
    /** float32 gradients, absolute part (the same cancellation with float rounding). */
    private static final double FLOAT_ABS = 1e-5;

    static Stream<Arguments> goldenCasesAndReductions() {
        return GoldenData.CASES.stream().flatMap(c -> Stream.of(Reduction.values()).map(r -> Arguments.of(c, r)));
    }

    @ParameterizedTest
    @MethodSource("goldenCasesAndReductions")
    void valueAndGradientMatchKernelOnGoldenCases(String caseName, Reduction reduction) {
        GoldenData rows = GoldenData.rows(caseName);
        INDArray time = rows.vector("time");
        INDArray event = rows.vector("event");
        WeibullLikelihood kernel = new WeibullLikelihood(reduction);
        for (SameDiffWeibullLoss loss : new SameDiffWeibullLoss[] {new SameDiffWeibullLoss(reduction),
                SameDiffWeibullLoss.exponential(reduction)}) {
            INDArray logParams = loss.parameterColumns() == 2 ? rows.matrix("log_scale", "log_shape")
                    : rows.matrix("log_scale");
            GraphResult graph = weibull(loss, logParams, labels(time, event));
            String what = loss + " ";
            assertClose(kernel.value(logParams, time, event), graph.value, VALUE_REL, 0, what + "value");
            assertClose(flat(kernel.gradient(logParams, time, event)), graph.gradient, GRADIENT_REL, GRADIENT_ABS,
                    what + "gradient");
        }
    }

    @ParameterizedTest
    @MethodSource("goldenCasesAndReductions")
    void valueAndGradientMatchR(String caseName, Reduction reduction) {
        GoldenData rows = GoldenData.rows(caseName);
        INDArray labels = labels(rows.vector("time"), rows.vector("event"));
        GraphResult graph = weibull(new SameDiffWeibullLoss(reduction), rows.matrix("log_scale", "log_shape"), labels);
        double scale = reduction == Reduction.MEAN ? 1.0 / rows.rows() : 1.0;

        assertClose(GoldenData.summary(caseName, "weibull_nll_sum") * scale, graph.value, VALUE_REL, 0, "value");
        double[] perRow = rows.column("weibull_nll");
        double sum = 0;
        for (double v : perRow) {
            sum += v;
        }
        assertClose(sum * scale, graph.value, VALUE_REL, 0, "value vs sum of weibull_nll");
        double[] expected = flat(rows.matrix("grad_log_scale", "grad_log_shape").mul(scale));
        assertClose(expected, graph.gradient, R_GRADIENT_REL, R_GRADIENT_ABS * scale, "gradient");
    }

    static Stream<Arguments> sd1CasesAndReductions() {
        return goldenCasesAndReductions().filter(a -> ((String) a.get()[0]).endsWith("sd1"));
    }

    @ParameterizedTest
    @MethodSource("sd1CasesAndReductions")
    void floatMatchesKernelOnSd1Cases(String caseName, Reduction reduction) {
        GoldenData rows = GoldenData.rows(caseName);
        INDArray time = rows.vector("time");
        INDArray event = rows.vector("event");
        INDArray logParams = rows.matrix("log_scale", "log_shape");
        WeibullLikelihood kernel = new WeibullLikelihood(reduction);
        GraphResult graph = weibull(new SameDiffWeibullLoss(reduction), logParams.castTo(DataType.FLOAT),
                labels(time, event));
        assertClose(kernel.value(logParams, time, event), graph.value, FLOAT_REL, 0, "value");
        assertClose(flat(kernel.gradient(logParams, time, event)), graph.gradient, FLOAT_REL, FLOAT_ABS, "gradient");
    }

    @Test
    void censoredAtTimeZeroContributesNothingAndEventAtZeroIsFloored() {
        // Large parameters make exp(rho z) overflow at the floor if the censored row were evaluated.
        INDArray logParams = Nd4j.createFromArray(new double[][] {{-30, 5}, {0.5, 0.2}, {1.0, -0.3}});
        INDArray time = Nd4j.createFromArray(0.0, 0.0, 3.0);
        INDArray event = Nd4j.createFromArray(0.0, 1.0, 0.0);
        WeibullLikelihood kernel = new WeibullLikelihood(Reduction.SUM);
        GraphResult graph = weibull(new SameDiffWeibullLoss(Reduction.SUM), logParams, labels(time, event));
        assertTrue(Double.isFinite(graph.value), "finite value");
        assertClose(kernel.value(logParams, time, event), graph.value, VALUE_REL, 0, "value");
        double[] expected = flat(kernel.gradient(logParams, time, event));
        assertClose(expected, graph.gradient, GRADIENT_REL, GRADIENT_ABS, "gradient");
        assertEquals(0.0, graph.gradient[0], 0.0);
        assertEquals(0.0, graph.gradient[1], 0.0);
    }

    @Test
    void vectorLogScaleIsTheExponentialModel() {
        INDArray logScale = Nd4j.createFromArray(0.2, -0.4, 1.5);
        INDArray time = Nd4j.createFromArray(1.0, 0.5, 4.0);
        INDArray event = Nd4j.createFromArray(1.0, 0.0, 1.0);
        GraphResult graph = weibull(SameDiffWeibullLoss.exponential(Reduction.MEAN), logScale, labels(time, event));
        WeibullLikelihood kernel = new WeibullLikelihood(Reduction.MEAN);
        assertClose(kernel.value(logScale, time, event), graph.value, VALUE_REL, 0, "value");
        assertClose(kernel.gradient(logScale, time, event).toDoubleVector(), graph.gradient, GRADIENT_REL,
                GRADIENT_ABS, "gradient");
    }

    @Test
    void opOutputWithoutStaticShapeWorks() {
        // Outputs of ops have no static shape in M2.1, so the loss cannot read the number of columns.
        GoldenData rows = GoldenData.rows("lung_sd1");
        INDArray logParams = rows.matrix("log_scale", "log_shape");
        INDArray time = rows.vector("time");
        INDArray event = rows.vector("event");
        SameDiffWeibullLoss loss = new SameDiffWeibullLoss(Reduction.SUM);
        GraphResult graph = GraphResult.of(logParams,
                (sd, x) -> loss.negativeLogLikelihood(sd, x.mul(1.0), labels(time, event)));
        WeibullLikelihood kernel = new WeibullLikelihood(Reduction.SUM);
        assertClose(kernel.value(logParams, time, event), graph.value, VALUE_REL, 0, "value");
        assertClose(flat(kernel.gradient(logParams, time, event)), graph.gradient, GRADIENT_REL, GRADIENT_ABS,
                "gradient");
    }

    @Test
    void rejectsOutputWithTheWrongNumberOfColumns() {
        SameDiff sd = SameDiff.create();
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 1}, {2, 0}});
        SDVariable two = sd.var("two", Nd4j.zeros(DataType.DOUBLE, 2, 2));
        SDVariable one = sd.var("one", Nd4j.zeros(DataType.DOUBLE, 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> SameDiffWeibullLoss.exponential(Reduction.SUM).negativeLogLikelihood(sd, two, labels));
        assertThrows(IllegalArgumentException.class,
                () -> new SameDiffWeibullLoss(Reduction.SUM).negativeLogLikelihood(sd, one, labels));
    }

    @Test
    void javadocExampleGivesDocumentedValue() {
        SameDiff sd = SameDiff.create();
        SDVariable logParams = sd.var("logParams", Nd4j.createFromArray(new double[][] {{0.0, 0.0}}));
        INDArray labels = Nd4j.createFromArray(new double[][] {{2.0, 1.0}});
        SDVariable loss = new SameDiffWeibullLoss(Reduction.SUM).negativeLogLikelihood(sd, logParams, labels);
        assertEquals(2.0, loss.eval().getDouble(0), 1e-15);
    }

    @Test
    void fixedLabelsAreCopiedNotAliased() {
        SameDiff sd = SameDiff.create();
        SDVariable logParams = sd.var("logParams", Nd4j.createFromArray(new double[][] {{0.0, 0.0}}));
        INDArray labels = Nd4j.createFromArray(new double[][] {{2.0, 1.0}}); // same type as logParams
        SDVariable loss = new SameDiffWeibullLoss(Reduction.SUM).negativeLogLikelihood(sd, logParams, labels);
        labels.putScalar(0, 0, 5.0); // the caller reuses its array
        assertEquals(2.0, loss.eval().getDouble(0), 1e-15); // exponential, lambda 1, t 2: -log f = t
    }

    @Test
    void placeholderLabelsFollowTheFeed() {
        SameDiff sd = SameDiff.create();
        SDVariable logParams = sd.var("logParams", Nd4j.createFromArray(new double[][] {{0.3, 0.1}, {1.2, -0.5}}));
        SDVariable labels = sd.placeHolder("labels", DataType.DOUBLE, -1, 2);
        SDVariable loss = new SameDiffWeibullLoss(Reduction.SUM).negativeLogLikelihood(sd, logParams, labels);
        loss.markAsLoss();
        GradientFunction.createQuietly(sd);
        WeibullLikelihood kernel = new WeibullLikelihood(Reduction.SUM);
        for (double[][] l : new double[][][] {{{1.0, 1.0}, {2.0, 0.0}}, {{0.0, 0.0}, {3.0, 1.0}}}) {
            INDArray fed = Nd4j.createFromArray(l);
            Map<String, INDArray> feed = Map.of("labels", fed);
            double value = sd.output(feed, loss.name()).get(loss.name()).getDouble(0);
            INDArray gradient = sd.calculateGradients(feed, "logParams").get("logParams");
            INDArray p = logParams.getArr();
            assertClose(kernel.value(p, fed.getColumn(0), fed.getColumn(1)), value, VALUE_REL, 0, "value");
            assertClose(flat(kernel.gradient(p, fed.getColumn(0), fed.getColumn(1))), flat(gradient), GRADIENT_REL,
                    GRADIENT_ABS, "gradient");
        }
    }

    @Test
    void rejectsBadLabels() {
        SameDiff sd = SameDiff.create();
        SDVariable logParams = sd.var("logParams", Nd4j.zeros(DataType.DOUBLE, 2, 2));
        SameDiffWeibullLoss loss = new SameDiffWeibullLoss(Reduction.SUM);
        assertThrows(IllegalArgumentException.class, () -> loss.negativeLogLikelihood(sd, logParams,
                Nd4j.createFromArray(new double[][] {{1, 1}, {Double.NaN, 0}})));
        assertThrows(IllegalArgumentException.class, () -> loss.negativeLogLikelihood(sd, logParams,
                Nd4j.createFromArray(new double[][] {{1, 0.5}, {1, 0}})));
        assertThrows(IllegalArgumentException.class, () -> loss.negativeLogLikelihood(sd, logParams,
                Nd4j.createFromArray(new double[][] {{1, 1}})));
    }

    private static GraphResult weibull(SameDiffWeibullLoss loss, INDArray logParams, INDArray labels) {
        return GraphResult.of(logParams, (sd, x) -> loss.negativeLogLikelihood(sd, x, labels));
    }

    private static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }
}
