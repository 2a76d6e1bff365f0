package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.survival4j.samediff.GraphResult.assertClose;
import static org.survival4j.samediff.GraphResult.labels;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.testing.DoublePrecision;
import org.survival4j.testing.GridGolden;

/**
 * {@link SameDiffGridHazardLoss} against torchsurv's values on the knots ({@code golden/grid}) and
 * against the closed-form {@link GridHazardLikelihood} off the knots (itself checked against
 * quadrature and finite differences).
 */
@ExtendWith(DoublePrecision.class)
class SameDiffGridHazardLossTest {
    private static final double[] KNOTS = {0, 1, 2.5, 4};
    private static GraphResult graph(SameDiffGridHazardLoss loss, INDArray logHz, INDArray labels) {
        return GraphResult.of(logHz, (sd, x) -> loss.negativeLogLikelihood(sd, x, labels));
    }

    private static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    @ParameterizedTest
    @MethodSource("org.survival4j.testing.GridGolden#cases")
    void onTheKnotsItEqualsTorchsurv(String name) {
        GridGolden g = GridGolden.load(name);
        double[] knots = g.vector("knots");
        INDArray logHz = Nd4j.createFromArray(g.matrix("log_hz"));
        INDArray labels = labels(Nd4j.createFromArray(g.vector("time")), Nd4j.createFromArray(g.vector("event")));
        GraphResult sum = graph(new SameDiffGridHazardLoss(knots, Reduction.SUM), logHz, labels);
        double expected = g.number("nll_sum");
        assertClose(expected, sum.value, 1e-6, 0, name + " sum"); // torchsurv computed in float32
        GraphResult mean = graph(new SameDiffGridHazardLoss(knots, Reduction.MEAN), logHz, labels);
        assertClose(g.number("nll_mean"), mean.value, 1e-6, 0, name + " mean");
        double[][] grad = g.matrix("grad_sum");
        double largest = 0;
        for (double[] row : grad) {
            for (double v : row) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        assertClose(flat(Nd4j.createFromArray(grad)), sum.gradient, 0, 1e-6 * largest, name + " gradient");
    }

    /** Times before, on, between and after the knots, at 0, censored and not; large and small log hazards. */
    @ParameterizedTest
    @EnumSource(Reduction.class)
    void offTheKnotsItEqualsTheClosedForm(Reduction reduction) {
        Random rng = new Random(11);
        int n = 40;
        double[][] eta = new double[n][KNOTS.length];
        double[] time = new double[n];
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < KNOTS.length; k++) {
                eta[i][k] = 3 * rng.nextGaussian();
            }
            time[i] = i < 4 ? KNOTS[i] : i == 4 ? 0 : 6 * rng.nextDouble();
            event[i] = rng.nextInt(2);
        }
        eta[5][3] = 300; // a knot row 5 may not reach: must not make inf * 0
        time[5] = 0.5;
        INDArray logHz = Nd4j.createFromArray(eta);
        INDArray t = Nd4j.createFromArray(time);
        INDArray e = Nd4j.createFromArray(event);
        GridHazardLikelihood kernel = new GridHazardLikelihood(KNOTS, reduction);
        GraphResult graph = graph(new SameDiffGridHazardLoss(KNOTS, reduction), logHz, labels(t, e));
        assertClose(kernel.value(logHz, t, e), graph.value, 1e-12, 0, "value");
        assertClose(flat(kernel.gradient(logHz, t, e)), graph.gradient, 1e-10, 1e-12, "gradient");
    }

    @Test
    void oneKnotIsTheExponentialModelAndFloatIsClose() {
        INDArray logHz = Nd4j.createFromArray(new double[][] {{0.2}, {-0.7}, {1.1}});
        INDArray t = Nd4j.createFromArray(0.5, 2.0, 3.0);
        INDArray e = Nd4j.createFromArray(1.0, 0.0, 1.0);
        GridHazardLikelihood kernel = new GridHazardLikelihood(new double[] {0}, Reduction.SUM);
        GraphResult graph = graph(new SameDiffGridHazardLoss(new double[] {0}, Reduction.SUM), logHz, labels(t, e));
        assertClose(kernel.value(logHz, t, e), graph.value, 1e-12, 0, "value");
        assertClose(flat(kernel.gradient(logHz, t, e)), graph.gradient, 1e-12, 1e-14, "gradient");

        INDArray wide = Nd4j.rand(DataType.DOUBLE, 30, KNOTS.length).subi(0.5);
        INDArray times = Nd4j.rand(DataType.DOUBLE, 30).muli(5);
        INDArray events = Nd4j.rand(DataType.DOUBLE, 30).gt(0.4).castTo(DataType.DOUBLE);
        GraphResult single = graph(new SameDiffGridHazardLoss(KNOTS, Reduction.MEAN), wide.castTo(DataType.FLOAT),
                labels(times, events));
        GridHazardLikelihood mean = new GridHazardLikelihood(KNOTS, Reduction.MEAN);
        assertClose(mean.value(wide, times, events), single.value, 1e-5, 0, "float value");
        assertClose(flat(mean.gradient(wide, times, events)), single.gradient, 1e-4, 1e-6, "float gradient");
    }

    @Test
    void placeholderLabelsFollowTheFeedAndTheDocumentedExampleHolds() {
        SameDiff sd = SameDiff.create();
        SDVariable logHz = sd.var("logHz", Nd4j.createFromArray(new double[][] {{0, 0, 0}}));
        SDVariable loss = new SameDiffGridHazardLoss(new double[] {0, 1, 2}, Reduction.SUM)
                .negativeLogLikelihood(sd, logHz, Nd4j.createFromArray(new double[][] {{1.5, 1.0}}));
        assertEquals(1.5, loss.eval().getDouble(0), 1e-12);

        SameDiff fed = SameDiff.create();
        SDVariable x = fed.var("x", Nd4j.createFromArray(new double[][] {{0.1, 0.4, -0.3, 0.0}}));
        SDVariable labels = fed.placeHolder("labels", DataType.DOUBLE, -1, 2);
        SDVariable nll = new SameDiffGridHazardLoss(KNOTS, Reduction.SUM).negativeLogLikelihood(fed, x, labels);
        nll.markAsLoss();
        GradientFunction.createQuietly(fed);
        GridHazardLikelihood kernel = new GridHazardLikelihood(KNOTS, Reduction.SUM);
        for (double time : new double[] {0.7, 3.1, 9.0}) {
            INDArray l = Nd4j.createFromArray(new double[][] {{time, 1}});
            INDArray g = fed.calculateGradients(Map.of("labels", l), "x").get("x");
            assertClose(flat(kernel.gradient(x.getArr(), l.getColumn(0), l.getColumn(1))), flat(g), 1e-12, 1e-14,
                    "time " + time);
        }
    }

    @Test
    void badKnotsAndWidthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SameDiffGridHazardLoss(new double[] {1, 2},
                Reduction.SUM));
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SameDiffGridHazardLoss(KNOTS, Reduction.SUM).negativeLogLikelihood(sd, x,
                        Nd4j.createFromArray(new double[][] {{1, 1}, {2, 0}})));
        assertTrue(e.getMessage().contains("3 columns; this loss has 4 knots"), e.getMessage());
    }

}
