package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.survival4j.testing.GoldenData;

/**
 * The calibration estimators against R ({@code golden-own/calibration.R}; R 4.2.2, survival 3.5.3,
 * Hmisc 4.8.0, riskRegression 2022.11.28) on the shared lung and GBSG cases, at two horizons, with
 * predicted risks of an exponential model: the smooth curve per row and on a grid with its band,
 * ICI/E50/E90, the calibration slope, O/E, the Greenwood-Nam-D'Agostino groups and test (and
 * riskRegression's quantile-group calibration data), D-calibration, and chi-square tails.
 */
class CalibrationGoldenTest {
    /**
     * Results of a Newton-Raphson fit: both sides converge to about 1e-13 in the coefficients
     * (R: relative log-likelihood change below 1e-13; here: steps below 1e-12), which moves the
     * fitted risks by far less than this.
     */
    private static final double FIT = 1e-9;
    /** Closed-form quantities (Kaplan-Meier, means, counts, chi-square tails): rounding only. */
    private static final double EXACT = 1e-12;

    private record Case(GoldenData rows, GoldenData summary, double[] time, double[] event) {
        static Case load(String name) {
            GoldenData rows = GoldenData.own("calibration_" + name + "_rows.csv");
            return new Case(rows, GoldenData.own("calibration_" + name + "_summary.csv"), rows.column("time"),
                    rows.column("event"));
        }

        double horizon(int h) {
            return summary.column("horizon")[h];
        }

        double summary(String column, int h) {
            return summary.column(column)[h];
        }

        double[] risk(int h) {
            return rows.column("risk_" + (h + 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void smoothCalibrationEqualsRsSplineCoxFit(String name) {
        Case c = Case.load(name);
        for (int h = 0; h < 2; h++) {
            double t = c.horizon(h);
            SmoothCalibration fit = SmoothCalibration.fit(c.risk(h), t, c.time, c.event);
            assertArrayEquals(new double[] {c.summary("knot1", h), c.summary("knot2", h), c.summary("knot3", h)},
                    fit.knots(), EXACT, name + " knots");
            assertArrayEquals(c.rows.column("observed_" + (h + 1)), fit.observedRisk(), FIT, name + " observed risks");
            assertEquals(c.summary("ici", h), fit.ici(), FIT, name + " ICI");
            assertEquals(c.summary("e50", h), fit.e50(), FIT, name + " E50");
            assertEquals(c.summary("e90", h), fit.e90(), FIT, name + " E90");

            GoldenData curve = GoldenData.own("calibration_" + name + "_curve.csv");
            double[] grid = select(curve, "predicted", t);
            CalibrationCurve band = fit.curve(grid, 0.05);
            assertArrayEquals(select(curve, "observed", t), band.observed(), FIT, name + " curve");
            assertArrayEquals(select(curve, "lower", t), band.lower(), FIT, name + " band lower");
            assertArrayEquals(select(curve, "upper", t), band.upper(), FIT, name + " band upper");
            assertArrayEquals(grid, fit.curve(100, 0.05).predicted(), EXACT, name + " default grid");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void slopeAndObservedExpectedEqualR(String name) {
        Case c = Case.load(name);
        for (int h = 0; h < 2; h++) {
            double t = c.horizon(h);
            CalibrationSlope slope = CalibrationSlope.fit(c.risk(h), t, c.time, c.event);
            assertEquals(c.summary("slope", h), slope.estimate(), FIT, name + " slope");
            assertEquals(c.summary("slope_se", h), slope.standardError(), FIT, name + " slope se");

            CalibrationInTheLarge oe = CalibrationInTheLarge.of(c.risk(h), t, c.time, c.event);
            assertEquals(c.summary("oe_observed", h), oe.observedRisk(), EXACT, name + " O");
            assertEquals(c.summary("oe_expected", h), oe.expectedRisk(), EXACT, name + " E");
            assertEquals(c.summary("oe", h), oe.ratio(), EXACT, name + " O/E");
            assertEquals(c.summary("oe_se_log", h), oe.logRatioStandardError(), EXACT, name + " se");
            assertEquals(c.summary("oe_lower", h), oe.confidenceInterval(0.05).lower(), EXACT, name + " lower");
            assertEquals(c.summary("oe_upper", h), oe.confidenceInterval(0.05).upper(), EXACT, name + " upper");
            // absolute: Normal.cdf is accurate to about 1e-15 absolute and is 0 beyond |z| = 8 (here z is 5.6-11)
            assertEquals(c.summary("oe_p", h), oe.pValue(), EXACT, name + " p");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void greenwoodNamDAgostinoEqualsTheTranscribedRFunctionAndRiskRegression(String name) {
        Case c = Case.load(name);
        GoldenData groups = GoldenData.own("calibration_" + name + "_groups.csv");
        for (int h = 0; h < 2; h++) {
            double t = c.horizon(h);
            GroupedCalibration g = GroupedCalibration.test(c.risk(h), t, c.time, c.event);
            assertArrayEquals(select(groups, "n", t), Arrays.stream(g.size()).asDoubleStream().toArray(), 0);
            assertArrayEquals(select(groups, "events", t), Arrays.stream(g.events()).asDoubleStream().toArray(), 0);
            assertArrayEquals(select(groups, "predicted", t), g.meanPredictedRisk(), EXACT, name + " mean risk");
            assertArrayEquals(select(groups, "observed", t), g.observedRisk(), EXACT, name + " KM risk");
            assertArrayEquals(select(groups, "variance", t), g.observedVariance(), EXACT, name + " Greenwood");
            assertArrayEquals(select(groups, "rr_predicted", t), g.meanPredictedRisk(), EXACT, name + " riskRegression");
            assertArrayEquals(select(groups, "rr_observed", t), g.observedRisk(), EXACT, name + " riskRegression");
            assertRelative(c.summary("gnd_chi2", h), g.statistic(), EXACT, name + " chi2");
            assertEquals((int) c.summary("gnd_df", h), g.degreesOfFreedom());
            assertRelative(c.summary("gnd_p", h), g.pValue(), EXACT, name + " p"); // tails down to 1e-276
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void dCalibrationEqualsR(String name) {
        Case c = Case.load(name);
        GoldenData r = GoldenData.own("calibration_" + name + "_dcal.csv");
        double mean = Arrays.stream(c.time).average().orElseThrow();
        double[] logHz = GoldenData.rows(name).column("log_hz");
        double[] s = new double[c.time.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.exp(-(c.time[i] / mean) * Math.exp(logHz[i])); // as the R script
        }
        DCalibration d = DCalibration.test(s, c.event);
        assertArrayEquals(r.column("count"), d.counts(), EXACT, name + " counts");
        assertRelative(r.column("chi2")[0], d.statistic(), EXACT, name + " chi2");
        assertRelative(r.column("p")[0], d.pValue(), EXACT, name + " p");
    }

    @Test
    void chiSquareTailsEqualRsPchisq() {
        GoldenData r = GoldenData.own("calibration_chisq.csv");
        double[] x = r.column("x");
        double[] df = r.column("df");
        double[] p = r.column("p");
        for (int k = 0; k < x.length; k++) {
            // relative: the far tails go down to 1e-50; Lanczos' log-gamma and the expansions keep about 1e-13
            assertRelative(p[k], ChiSquare.upperTail(x[k], df[k]), EXACT, "x " + x[k] + " df " + df[k]);
        }
    }

    private static double[] select(GoldenData table, String column, double horizon) {
        double[] h = table.column("horizon");
        double[] v = table.column(column);
        return java.util.stream.IntStream.range(0, h.length).filter(i -> h[i] == horizon).mapToDouble(i -> v[i])
                .toArray();
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        assertEquals(expected, actual, tolerance * Math.max(Math.abs(expected), Double.MIN_NORMAL), what);
    }
}
