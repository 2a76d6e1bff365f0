package org.survival4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.Ties;
import org.survival4j.testing.GoldenData;

/**
 * Cox survival curves of a {@link SurvivalModel} against R's {@code survfit} of a {@code coxph} fit
 * with the same (fixed) coefficients: {@code golden-own/survival_curves.R} on the shared golden
 * cases, Efron and Breslow ties, strata and counting-process data. The network here outputs its
 * input, so its linear predictor is exactly R's offset; what is tested is the baseline, the step
 * function and the quantiles.
 */
class SurvivalModelCurvesTest {
    /** Both sides compute in double from the same inputs; R prints 15 significant digits. */
    private static final double TOLERANCE = 1e-9;

    @Test
    void coxCurvesEqualRsSurvfit() {
        for (Ties ties : Ties.values()) {
            String t = ties.name().toLowerCase(java.util.Locale.ROOT);
            check("lung_sd1", GoldenData.rows("lung_sd1"), false, false, ties, t);
            check("gbsg_sd1", GoldenData.rows("gbsg_sd1"), false, false, ties, t);
            check("lung_sd1_strata", GoldenData.rows("lung_sd1"), true, false, ties, t);
            check("counting_heart_sd1", GoldenData.rows("counting/counting_heart_sd1"), false, true, ties, t);
        }
    }

    private static void check(String name, GoldenData data, boolean stratified, boolean counting, Ties ties,
                              String t) {
        int n = data.rows();
        INDArray x = data.matrix("log_hz");
        INDArray labels = counting ? data.matrix("start", "stop", "event") : data.matrix("time", "event");
        int[] strata = null;
        if (stratified) {
            strata = new int[n];
            for (int i = 0; i < n; i++) {
                strata[i] = i % 2; // as the R script: row r (1-based) in stratum (r - 1) %% 2
            }
        }
        SurvivalModel model = SurvivalModel.builder(ModelFixtures.identityCox(ties)).trainingData(x, labels)
                .strata(strata).build();
        GoldenData r = GoldenData.own("survival_curves_" + name + "_" + t + ".csv");
        double[] eta = r.column("eta");
        double[] stratum = r.column("stratum");
        double[] time = r.column("time");
        for (int k = 0; k < r.rows(); k++) {
            double[][] row = {{eta[k]}};
            int[] s = stratified ? new int[] {(int) stratum[k]} : null;
            String what = name + " " + t + " eta " + eta[k] + " stratum " + stratum[k] + " at " + time[k];
            assertEquals(r.column("cumhaz")[k], model.cumulativeHazard(row, s, time[k])[0][0],
                    TOLERANCE * Math.max(1, r.column("cumhaz")[k]), what);
            assertEquals(r.column("surv")[k], model.survival(row, s, time[k])[0][0], TOLERANCE, what);
        }
        for (Map<String, String> m : GoldenData.ownRecords("survival_curves_medians.csv")) {
            if (m.get("case").equals(name) && m.get("ties").equals(t)) {
                double e = Double.parseDouble(m.get("eta"));
                int[] s = stratified ? new int[] {Integer.parseInt(m.get("stratum"))} : null;
                double expected = m.get("median").equals("NA") ? Double.POSITIVE_INFINITY
                        : Double.parseDouble(m.get("median"));
                assertEquals(expected, model.quantileTime(new double[][] {{e}}, s, 0.5)[0],
                        name + " " + t + " median at eta " + e);
            }
        }
    }

    @Test
    void theCurveIsARightContinuousStepFunctionOfTheTrainingEventTimes() {
        // three rows, eta 0: H0 jumps by 1/3 at t = 1 and by 1/1 at t = 3 (the censored row at 2 leaves)
        SurvivalModel model = SurvivalModel.builder(ModelFixtures.identityCox(Ties.BRESLOW))
                .trainingData(new double[][] {{0}, {0}, {0}}, new double[][] {{1, 1}, {2, 0}, {3, 1}}).build();
        double[][] h = model.cumulativeHazard(new double[][] {{0}}, 0, 0.999, 1, 2.5, 3, 10);
        double[] expected = {0, 0, 1.0 / 3, 1.0 / 3, 4.0 / 3, 4.0 / 3};
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], h[0][j], 1e-15, "at time index " + j);
        }
        assertEquals(List.of(1.0, 3.0), Nd4j.createFromArray(model.timeGrid()).toDoubleVector().length == 2
                ? List.of(model.timeGrid()[0], model.timeGrid()[1]) : List.of());
        // S reaches exp(-4/3) = 0.26 at t = 3: the median is 3; S never reaches 0.2: not reached
        assertEquals(3, model.quantileTime(new double[][] {{0}}, 0.5)[0]);
        assertEquals(Double.POSITIVE_INFINITY, model.quantileTime(new double[][] {{0}}, 0.2)[0]);
    }

    @Test
    void weibullAndGridQuantilesAreWhereTheCurveCrossesTheLevel() {
        double[][] x = ModelFixtures.features(20, 3).toDoubleMatrix();
        for (SurvivalModel model : List.of(ModelFixtures.weibull(), ModelFixtures.grid())) {
            for (double level : new double[] {0.9, 0.5, 0.1}) {
                double[] q = model.quantileTime(x, level);
                for (int i = 0; i < x.length; i++) {
                    // both closed forms: S(q) = level up to the rounding of exp, log and a square root
                    assertEquals(level, model.survival(new double[][] {x[i]}, q[i])[0][0], 1e-12,
                            model.kind() + " row " + i + " level " + level);
                }
            }
        }
    }

    @Test
    void theWeibullCurveIsItsClosedForm() {
        SurvivalModel model = ModelFixtures.weibull();
        double[][] x = ModelFixtures.features(4, 3).toDoubleMatrix();
        double[][] out = model.output(x);
        double[][] s = model.survival(x, 0, 0.7, 3);
        for (int i = 0; i < x.length; i++) {
            double lambda = Math.exp(out[i][0]);
            double rho = Math.exp(out[i][1]);
            assertEquals(1, s[i][0]);
            assertEquals(Math.exp(-Math.pow(0.7 / lambda, rho)), s[i][1], 1e-14);
            assertEquals(Math.exp(-Math.pow(3 / lambda, rho)), s[i][2], 1e-14);
        }
    }
}
