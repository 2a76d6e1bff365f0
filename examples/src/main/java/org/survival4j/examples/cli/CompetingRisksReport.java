package org.survival4j.examples.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.train.Outcome;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.metrics.AalenJohansen;
import org.survival4j.metrics.BrierScore;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.ConcordanceResult;
import org.survival4j.metrics.InfluenceEstimate;
import org.survival4j.metrics.TimeDependentAuc;
import org.survival4j.model.SurvivalModel;

/**
 * What {@code train} and {@code predict} report of a competing-risks model (cause-specific Cox,
 * Fine-Gray, DeepHit): per cause {@code k} on the test rows, the predicted cumulative incidence
 * \( \hat F_k(h \mid x) \) at the horizon {@code h} scored by the library's cause-specific metrics
 * (as riskRegression's {@code Score(..., cause = k)}): the IPCW time-dependent AUC and Brier score
 * with their influence-function standard errors, Wolbers' concordance with its standard error, and
 * the test rows' Aalen-Johansen estimate next to the mean prediction; and the predictions CSV with
 * one column {@code cif_<cause>_<time>} per cause and time.
 */
final class CompetingRisksReport {
    private CompetingRisksReport() {
    }

    /**
     * One cause's scores at the horizon; a statistic the test rows do not define (no case of the
     * cause by the horizon) is an outcome with its reason.
     *
     * @param testEvents events of this cause in the test rows
     * @param aalenJohansen the test rows' Aalen-Johansen cumulative incidence at the horizon
     * @param meanPredicted the mean predicted cumulative incidence at the horizon
     */
    record CauseScores(int cause, int testEvents, double aalenJohansen, double meanPredicted,
                       Outcome<InfluenceEstimate> auc, Outcome<InfluenceEstimate> brier,
                       Outcome<ConcordanceResult> concordance) {
    }

    /** Scores every cause of {@code model} on {@code test} (covariates standardized as in training) at {@code horizon}. */
    static List<CauseScores> evaluate(SurvivalModel model, SurvivalData test, double horizon) {
        INDArray time = test.timeArray();
        INDArray cause = Nd4j.createFromArray(test.event());
        List<CauseScores> scores = new ArrayList<>();
        for (int k : model.causes()) {
            int cause0 = k;
            INDArray f = Nd4j.createFromArray(column(model.cumulativeIncidence(test.x(), k, horizon)));
            int events = (int) Arrays.stream(test.event()).filter(e -> e == cause0).count();
            double aj = AalenJohansen.cumulativeIncidence(time, cause, k, new double[] {horizon})[0];
            scores.add(new CauseScores(k, events, aj, f.meanNumber().doubleValue(),
                    Outcome.of("the AUC of cause " + k, () -> TimeDependentAuc.causeSpecificInference(f, horizon,
                            time, cause, k)),
                    Outcome.of("the Brier score of cause " + k, () -> BrierScore.causeSpecificInference(f, horizon,
                            time, cause, k)),
                    Outcome.of("the concordance of cause " + k, () -> ConcordanceIndex.causeSpecificResult(f, time,
                            cause, k))));
        }
        return scores;
    }

    /** The table of {@link #evaluate}'s scores, one line per cause. */
    static void table(PrintStream out, SurvivalData test, String name, double horizon, List<CauseScores> scores) {
        out.printf(Locale.ROOT, "Test data: %s (n = %d, events = %d); %s; cumulative incidence F_k at t = %s;"
                + " 95 %% CI (influence function; C: Wolbers' concordance)%n", test.name(), test.size(),
                test.events(), name, Report.number(horizon));
        String row = "%-6s %-7s %-20s %-24s %-24s %s%n";
        out.printf(Locale.ROOT, row, "cause", "events", "F_k: AJ / predicted", "AUC", "Brier", "C");
        for (CauseScores s : scores) {
            out.printf(Locale.ROOT, row, s.cause(), s.testEvents(),
                    String.format(Locale.ROOT, "%.4f / %.4f", s.aalenJohansen(), s.meanPredicted()),
                    text(s.auc()), text(s.brier()),
                    s.concordance().defined() ? Report.withInterval(s.concordance().value()) : "n/a");
        }
        for (CauseScores s : scores) {
            for (Outcome<?> o : List.of(s.auc(), s.brier(), s.concordance())) {
                if (!o.defined()) {
                    out.println("  n/a: " + o.reason());
                }
            }
        }
    }

    private static String text(Outcome<InfluenceEstimate> e) {
        return e.defined() ? Report.withInterval(e.value()) : "n/a";
    }

    /** The scores as {@code metrics.json} holds them, one entry per cause. */
    static List<Map<String, Object>> json(List<CauseScores> scores) {
        List<Map<String, Object>> causes = new ArrayList<>();
        for (CauseScores s : scores) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cause", s.cause());
            m.put("testEvents", s.testEvents());
            m.put("aalenJohansen", s.aalenJohansen());
            m.put("meanPredicted", s.meanPredicted());
            m.put("auc", inference(s.auc()));
            m.put("brier", inference(s.brier()));
            m.put("concordance", s.concordance().defined() ? Report.interval(s.concordance().value().estimate(),
                    s.concordance().value().standardError(), s.concordance().value().confidenceInterval(Report.ALPHA))
                    : Map.of("undefined", s.concordance().reason()));
            causes.add(m);
        }
        return causes;
    }

    private static Map<String, Object> inference(Outcome<InfluenceEstimate> e) {
        return e.defined() ? Report.interval(e.value().estimate(), e.value().standardError(),
                e.value().confidenceInterval(Report.ALPHA)) : Map.of("undefined", e.reason());
    }

    /**
     * The predictions as CSV text: row number, time and cause (with {@code withOutcome}), then the
     * cumulative incidence of each cause at each time, {@code cif_<cause>_<time>}.
     */
    static String predictions(SurvivalModel model, SurvivalData data, double[] times, boolean withOutcome) {
        List<String> header = new ArrayList<>();
        int[] causes = model.causes();
        double[][][] f = new double[causes.length][][];
        for (int c = 0; c < causes.length; c++) {
            f[c] = model.cumulativeIncidence(data.x(), causes[c], times);
            for (double t : times) {
                header.add("cif_" + causes[c] + "_" + Report.number(t));
            }
        }
        return Report.csv(header, data, withOutcome, "cause", i -> {
            List<Object> row = new ArrayList<>();
            for (double[][] byCause : f) {
                for (double v : byCause[i]) {
                    row.add(String.format(Locale.ROOT, "%.6f", v));
                }
            }
            return row;
        });
    }

    static double[] column(double[][] m) {
        return Arrays.stream(m).mapToDouble(r -> r[0]).toArray();
    }
}
