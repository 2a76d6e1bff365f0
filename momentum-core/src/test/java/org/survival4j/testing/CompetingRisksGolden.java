package org.survival4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The competing-risks reference cases made by {@code golden-own/competing_risks.R} (R 4.2.2,
 * survival 3.5.3, riskRegression 2022.11.28; see the README there): mgus2 and Melanoma with
 * random log hazards per cause of sd 1 and 8, two causes. Per row: time, cause, stratum, start
 * (delayed entry), {@code lp_1}, {@code lp_2}, and minus the martingale residuals (the gradient)
 * of each fit, named {@code <fit>_<ties>_<cause>}; per case, in {@code cr_cases.csv}, minus each
 * fit's log-likelihood, {@code nll_<fit>_<ties>_<cause>}.
 */
public final class CompetingRisksGolden {
    /** The loss cases. */
    public static final List<String> CASES = List.of("mgus2_sd1", "mgus2_sd8", "melanoma_sd1", "melanoma_sd8");
    /** The two data sets. */
    public static final List<String> DATASETS = List.of("mgus2", "melanoma");

    private final String caseName;
    private final GoldenData rows;

    private CompetingRisksGolden(String caseName) {
        this.caseName = caseName;
        this.rows = GoldenData.own("cr_" + caseName + ".csv");
    }

    /** A case of {@link #CASES}. */
    public static CompetingRisksGolden of(String caseName) {
        return new CompetingRisksGolden(caseName);
    }

    /** The per-row table. */
    public GoldenData rows() {
        return rows;
    }

    /** Log hazards {@code [n, 2]}: {@code lp_1}, {@code lp_2}. */
    public INDArray logHz() {
        return rows.matrix("lp_1", "lp_2");
    }

    /** The stratum of each row (0 or 1). */
    public int[] strata() {
        return strata(rows);
    }

    /** Minus the martingale residuals of fit {@code term} (e.g. {@code csc_strata}) for both causes, {@code [n][2]}. */
    public double[][] gradient(String term, String ties) {
        double[] g1 = rows.column(term + "_" + ties + "_1");
        double[] g2 = rows.column(term + "_" + ties + "_2");
        double[][] g = new double[g1.length][];
        for (int i = 0; i < g.length; i++) {
            g[i] = new double[] {g1[i], g2[i]};
        }
        return g;
    }

    /** Minus the log-likelihood of fit {@code term} for one cause. */
    public double nll(String term, String ties, int cause) {
        return GoldenData.summary("/org/survival4j/golden-own/cr_cases.csv", caseName,
                "nll_" + term + "_" + ties + "_" + cause);
    }

    /** The number of events of a cause. */
    public int events(int cause) {
        return (int) GoldenData.summary("/org/survival4j/golden-own/cr_cases.csv", caseName, "events_" + cause);
    }

    /** The {@code stratum} column of a table as ints. */
    public static int[] strata(GoldenData table) {
        double[] s = table.column("stratum");
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (int) s[i];
        }
        return out;
    }

    /** A model's predicted incidences of some rows (by index in {@code cr_predict_<dataset>.csv}) at some times. */
    public interface Prediction {
        /** {@code [rows.length][times.length]}. */
        double[][] of(int[] rows, double[] times);
    }

    /**
     * Compares a model's predictions with R's for cause {@code k} at R's rows and times
     * ({@code cr_predict_<dataset>_new.csv}, model e.g. {@code csc_efron_strata}). riskRegression
     * reports NA after the last observed time of a row's stratum, where this library keeps the
     * last value (as {@code survfit} does): those cells are skipped.
     */
    public static void assertPredictionsMatchR(String dataset, String model, int k, Prediction prediction,
                                               double tolerance) {
        List<Map<String, String>> records = GoldenData.ownRecords("cr_predict_" + dataset + "_new.csv").stream()
                .filter(r -> r.get("model").equals(model) && Integer.parseInt(r.get("cause")) == k).toList();
        assertFalse(records.isEmpty(), "R has predictions of " + model + " for cause " + k);
        int[] newRows = records.stream().mapToInt(r -> Integer.parseInt(r.get("row"))).distinct().toArray();
        double[] times = records.stream().mapToDouble(r -> Double.parseDouble(r.get("time"))).distinct().toArray();
        double[][] actual = prediction.of(newRows, times);
        for (Map<String, String> r : records) {
            if (r.get("cif").equals("NA")) {
                continue;
            }
            int i = Arrays.binarySearch(newRows, Integer.parseInt(r.get("row")));
            int j = Arrays.binarySearch(times, Double.parseDouble(r.get("time")));
            assertEquals(Double.parseDouble(r.get("cif")), actual[i][j], tolerance, model + " cause " + k + " " + r);
        }
    }

    @Override
    public String toString() {
        return caseName;
    }
}
