package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.survival4j.samediff.GraphResult.assertClose;
import static org.survival4j.samediff.GraphResult.labels;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.TimeGroups;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.testing.DoublePrecision;
import org.survival4j.testing.GoldenData;
import org.survival4j.testing.RandomSurvivalData;

/**
 * {@link SameDiffCoxLoss} against the closed-form kernel {@link CoxPartialLikelihood} and against R
 * (survival 3.5.3 {@code coxph} with the log hazards as offset, see the golden README).
 */
@ExtendWith(DoublePrecision.class)
class SameDiffCoxLossTest {
    /** Values in double: both sides sum a few hundred logs, so they agree to ~1e-13; 1e-9 leaves room. */
    private static final double VALUE_REL = 1e-9;
    /** Gradients in double, relative part. */
    private static final double GRADIENT_REL = 1e-9;
    /**
     * Gradients in double, absolute part. Entry i is {@code -delta_i + e^eta_i * sum_k A_k - ...}: a
     * difference of terms of size up to about 1 (SUM) that can cancel to almost 0 (an event row with a
     * large hazard), so rounding leaves an absolute error of a few 1e-16 rather than a relative one.
     */
    private static final double GRADIENT_ABS = 1e-12;
    /** float32 on the sd1 cases, value and gradient, relative part. */
    private static final double FLOAT_REL = 1e-4;
    /** float32 gradients, absolute part: the same cancellation with float rounding (~6e-8 per op). */
    private static final double FLOAT_ABS = 1e-5;

    static Stream<Arguments> goldenCasesAndOptions() {
        return GoldenData.CASES.stream().flatMap(c -> Stream.of(Ties.values()).flatMap(
                t -> Stream.of(Reduction.values()).map(r -> Arguments.of(c, t, r))));
    }

    @ParameterizedTest
    @MethodSource("goldenCasesAndOptions")
    void valueAndGradientMatchKernelOnGoldenCases(String caseName, Ties ties, Reduction reduction) {
        GoldenData rows = GoldenData.rows(caseName);
        INDArray logHz = rows.vector("log_hz");
        INDArray time = rows.vector("time");
        INDArray event = rows.vector("event");
        GraphResult graph = cox(new SameDiffCoxLoss(ties, reduction), logHz, labels(time, event), null);
        CoxPartialLikelihood kernel = new CoxPartialLikelihood(ties, reduction);

        assertClose(kernel.value(logHz, time, event), graph.value, VALUE_REL, 0, "value");
        assertClose(kernel.gradient(logHz, time, event).toDoubleVector(), graph.gradient, GRADIENT_REL,
                GRADIENT_ABS, "gradient");
    }

    @ParameterizedTest
    @MethodSource("goldenCasesAndOptions")
    void valueAndGradientMatchRCoxph(String caseName, Ties ties, Reduction reduction) {
        GoldenData rows = GoldenData.rows(caseName);
        INDArray labels = labels(rows.vector("time"), rows.vector("event"));
        GraphResult graph = cox(new SameDiffCoxLoss(ties, reduction), rows.vector("log_hz"), labels, null);
        String suffix = ties == Ties.EFRON ? "efron" : "breslow";
        double scale = reduction == Reduction.MEAN ? 1.0 / GoldenData.summary(caseName, "events") : 1.0;

        assertClose(GoldenData.summary(caseName, "nll_" + suffix + "_sum") * scale, graph.value, VALUE_REL, 0,
                "value");
        double[] expected = rows.column("grad_" + suffix);
        for (int i = 0; i < expected.length; i++) {
            expected[i] *= scale;
        }
        assertClose(expected, graph.gradient, GRADIENT_REL, GRADIENT_ABS, "gradient");
    }

    static Stream<Arguments> sd1CasesAndOptions() {
        return goldenCasesAndOptions().filter(a -> ((String) a.get()[0]).endsWith("sd1"));
    }

    @ParameterizedTest
    @MethodSource("sd1CasesAndOptions")
    void floatMatchesKernelOnSd1Cases(String caseName, Ties ties, Reduction reduction) {
        GoldenData rows = GoldenData.rows(caseName);
        INDArray logHz = rows.vector("log_hz");
        INDArray time = rows.vector("time");
        INDArray event = rows.vector("event");
        GraphResult graph = cox(new SameDiffCoxLoss(ties, reduction), logHz.castTo(DataType.FLOAT),
                labels(time, event).castTo(DataType.FLOAT), null);
        CoxPartialLikelihood kernel = new CoxPartialLikelihood(ties, reduction);

        assertClose(kernel.value(logHz, time, event), graph.value, FLOAT_REL, 0, "value");
        assertClose(kernel.gradient(logHz, time, event).toDoubleVector(), graph.gradient, FLOAT_REL, FLOAT_ABS,
                "gradient");
    }

    static Stream<Arguments> randomData() {
        // rows, distinct times (few = many ties), strata, seed
        return Stream.of(Arguments.of(50, 5, 1, 1L), Arguments.of(50, 5, 3, 2L), Arguments.of(200, 20, 4, 3L),
                Arguments.of(30, 2, 2, 4L), Arguments.of(7, 30, 3, 5L), Arguments.of(300, 300, 1, 6L),
                // more than TRIANGULAR_WIDTH event times in a stratum: cumulative sums by cumsum, not a product
                Arguments.of(4000, 4000, 1, 7L), Arguments.of(6000, 6000, 2, 8L));
    }

    @ParameterizedTest
    @MethodSource("randomData")
    void stratifiedTiedDataMatchesKernel(int n, int distinctTimes, int strata, long seed) {
        RandomSurvivalData data = RandomSurvivalData.generate(n, distinctTimes, strata, seed);
        for (Ties ties : Ties.values()) {
            for (Reduction reduction : Reduction.values()) {
                CoxPartialLikelihood kernel = new CoxPartialLikelihood(ties, reduction);
                GraphResult graph = cox(new SameDiffCoxLoss(ties, reduction), data.logHz,
                        labels(data.time, data.event), data.strata);
                String what = ties + "/" + reduction + " ";
                assertClose(kernel.value(data.logHz, data.time, data.event, data.strata), graph.value, VALUE_REL,
                        0, what + "value");
                assertClose(kernel.gradient(data.logHz, data.time, data.event, data.strata).toDoubleVector(),
                        graph.gradient, GRADIENT_REL, GRADIENT_ABS, what + "gradient");
            }
        }
    }

    @Test
    void columnLogHazardsGiveColumnGradient() {
        RandomSurvivalData data = RandomSurvivalData.generate(20, 4, 1, 7L);
        INDArray column = data.logHz.reshape(20, 1);
        GraphResult graph = cox(SameDiffCoxLoss.efron(), column, labels(data.time, data.event), null);
        assertClose(CoxPartialLikelihood.efron().gradient(data.logHz, data.time, data.event).toDoubleVector(),
                graph.gradient, GRADIENT_REL, GRADIENT_ABS, "gradient");
    }

    @Test
    void withoutEventsLossIsZeroWithZeroGradient() {
        INDArray logHz = Nd4j.createFromArray(0.3, -2.0, 5.0, 1.0);
        INDArray time = Nd4j.createFromArray(0.0, 2.0, 2.0, 7.0);
        INDArray event = Nd4j.zeros(DataType.DOUBLE, 4);
        for (Ties ties : Ties.values()) {
            for (Reduction reduction : Reduction.values()) {
                for (int[] strata : new int[][] {null, {1, 2, 1, 2}}) {
                    GraphResult graph = cox(new SameDiffCoxLoss(ties, reduction), logHz, labels(time, event), strata);
                    assertEquals(0.0, graph.value, 0.0, "value");
                    for (double g : graph.gradient) {
                        assertEquals(0.0, g, 0.0, "gradient");
                    }
                }
            }
        }
    }

    @Test
    void largeLogHazardsStayFinite() {
        // A spread of 1000 (DESIGN: +-1000 must stay finite in double). exp(-500 - 500) underflows to
        // 0, which is harmless here because every risk set contains the row at +500.
        INDArray logHz = Nd4j.createFromArray(-500.0, 0.0, 500.0);
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 1.0);
        GraphResult graph = cox(SameDiffCoxLoss.efron(), logHz, labels(time, event), null);
        CoxPartialLikelihood kernel = CoxPartialLikelihood.efron();
        assertClose(kernel.value(logHz, time, event), graph.value, VALUE_REL, 0, "value");
        assertClose(kernel.gradient(logHz, time, event).toDoubleVector(), graph.gradient, GRADIENT_REL,
                GRADIENT_ABS, "gradient");
    }

    @Test
    void theRangeCheckRejectsExactlyTheLogHazardsWhoseGraphLossIsInfinite() {
        // Event at time 2 whose risk set ({-1000}) lies 2000 below the maximum (+1000 at time 1):
        // the graph's single shift underflows that set. Swapping the times puts +1000 into every
        // risk set, and the graph is exact.
        double[] logHz = {1000, -1000};
        double[] event = {1, 1};
        double[][] times = {{1, 2}, {2, 1}};
        for (double[] time : times) {
            GraphResult graph = cox(SameDiffCoxLoss.efron(), Nd4j.createFromArray(logHz),
                    labels(Nd4j.createFromArray(time), Nd4j.createFromArray(event)), null);
            boolean graphFinite = Double.isFinite(graph.value);
            if (graphFinite) {
                SameDiffCoxLoss.checkRange(logHz, event, null, groups(time, event), DataType.DOUBLE);
                assertClose(CoxPartialLikelihood.efron().value(Nd4j.createFromArray(logHz), Nd4j.createFromArray(time),
                        Nd4j.createFromArray(event)), graph.value, VALUE_REL, 0, "value");
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> SameDiffCoxLoss.checkRange(logHz, event, null, groups(time, event), DataType.DOUBLE));
                assertTrue(e.getMessage().contains("row 1 (time 2.0)"), e.getMessage());
            }
            assertEquals(time[0] == 2, graphFinite, "times " + Arrays.toString(time));
        }
        // float's range is 80: a spread of 100 is refused there, accepted in double
        double[] time = {1, 2};
        double[] close = {50, -50};
        assertThrows(IllegalArgumentException.class,
                () -> SameDiffCoxLoss.checkRange(close, event, null, groups(time, event), DataType.FLOAT));
        SameDiffCoxLoss.checkRange(close, event, null, groups(time, event), DataType.DOUBLE);
    }

    @Test
    void javadocExampleGivesDocumentedValue() {
        SameDiff sd = SameDiff.create();
        SDVariable logHz = sd.var("logHz", Nd4j.createFromArray(0.5, -0.2, 0.0));
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 1}, {2, 1}, {2, 0}});
        SDVariable loss = new SameDiffCoxLoss(Ties.EFRON, Reduction.SUM).negativeLogLikelihood(sd, logHz, labels);
        loss.markAsLoss();
        double expected = Math.log(Math.exp(0.5) + Math.exp(-0.2) + 1) - 0.5 + Math.log(Math.exp(-0.2) + 1) + 0.2;
        assertEquals(expected, loss.eval().getDouble(0), 1e-12);
        GradientFunction.createQuietly(sd);
        assertEquals(3, sd.calculateGradients(Map.of(), "logHz").get("logHz").length());
    }

    @Test
    void placeholderGraphFollowsLabelsFedPerIteration() {
        SameDiffCoxLoss loss = new SameDiffCoxLoss(Ties.EFRON, Reduction.MEAN);
        int strataSlots = 3;
        int groupSlots = 60;
        SameDiff sd = SameDiff.create();
        SDVariable logHz = sd.placeHolder("logHz", DataType.DOUBLE, -1);
        SDVariable weight = sd.var("w", Nd4j.ones(DataType.DOUBLE, 1));
        SDVariable scaled = logHz.mul(weight); // a trainable variable in front, as a network would be
        CoxRiskSets.Variables in = CoxRiskSets.placeholders(sd, "cox", DataType.DOUBLE, strataSlots, groupSlots);
        SDVariable nll = loss.negativeLogLikelihood(sd, scaled, in);
        nll.markAsLoss();
        GradientFunction.createQuietly(sd);

        CoxPartialLikelihood kernel = new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN);
        for (long seed = 10; seed < 13; seed++) {
            RandomSurvivalData data = RandomSurvivalData.generate(40 + 10 * (int) seed, 8, 3, seed);
            Map<String, INDArray> feed = new HashMap<>(
                    loss.riskSets(labels(data.time, data.event), data.strata, strataSlots, groupSlots).feed(in));
            feed.put("logHz", data.logHz);
            double value = sd.output(feed, nll.name()).get(nll.name()).getDouble(0);
            double gradW = sd.calculateGradients(feed, "w").get("w").getDouble(0);
            assertClose(kernel.value(data.logHz, data.time, data.event, data.strata), value, VALUE_REL, 0, "value");
            // d loss / d w at w = 1 is sum_i logHz_i * d loss / d logHz_i
            double expected = kernel.gradient(data.logHz, data.time, data.event, data.strata).mul(data.logHz)
                    .sumNumber().doubleValue();
            assertClose(expected, gradW, GRADIENT_REL, GRADIENT_ABS, "gradient");
        }
    }

    @Test
    void riskSetsRejectLabelsThatDoNotFitTheGrid() {
        RandomSurvivalData data = RandomSurvivalData.generate(40, 10, 3, 20L);
        SameDiffCoxLoss loss = SameDiffCoxLoss.efron();
        INDArray labels = labels(data.time, data.event);
        assertThrows(IllegalArgumentException.class, () -> loss.riskSets(labels, data.strata, 2, 40));
        assertThrows(IllegalArgumentException.class, () -> loss.riskSets(labels, data.strata, 3, 2));
    }

    @Test
    void rejectsBadLabels() {
        SameDiff sd = SameDiff.create();
        SDVariable logHz = sd.var("logHz", Nd4j.createFromArray(0.1, 0.2));
        SameDiffCoxLoss loss = SameDiffCoxLoss.efron();
        assertThrows(IllegalArgumentException.class,
                () -> loss.negativeLogLikelihood(sd, logHz, Nd4j.createFromArray(new double[][] {{1, 1}, {-1, 0}})));
        assertThrows(IllegalArgumentException.class,
                () -> loss.negativeLogLikelihood(sd, logHz, Nd4j.createFromArray(new double[][] {{1, 1}, {2, 2}})));
        assertThrows(IllegalArgumentException.class,
                () -> loss.negativeLogLikelihood(sd, logHz, Nd4j.createFromArray(new double[][] {{1}, {2}})));
        assertThrows(IllegalArgumentException.class, () -> loss.negativeLogLikelihood(sd, logHz,
                Nd4j.createFromArray(new double[][] {{1, 1}, {2, 0}, {3, 1}})));
        assertThrows(IllegalArgumentException.class, () -> loss.negativeLogLikelihood(sd, logHz,
                Nd4j.createFromArray(new double[][] {{1, 1}, {2, 0}}), new int[] {1}));
    }

    private static TimeGroups groups(double[] time, double[] event) {
        boolean[] observed = new boolean[event.length];
        for (int i = 0; i < event.length; i++) {
            observed[i] = event[i] != 0;
        }
        return TimeGroups.of(time, observed, null);
    }

    /**
     * Counting-process labels (start, stop, event) through the at-risk matrix: R's values on the
     * golden counting cases ({@code coxph(Surv(start, stop, event) ~ offset(log_hz))}, heart transplant
     * and lung with delayed entry), gradients against the kernel (itself exact to R).
     */
    @ParameterizedTest
    @ValueSource(strings = {"heart_sd1", "heart_sd8", "lung_entry_sd1", "lung_entry_sd8"})
    void countingProcessLabelsMatchRAndTheKernel(String c) {
        GoldenData g = GoldenData.rows("counting/counting_" + c);
        INDArray labels = Nd4j.hstack(g.vector("start").reshape(-1, 1), g.vector("stop").reshape(-1, 1),
                g.vector("event").reshape(-1, 1));
        for (Ties ties : Ties.values()) {
            GraphResult graph = cox(new SameDiffCoxLoss(ties, Reduction.SUM), g.vector("log_hz"), labels, null);
            double expected = GoldenData.summary("counting/counting_cases.csv", c,
                    "nll_" + (ties == Ties.EFRON ? "efron" : "breslow") + "_sum");
            assertClose(expected, graph.value, 1e-10, 0, c + " " + ties);
            double[] kernel = new CoxPartialLikelihood(ties, Reduction.SUM).gradient(g.vector("log_hz"),
                    g.vector("start"), g.vector("stop"), g.vector("event")).toDoubleVector();
            assertClose(kernel, graph.gradient, 1e-9, 1e-12, c + " " + ties + " gradient");
        }
    }

    /** Random delayed entries, ties and strata, both reductions, against the kernel. */
    @Test
    void countingProcessLabelsWithStrataMatchTheKernel() {
        for (long seed = 1; seed <= 5; seed++) {
            RandomSurvivalData data = RandomSurvivalData.generate(30, 6, 3, seed);
            double[] stop = data.time.toDoubleVector();
            java.util.Random rng = new java.util.Random(seed);
            double[] start = new double[stop.length];
            for (int i = 0; i < start.length; i++) {
                start[i] = rng.nextBoolean() ? 0 : stop[i] - 1 + rng.nextDouble() * 0.9;
            }
            INDArray s = Nd4j.createFromArray(start);
            INDArray labels = Nd4j.hstack(s.reshape(-1, 1), data.time.reshape(-1, 1), data.event.reshape(-1, 1));
            for (Reduction reduction : Reduction.values()) {
                CoxPartialLikelihood kernel = new CoxPartialLikelihood(Ties.EFRON, reduction);
                GraphResult graph = cox(new SameDiffCoxLoss(Ties.EFRON, reduction), data.logHz, labels, data.strata);
                String what = "seed " + seed + " " + reduction;
                assertClose(kernel.value(data.logHz, s, data.time, data.event, data.strata), graph.value, 1e-12, 0,
                        what);
                assertClose(kernel.gradient(data.logHz, s, data.time, data.event, data.strata).toDoubleVector(),
                        graph.gradient, 1e-10, 1e-13, what + " gradient");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cox(SameDiffCoxLoss.efron(),
                Nd4j.createFromArray(0.1, 0.2), Nd4j.createFromArray(new double[][] {{0, 1, 1}, {2, 2, 0}}), null));
        assertTrue(e.getMessage().contains("row 1: start 2.0 is not below stop 2.0"), e.getMessage());
    }

    private static GraphResult cox(SameDiffCoxLoss loss, INDArray logHz, INDArray labels, int[] strata) {
        return GraphResult.of(logHz, (sd, x) -> loss.negativeLogLikelihood(sd, x, labels, strata));
    }
}
