package org.survival4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.testing.CompetingRisksGolden;
import org.survival4j.testing.GoldenData;

/**
 * The Fine-Gray loss against R 4.2.2 / survival 3.5.3: {@code finegray()}'s expansion of mgus2 and
 * Melanoma for each cause of interest, then {@code coxph(Surv(fgstart, fgstop, fgstatus) ~
 * offset(lp_k), weights = fgwt)}: minus its log-likelihood, and the sum over each original row's
 * expanded rows of minus fgwt times its martingale residual ({@code golden-own/competing_risks.R}),
 * plus the contract of every loss.
 */
class FineGrayTest extends AbstractSurvivalLossContractTest {
    /**
     * |expected - actual| <= 1e-11 * max(1, |expected|): measured at most 3.5e-13 (gradients of
     * Melanoma at sd 8; values 7e-16 relative). The weights are G(t-)/G(T-) here and a ratio of R's
     * stored curve values there, summed in another order.
     */
    static final double R_TOLERANCE = 1e-11;

    @Override
    ValueAndGradient evaluate(INDArray output, INDArray time, INDArray event, Reduction reduction) {
        return new FineGray(1, Ties.EFRON, reduction).valueAndGradient(output, time, event, null);
    }

    @Override
    int columns() {
        return 1;
    }

    static Stream<Arguments> goldenCases() {
        return CompetingRisksGolden.CASES.stream().flatMap(c -> Stream.of("efron", "breslow").flatMap(
                ties -> Stream.of(1, 2).flatMap(k -> Stream.of(false, true).map(s -> Arguments.of(c, ties, k, s)))));
    }

    @ParameterizedTest(name = "{0} {1} cause {2} strata {3}")
    @MethodSource("goldenCases")
    void valueAndGradientMatchRFinegrayAndWeightedCoxph(String caseName, String tiesName, int cause,
                                                       boolean stratified) {
        CompetingRisksGolden g = CompetingRisksGolden.of(caseName);
        GoldenData rows = g.rows();
        Ties ties = tiesName.equals("efron") ? Ties.EFRON : Ties.BRESLOW;
        String term = stratified ? "fg_strata" : "fg";
        ValueAndGradient vg = new FineGray(cause, ties, Reduction.SUM).valueAndGradient(rows.vector("lp_" + cause),
                rows.vector("time"), rows.vector("cause"), stratified ? g.strata() : null);
        double expected = g.nll(term, tiesName, cause);
        assertEquals(expected, vg.value(), R_TOLERANCE * Math.abs(expected), "value");
        assertEquals(g.events(cause), vg.events());
        double[] grad = rows.column(term + "_" + tiesName + "_" + cause);
        double[] actual = vg.gradient().toDoubleVector();
        for (int i = 0; i < grad.length; i++) {
            assertEquals(grad[i], actual[i], R_TOLERANCE * Math.max(1, Math.abs(grad[i])), "gradient[" + i + "]");
        }
    }

    @Test
    void javadocExampleByHand() {
        FineGray fg = new FineGray(1, Ties.EFRON, Reduction.SUM);
        double v = fg.value(Nd4j.createFromArray(0.2, -0.4, 0.1, 0.0), Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0),
                Nd4j.createFromArray(2.0, 0.0, 1.0, 0.0));
        // G drops to 2/3 at the censoring at 2; row 0's weight at t = 3 is G(3-)/G(1-)
        assertEquals(Math.log(Math.exp(0.1) + 1 + 2.0 / 3 * Math.exp(0.2)) - 0.1, v, 1e-15);
        assertEquals(0.9713916, v, 1e-7);
    }

    @Test
    void withoutCompetingEventsItIsTheCoxPartialLikelihood() {
        GoldenData lung = GoldenData.rows("lung_sd1");
        for (Ties ties : Ties.values()) {
            ValueAndGradient cox = new CoxPartialLikelihood(ties, Reduction.MEAN).valueAndGradient(
                    lung.vector("log_hz"), lung.vector("time"), lung.vector("event"));
            ValueAndGradient fg = new FineGray(1, ties, Reduction.MEAN).valueAndGradient(lung.vector("log_hz"),
                    lung.vector("time"), lung.vector("event"), null);
            assertEquals(cox.value(), fg.value(), 1e-13 * cox.value());
            assertArrayEquals(cox.gradientValues(), fg.gradientValues(), 1e-13);
        }
    }

    @Test
    void gradientWithTiesStrataAndCompetingEventsMatchesFiniteDifferences() {
        Random rng = new Random(17);
        int n = 50;
        double[] time = new double[n];
        double[] cause = new double[n];
        int[] strata = new int[n];
        double[] eta = new double[n];
        for (int i = 0; i < n; i++) {
            time[i] = 1 + rng.nextInt(8);
            cause[i] = rng.nextInt(3);
            strata[i] = rng.nextInt(2);
            eta[i] = rng.nextGaussian();
        }
        for (Ties ties : Ties.values()) {
            FineGray fg = new FineGray(2, ties, Reduction.SUM);
            assertGradientMatchesFiniteDifferences(Nd4j.createFromArray(eta), o -> fg.valueAndGradient(o,
                    Nd4j.createFromArray(time), Nd4j.createFromArray(cause), strata));
        }
    }

    @Test
    void suffixGradientIsTheTailOfTheFullGradient() {
        GoldenData rows = CompetingRisksGolden.of("melanoma_sd1").rows();
        FineGray fg = new FineGray(1, Ties.EFRON, Reduction.MEAN);
        ValueAndGradient all = fg.valueAndGradient(rows.column("lp_1"), rows.column("time"), rows.column("cause"),
                null, 0);
        ValueAndGradient tail = fg.valueAndGradient(rows.column("lp_1"), rows.column("time"), rows.column("cause"),
                null, 150);
        assertEquals(all.value(), tail.value(), 0);
        double[] full = all.gradientValues();
        assertArrayEquals(Arrays.copyOfRange(full, 150, full.length), tail.gradientValues(), 0);
    }

    @Test
    void extremeLogHazardsStayFiniteAndShiftInvariant() {
        GoldenData rows = CompetingRisksGolden.of("mgus2_sd1").rows();
        INDArray eta = rows.vector("lp_1").mul(300); // spread over about +-1000
        FineGray fg = new FineGray(1, Ties.EFRON, Reduction.MEAN);
        ValueAndGradient vg = fg.valueAndGradient(eta, rows.vector("time"), rows.vector("cause"), null);
        ValueAndGradient shifted = fg.valueAndGradient(eta.add(700), rows.vector("time"), rows.vector("cause"), null);
        assertTrue(Double.isFinite(vg.value()));
        assertEquals(vg.value(), shifted.value(), 1e-9 * Math.abs(vg.value()));
        assertArrayEquals(vg.gradientValues(), shifted.gradientValues(), 1e-9);
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException interest = assertThrows(IllegalArgumentException.class,
                () -> new FineGray(0, Ties.EFRON, Reduction.SUM));
        assertTrue(interest.getMessage().startsWith("cause = 0"), interest.getMessage());
        FineGray fg = new FineGray(1, Ties.EFRON, Reduction.SUM);
        IllegalArgumentException cause = assertThrows(IllegalArgumentException.class, () -> fg.value(
                Nd4j.createFromArray(0.1, 0.2), Nd4j.createFromArray(1.0, 2.0), Nd4j.createFromArray(1.0, 0.5)));
        assertEquals("cause[1] = 0.5: causes must be whole numbers >= 0 (0 = censored)", cause.getMessage());
    }
}
