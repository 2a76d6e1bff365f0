package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.testing.GoldenData;

/**
 * Influence-function inference of the Brier score and the time-dependent AUC against
 * riskRegression 2022.11.28 ({@code golden-own/metric_inference.R}: {@code Score(..., cens.model =
 * "km", se.fit = TRUE, conservative = FALSE)}): estimates, standard errors, intervals, the
 * contrasts of two models, and the covariance of every pair of influence functions
 * ({@code cov(IF1, IF2) / n} over models and times), which pins the influence values down up to a
 * common shift. The seeded bootstrap is checked against the influence-function standard errors.
 */
class MetricInferenceTest {
    private static final double TOLERANCE = 1e-10;

    /** One golden case: the rows, the three horizons and both models' predictions. */
    private record Case(String name, INDArray time, INDArray event, double[] times, INDArray[] survival) {
        static Case load(String name) {
            GoldenData rows = GoldenData.own("metric_inference_" + name + ".csv");
            double[] times = GoldenData.ownRecords("metric_inference_" + name + "_scores.csv").stream()
                    .mapToDouble(r -> Double.parseDouble(r.get("times"))).distinct().sorted().toArray();
            INDArray a = rows.matrix("surv_a_1", "surv_a_2", "surv_a_3");
            INDArray b = rows.matrix("surv_b_1", "surv_b_2", "surv_b_3");
            return new Case(name, rows.vector("time"), rows.vector("event"), times, new INDArray[] {a, b});
        }

        int model(String name) {
            return name.equals("A") ? 0 : 1;
        }

        int timeIndex(String t) {
            double v = Double.parseDouble(t);
            for (int k = 0; k < times.length; k++) {
                if (times[k] == v) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no time " + t);
        }

        InfluenceEstimate inference(String metric, int model, int k) {
            INDArray s = survival[model].getColumn(k).dup();
            return metric.equals("auc") ? TimeDependentAuc.inference(s.rsub(1.0), times[k], time, event)
                    : BrierScore.inference(s, times[k], time, event);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void estimatesStandardErrorsAndIntervalsMatchRiskRegression(String name) {
        Case c = Case.load(name);
        List<Map<String, String>> scores = GoldenData.ownRecords("metric_inference_" + name + "_scores.csv");
        assertEquals(12, scores.size());
        for (Map<String, String> r : scores) {
            InfluenceEstimate e = c.inference(r.get("metric"), c.model(r.get("model")), c.timeIndex(r.get("times")));
            String what = name + " " + r;
            assertEquals(num(r, "estimate"), e.estimate(), TOLERANCE, what);
            assertEquals(num(r, "se"), e.standardError(), TOLERANCE, what);
            ConfidenceInterval ci = e.confidenceInterval(0.05);
            assertEquals(num(r, "lower"), ci.lower(), TOLERANCE, what);
            assertEquals(num(r, "upper"), ci.upper(), TOLERANCE, what);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void pairedContrastsMatchRiskRegression(String name) {
        Case c = Case.load(name);
        List<Map<String, String>> contrasts = GoldenData.ownRecords("metric_inference_" + name + "_contrasts.csv");
        assertEquals(6, contrasts.size());
        for (Map<String, String> r : contrasts) {
            int k = c.timeIndex(r.get("times"));
            InfluenceEstimate d = c.inference(r.get("metric"), c.model(r.get("model")), k)
                    .minus(c.inference(r.get("metric"), c.model(r.get("reference")), k));
            String what = name + " " + r;
            assertEquals(num(r, "delta"), d.estimate(), TOLERANCE, what);
            assertEquals(num(r, "se"), d.standardError(), TOLERANCE, what);
            assertEquals(num(r, "lower"), d.confidenceInterval(0.05).lower(), TOLERANCE, what);
            assertEquals(num(r, "upper"), d.confidenceInterval(0.05).upper(), TOLERANCE, what);
            assertEquals(num(r, "p"), d.pValue(0), 1e-8, what);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void influenceFunctionsCovaryAsRiskRegressions(String name) {
        Case c = Case.load(name);
        List<Map<String, String>> cells = GoldenData.ownRecords("metric_inference_" + name + "_vcov.csv");
        assertEquals(72, cells.size());
        int n = (int) c.time().length();
        for (Map<String, String> r : cells) {
            double[] a = c.inference(r.get("metric"), c.model(r.get("model1")), c.timeIndex(r.get("time1"))).influence();
            double[] b = c.inference(r.get("metric"), c.model(r.get("model2")), c.timeIndex(r.get("time2"))).influence();
            assertEquals(num(r, "cov"), covariance(a, b) / n, 1e-12, name + " " + r);
        }
    }

    @Test
    void integratedScoresAverageTheInfluenceOverTheGrid() {
        Case c = Case.load("lung_sd1");
        INDArray s = c.survival()[0];
        InfluenceEstimate integrated = BrierScore.integratedInference(s, c.times(), c.time(), c.event());
        assertEquals(BrierScore.integrated(s, c.times(), c.time(), c.event(), c.time(), c.event()),
                integrated.estimate(), 1e-15);
        double[] expected = new double[(int) c.time().length()];
        double span = c.times()[2] - c.times()[0];
        double[] weight = {(c.times()[1] - c.times()[0]) / 2 / span, (c.times()[2] - c.times()[0]) / 2 / span,
            (c.times()[2] - c.times()[1]) / 2 / span};
        for (int k = 0; k < 3; k++) {
            double[] ik = c.inference("brier", 0, k).influence();
            for (int i = 0; i < expected.length; i++) {
                expected[i] += weight[k] * ik[i];
            }
        }
        double[] actual = integrated.influence();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-15);
        }
        InfluenceEstimate auc = TimeDependentAuc.integratedInference(s.rsub(1.0), c.times(), c.time(), c.event());
        assertEquals(TimeDependentAuc.integrated(s.rsub(1.0), c.times(), c.time(), c.event(), c.time(), c.event()),
                auc.estimate(), 1e-15);
    }

    @Test
    void theSeededBootstrapAgreesWithTheInfluenceFunction() {
        Case c = Case.load("gbsg_sd1");
        int k = 1;
        INDArray s = c.survival()[1].getColumn(k).dup();
        double[] t = {c.times()[k]};
        MetricBootstrap brier = MetricBootstrap.brier(s, t, c.time(), c.event(), 400, 7L);
        InfluenceEstimate brierIf = BrierScore.inference(s, t[0], c.time(), c.event());
        assertEquals(brierIf.estimate(), brier.estimate(), 1e-15);
        assertEquals(brierIf.standardError(), brier.standardError(), 0.15 * brierIf.standardError());
        MetricBootstrap auc = MetricBootstrap.auc(s.rsub(1.0), t, c.time(), c.event(), 400, 7L);
        InfluenceEstimate aucIf = TimeDependentAuc.inference(s.rsub(1.0), t[0], c.time(), c.event());
        assertEquals(aucIf.estimate(), auc.estimate(), 1e-15);
        assertEquals(aucIf.standardError(), auc.standardError(), 0.15 * aucIf.standardError());
        // same seed, same replicates; the interval holds the estimate
        assertEquals(List.of(auc.replicates()[0], auc.replicates()[399]), List.of(
                MetricBootstrap.auc(s.rsub(1.0), t, c.time(), c.event(), 400, 7L).replicates()[0],
                MetricBootstrap.auc(s.rsub(1.0), t, c.time(), c.event(), 400, 7L).replicates()[399]));
        assertTrue(auc.confidenceInterval(0.05).contains(auc.estimate()));
    }

    @Test
    void theBootstrappedDifferenceIsPairedAndMatchesTheInfluenceContrast() {
        Case c = Case.load("gbsg_sd1");
        INDArray a = c.survival()[0];
        INDArray b = c.survival()[1];
        MetricBootstrap d = MetricBootstrap.brierDifference(b, a, c.times(), c.time(), c.event(), 300, 3L);
        InfluenceEstimate dIf = BrierScore.integratedInference(b, c.times(), c.time(), c.event())
                .minus(BrierScore.integratedInference(a, c.times(), c.time(), c.event()));
        assertEquals(dIf.estimate(), d.estimate(), 1e-15);
        assertEquals(dIf.standardError(), d.standardError(), 0.2 * dIf.standardError());
        MetricBootstrap self = MetricBootstrap.aucDifference(a, a, c.times(), c.time(), c.event(), 50, 3L);
        for (double v : self.replicates()) {
            assertEquals(0, v, 0);
        }
    }

    /** One row has no standard error (NaN): its test and interval are NaN too, returned at once. */
    @Test
    void oneRowGivesNaNInferenceInsteadOfHanging() {
        InfluenceEstimate one = BrierScore.inference(Nd4j.createFromArray(0.7), 2.0, Nd4j.createFromArray(1.0),
                Nd4j.createFromArray(1.0));
        assertTrue(Double.isNaN(one.standardError()));
        assertTrue(Double.isNaN(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> one.pValue(0))));
        ConfidenceInterval ci = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> one.confidenceInterval(0.05));
        assertTrue(Double.isNaN(ci.lower()) && Double.isNaN(ci.upper()), ci.toString());
        assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(5), one::toString).contains("SE NaN"));
    }

    @Test
    void misuseIsNamed() {
        Case c = Case.load("lung_sd1");
        InfluenceEstimate lung = c.inference("auc", 0, 0);
        InfluenceEstimate shorter = TimeDependentAuc.inference(Nd4j.createFromArray(0.1, 0.2, 0.3, 0.4), 2.5,
                Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0), Nd4j.createFromArray(1.0, 1.0, 1.0, 0.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lung.minus(shorter));
        assertTrue(e.getMessage().contains("same test rows"), e.getMessage());
        InfluenceEstimate brier = c.inference("brier", 0, 0);
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> lung.minus(brier));
        assertTrue(mixed.getMessage().startsWith("cannot subtract the Brier score at t = 135 from the time-dependent"
                + " AUC at t = 135:")
                && mixed.getMessage().contains("one metric at the same time"), mixed.getMessage());
        IllegalArgumentException otherTime = assertThrows(IllegalArgumentException.class,
                () -> lung.minus(c.inference("auc", 1, 1)));
        assertTrue(otherTime.getMessage().contains("one metric at the same time"), otherTime.getMessage());
        SurvivalArgumentException late = assertThrows(SurvivalArgumentException.class,
                () -> BrierScore.inference(c.survival()[0].getColumn(0).dup(), 1e9, c.time(), c.event()));
        assertTrue(late.getMessage().contains("choose an earlier time"), late.getMessage());
        assertThrows(SurvivalArgumentException.class, () -> MetricBootstrap.auc(c.survival()[0], c.times(),
                c.time(), c.event(), 1, 1L));
        assertThrows(SurvivalArgumentException.class, () -> MetricBootstrap.brier(c.survival()[0],
                new double[] {3, 2, 1}, c.time(), c.event(), 10, 1L));
    }

    private static double num(Map<String, String> r, String column) {
        return Double.parseDouble(r.get(column));
    }

    private static double covariance(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - ma) * (b[i] - mb);
        }
        return s / (a.length - 1);
    }
}
