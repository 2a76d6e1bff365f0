package org.survival4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.train.ModelCalibration;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.Outcome;
import org.survival4j.examples.train.Quantiles;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.explain.PermutationImportance;
import org.survival4j.metrics.ConcordanceComparison;
import org.survival4j.metrics.ConcordanceResult;
import org.survival4j.metrics.ConfidenceInterval;
import org.survival4j.metrics.InfluenceEstimate;
import org.survival4j.model.SurvivalModel;

/** The final table, {@code metrics.json} and {@code predictions.csv}. */
final class Report {
    static final double ALPHA = 0.05;
    /** Writes {@code metrics.json}. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The median column's value where survival never falls to one half. */
    static final String NOT_REACHED = "not reached";

    private Report() {
    }

    /**
     * The comparison table: Harrell's and Uno's C, the integrated Brier score and the mean AUC with
     * 95 % intervals; with several models, the paired differences of each from the first, with
     * two-sided p-values.
     */
    static void table(PrintStream out, SurvivalData test, List<String> names, List<ModelEvaluation> evaluations) {
        int width = Math.max(28, names.stream().mapToInt(String::length).max().orElse(0) + 2);
        ModelEvaluation first = evaluations.get(0);
        out.printf(Locale.ROOT, "Test data: %s (n = %d, events = %d); 95 %% CI (C: Noether; IBS, AUC: influence "
                + "function); IBS and mean AUC over t = %.0f..%.0f%n", test.name(), test.size(), test.events(),
                first.times()[0], first.times()[first.times().length - 1]);
        String row = "%-" + width + "s %-24s %-24s %-24s %s%n";
        out.printf(Locale.ROOT, row, "model", "Harrell's C", "Uno's C", "IBS", "mean AUC");
        for (int i = 0; i < names.size(); i++) {
            ModelEvaluation e = evaluations.get(i);
            out.printf(Locale.ROOT, row, names.get(i), withInterval(e.harrell()), withInterval(e.uno()),
                    withInterval(e.integratedBrierInference()), withInterval(e.meanAuc()));
        }
        if (names.size() > 1) {
            out.printf(Locale.ROOT, "Paired differences from %s (two-sided p):%n", names.get(0));
            String diff = "%-" + width + "s %-24s %-24s %s%n";
            out.printf(Locale.ROOT, diff, "model", "Harrell's C", "IBS", "mean AUC");
            for (int i = 1; i < names.size(); i++) {
                Differences d = Differences.of(evaluations.get(i), first, test);
                out.printf(Locale.ROOT, diff, names.get(i), withP(d.harrell().difference(), d.harrell().pValue()),
                        d.integratedBrier() == null ? "n/a" : withP(d.integratedBrier().estimate(),
                                d.integratedBrier().pValue(0)),
                        d.meanAuc() == null ? "n/a" : withP(d.meanAuc().estimate(), d.meanAuc().pValue(0)));
            }
        }
    }

    /** One model's paired differences from another on the same test rows. */
    record Differences(ConcordanceComparison harrell, InfluenceEstimate integratedBrier, InfluenceEstimate meanAuc) {
        static Differences of(ModelEvaluation e, ModelEvaluation reference, SurvivalData test) {
            ConcordanceComparison harrell = ConcordanceComparison.harrell(Nd4j.createFromArray(e.risk()),
                    Nd4j.createFromArray(reference.risk()), test.timeArray(), test.eventArray());
            InfluenceEstimate auc = e.meanAuc() == null || reference.meanAuc() == null ? null
                    : e.meanAuc().minus(reference.meanAuc());
            return new Differences(harrell, e.integratedBrierInference().minus(reference.integratedBrierInference()),
                    auc);
        }
    }

    static String withInterval(ConcordanceResult c) {
        return withInterval(c.estimate(), c.confidenceInterval(ALPHA));
    }

    /** {@code 0.6968 (0.6681-0.7255)}; with a negative bound {@code -0.8461 (-1.3033 to -0.3888)}, which a dash would garble. */
    static String withInterval(double estimate, ConfidenceInterval ci) {
        String to = ci.lower() < 0 || ci.upper() < 0 ? " to " : "-";
        return String.format(Locale.ROOT, "%.4f (%.4f%s%.4f)", estimate, ci.lower(), to, ci.upper());
    }

    static String withInterval(InfluenceEstimate e) {
        return e == null ? "n/a" : withInterval(e.estimate(), e.confidenceInterval(ALPHA));
    }

    private static String withP(double difference, double p) {
        return String.format(Locale.ROOT, "%+.4f (%s)", difference, p(p));
    }

    /** A p-value for the tables: {@code p 0.1234}, or {@code p < 0.0001}. */
    static String p(double p) {
        return p < 1e-4 ? "p < 0.0001" : String.format(Locale.ROOT, "p %.4f", p);
    }

    /**
     * The content of {@code metrics.json}: data sizes, settings and metrics of every model, with
     * its calibration ({@link CalibrationReport#json(ModelCalibration)}); the first model also
     * with its feature importance.
     */
    static Map<String, Object> metrics(SurvivalData train, SurvivalData test, List<String> names,
                                       List<TrainingSettings> settings, List<ModelEvaluation> evaluations,
                                       List<ModelCalibration> calibrations, Outcome<PermutationImportance> importance,
                                       double seconds) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("train", dataSummary(train));
        root.put("test", dataSummary(test));
        List<Object> models = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ModelEvaluation e = evaluations.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", names.get(i));
            m.put("settings", settings.get(i));
            m.put("harrell", concordance(e.harrell()));
            m.put("uno", concordance(e.uno()));
            m.put("unoTruncation", e.times()[e.times().length - 1]);
            m.put("integratedBrier", e.integratedBrier());
            m.put("integratedBrierInference", inference(e.integratedBrierInference()));
            m.put("meanAuc", e.meanAuc() == null ? null : inference(e.meanAuc()));
            if (i > 0) {
                Differences d = Differences.of(e, evaluations.get(0), test);
                Map<String, Object> versus = new LinkedHashMap<>();
                versus.put("reference", names.get(0));
                versus.put("harrell", difference(d.harrell().difference(), d.harrell().standardError(),
                        d.harrell().pValue()));
                versus.put("integratedBrier", difference(d.integratedBrier()));
                versus.put("meanAuc", d.meanAuc() == null ? null : difference(d.meanAuc()));
                m.put("versusFirst", versus);
            }
            m.put("brierTimes", e.times());
            m.put("brier", e.brier());
            m.put("calibration", CalibrationReport.json(calibrations.get(i)));
            if (i == 0) {
                m.put("importance", CalibrationReport.json(importance));
            }
            models.add(m);
        }
        root.put("models", models);
        root.put("seconds", seconds);
        return root;
    }

    static Map<String, Object> dataSummary(SurvivalData d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("rows", d.size());
        m.put("events", d.events());
        m.put("features", d.columns());
        return m;
    }

    private static Map<String, Object> inference(InfluenceEstimate e) {
        return interval(e.estimate(), e.standardError(), e.confidenceInterval(ALPHA));
    }

    private static Map<String, Object> concordance(ConcordanceResult c) {
        return interval(c.estimate(), c.standardError(), c.confidenceInterval(ALPHA));
    }

    static Map<String, Object> interval(double estimate, double standardError, ConfidenceInterval ci) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimate", estimate);
        m.put("standardError", standardError);
        m.put("lower95", ci.lower());
        m.put("upper95", ci.upper());
        return m;
    }

    private static Map<String, Object> difference(InfluenceEstimate d) {
        return difference(d.estimate(), d.standardError(), d.pValue(0));
    }

    private static Map<String, Object> difference(double difference, double standardError, double p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("difference", difference);
        m.put("standardError", standardError);
        m.put("p", p);
        return m;
    }

    /**
     * The predictions as CSV text, one row per subject: its row number, time and event (with
     * {@code withOutcome}), risk score, risk tertile (with {@code withOutcome}), predicted survival
     * at {@code times} and the median survival time ({@value #NOT_REACHED} where the curve stays
     * above one half), all from the model. Computed in memory, so that nothing is written if it fails.
     *
     * @param data rows whose covariates are the model's inputs (standardized as in training)
     */
    static String predictions(SurvivalModel model, SurvivalData data, double[] times, boolean withOutcome) {
        List<String> header = new ArrayList<>(List.of("risk"));
        if (withOutcome) {
            header.add("risk_tertile");
        }
        for (double t : times) {
            header.add("survival_at_" + number(t));
        }
        header.add("median");
        double[] risk = model.risk(data.x());
        int[] tertile = Plots.tertiles(risk);
        double[][] survival = model.survival(data.x(), times);
        double[] median = model.quantileTime(data.x(), 0.5);
        return csv(header, data, withOutcome, "event", i -> {
            List<Object> row = new ArrayList<>();
            row.add(String.format(Locale.ROOT, "%.6f", risk[i]));
            if (withOutcome) {
                row.add(new String[] {"low", "medium", "high"}[tertile[i]]);
            }
            for (int k = 0; k < times.length; k++) {
                row.add(String.format(Locale.ROOT, "%.6f", survival[i][k]));
            }
            row.add(Double.isInfinite(median[i]) ? NOT_REACHED : String.format(Locale.ROOT, "%.6f", median[i]));
            return row;
        });
    }

    /**
     * Predictions as CSV text: per row of {@code data} its number (from 1), with
     * {@code withOutcome} its time and event code (a column named {@code eventName}), then the
     * columns {@code header} with the values {@code values.apply(row index)}.
     */
    static String csv(List<String> header, SurvivalData data, boolean withOutcome, String eventName,
                      IntFunction<List<Object>> values) {
        List<String> all = new ArrayList<>(List.of("row"));
        if (withOutcome) {
            all.addAll(List.of("time", eventName));
        }
        all.addAll(header);
        StringBuilder w = new StringBuilder();
        try {
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(all.toArray(String[]::new))
                    .setRecordSeparator('\n').build());
            for (int i = 0; i < data.size(); i++) {
                List<Object> row = new ArrayList<>();
                row.add(i + 1);
                if (withOutcome) {
                    row.add(number(data.time()[i]));
                    row.add(number(data.event()[i]));
                }
                row.addAll(values.apply(i));
                csv.printRecord(row);
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return w.toString();
    }

    /** Quartiles of the model's time grid (the distinct training event times): where survival is reported by default. */
    static double[] defaultTimes(SurvivalModel model) {
        double[] events = model.timeGrid();
        double[] times = new double[3];
        for (int k = 0; k < 3; k++) {
            times[k] = Quantiles.lower(events, (k + 1) / 4.0);
        }
        return Arrays.stream(times).distinct().toArray();
    }

    /**
     * Where calibration and importance are assessed by default: the middle of
     * {@link #defaultTimes}, the median of the model's distinct training event times (so the
     * predicted risk there is one minus a survival column of {@code predictions.csv}).
     */
    static double defaultHorizon(SurvivalModel model) {
        double[] times = defaultTimes(model);
        return times[times.length / 2];
    }

    /** A number without a trailing ".0" when it is whole. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
