package org.survival4j.examples.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.survival4j.examples.train.ModelCalibration;
import org.survival4j.examples.train.Outcome;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.explain.FeatureGroup;
import org.survival4j.explain.PermutationImportance;
import org.survival4j.explain.PermutationImportance.Metric;
import org.survival4j.metrics.CalibrationCurve;
import org.survival4j.metrics.CalibrationInTheLarge;
import org.survival4j.metrics.CalibrationSlope;
import org.survival4j.metrics.DCalibration;
import org.survival4j.metrics.GroupedCalibration;
import org.survival4j.metrics.RepeatedEstimate;
import org.survival4j.metrics.SmoothCalibration;

/**
 * The calibration and importance part of {@code train}'s report: a table of each model's
 * calibration at the horizon, the main model's permutation importance for Harrell's C, and their
 * entries in {@code metrics.json}. A statistic the test data do not define is shown as
 * {@code n/a} with its reason below the table, and is {@code null} in the JSON with the reason in
 * {@code unavailable}.
 */
final class CalibrationReport {
    private CalibrationReport() {
    }

    /**
     * Prints the calibration table (one row per model) and the importance of the first model's
     * features, most important first.
     */
    static void print(PrintStream out, SurvivalData test, List<String> names, List<ModelCalibration> calibrations,
                      Outcome<PermutationImportance> importance) {
        int width = Math.max(28, names.stream().mapToInt(String::length).max().orElse(0) + 2);
        out.printf(Locale.ROOT, "%nCalibration at t = %s on %s (--horizon to choose): ICI, E50, E90 = mean, median and"
                + " 90th percentile of |predicted - observed risk| (smooth curve); slope and observed/expected with"
                + " 95 %% CI; Greenwood-Nam-D'Agostino over groups of predicted risk; D-calibration of the whole curves"
                + "%n", Report.number(calibrations.get(0).horizon()), test.name());
        String row = "%-" + width + "s %-7s %-7s %-7s %-24s %-24s %-28s %s%n";
        out.printf(Locale.ROOT, row, "model", "ICI", "E50", "E90", "slope", "O/E", "GND chi2", "D-calibration chi2");
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ModelCalibration c = calibrations.get(i);
            out.printf(Locale.ROOT, row, names.get(i), show(c.smooth(), s -> fixed(s.ici())),
                    show(c.smooth(), s -> fixed(s.e50())), show(c.smooth(), s -> fixed(s.e90())),
                    show(c.slope(), s -> Report.withInterval(s.estimate(), s.confidenceInterval(Report.ALPHA))),
                    show(c.inTheLarge(), o -> Report.withInterval(o.ratio(), o.confidenceInterval(Report.ALPHA))),
                    show(c.grouped(), g -> String.format(Locale.ROOT, "%.2f, %d groups (%s)", g.statistic(),
                            g.groups(), Report.p(g.pValue()))),
                    show(c.dCalibration(), d -> String.format(Locale.ROOT, "%.2f (%s)", d.statistic(),
                            Report.p(d.pValue()))));
            for (String reason : reasons(c)) {
                reasons.add(names.get(i) + ": " + reason);
            }
            if (c.grouped().defined() && c.grouped().value().fewEvents()) {
                reasons.add(names.get(i) + ": a GND group has fewer than " + GroupedCalibration.RECOMMENDED_EVENTS
                        + " events by t; its test may be unstable");
            }
        }
        reasons.forEach(r -> out.println("  " + r));
        if (!importance.defined()) {
            out.printf(Locale.ROOT, "%nFeature importance of %s: n/a, %s%n", names.get(0), importance.reason());
            return;
        }
        PermutationImportance vi = importance.value();
        List<RepeatedEstimate> c = vi.importance(Metric.CONCORDANCE);
        out.printf(Locale.ROOT, "%nFeature importance of %s: loss of Harrell's C (%.4f) when the feature is permuted,"
                + " mean of %d permutations with the 95 %% CI of that mean (--importance-repeats for more)%n",
                names.get(0), vi.original(Metric.CONCORDANCE), c.get(0).values().length);
        int nameWidth = vi.groups().stream().mapToInt(g -> g.name().length()).max().orElse(0) + 2;
        for (int k : byImportance(vi)) {
            RepeatedEstimate e = c.get(k);
            out.printf(Locale.ROOT, "  %-" + nameWidth + "s %+.4f (%+.4f to %+.4f)%n", vi.groups().get(k).name(),
                    e.mean(), e.confidenceInterval(Report.ALPHA).lower(), e.confidenceInterval(Report.ALPHA).upper());
        }
    }

    /** The feature indices by decreasing importance for Harrell's C. */
    static int[] byImportance(PermutationImportance vi) {
        List<RepeatedEstimate> c = vi.importance(Metric.CONCORDANCE);
        return IntStream.range(0, c.size()).boxed().sorted(Comparator.comparingDouble(k -> -c.get(k).mean()))
                .mapToInt(Integer::intValue).toArray();
    }

    /** One model's {@code calibration} entry of {@code metrics.json}. */
    static Map<String, Object> json(ModelCalibration c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("horizon", c.horizon());
        m.put("ici", value(c.smooth(), SmoothCalibration::ici));
        m.put("e50", value(c.smooth(), SmoothCalibration::e50));
        m.put("e90", value(c.smooth(), SmoothCalibration::e90));
        m.put("slope", value(c.slope(), CalibrationReport::slope));
        m.put("observedExpected", value(c.inTheLarge(), CalibrationReport::observedExpected));
        m.put("gnd", value(c.grouped(), CalibrationReport::grouped));
        m.put("dCalibration", value(c.dCalibration(), CalibrationReport::dCalibration));
        m.put("curve", value(c.curve(), CalibrationReport::curve));
        m.put("unavailable", reasons(c));
        return m;
    }

    /** The main model's {@code importance} entry of {@code metrics.json}: every feature, for all three metrics. */
    static Map<String, Object> json(Outcome<PermutationImportance> importance) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!importance.defined()) {
            m.put("unavailable", List.of(importance.reason()));
            return m;
        }
        PermutationImportance vi = importance.value();
        m.put("horizon", vi.horizon());
        m.put("repeats", vi.importance(Metric.CONCORDANCE).get(0).values().length);
        m.put("original", Map.of("harrell", vi.original(Metric.CONCORDANCE), "auc", vi.original(Metric.AUC),
                "brier", vi.original(Metric.BRIER)));
        List<Object> features = new ArrayList<>();
        for (int k = 0; k < vi.groups().size(); k++) {
            FeatureGroup g = vi.groups().get(k);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", g.name());
            f.put("harrell", repeated(vi.importance(Metric.CONCORDANCE).get(k)));
            f.put("auc", repeated(vi.importance(Metric.AUC).get(k)));
            f.put("brier", repeated(vi.importance(Metric.BRIER).get(k)));
            features.add(f);
        }
        m.put("features", features);
        return m;
    }

    private static Map<String, Object> slope(CalibrationSlope s) {
        Map<String, Object> m = Report.interval(s.estimate(), s.standardError(), s.confidenceInterval(Report.ALPHA));
        m.put("pSlopeIsOne", s.pValue());
        return m;
    }

    private static Map<String, Object> observedExpected(CalibrationInTheLarge o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ratio", o.ratio());
        m.put("observedRisk", o.observedRisk());
        m.put("expectedRisk", o.expectedRisk());
        m.put("lower95", o.confidenceInterval(Report.ALPHA).lower());
        m.put("upper95", o.confidenceInterval(Report.ALPHA).upper());
        m.put("p", o.pValue());
        return m;
    }

    private static Map<String, Object> grouped(GroupedCalibration g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chiSquare", g.statistic());
        m.put("degreesOfFreedom", g.degreesOfFreedom());
        m.put("p", g.pValue());
        m.put("groups", g.groups());
        m.put("size", g.size());
        m.put("events", g.events());
        m.put("meanPredictedRisk", g.meanPredictedRisk());
        m.put("observedRisk", g.observedRisk());
        m.put("observedVariance", g.observedVariance());
        return m;
    }

    private static Map<String, Object> dCalibration(DCalibration d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chiSquare", d.statistic());
        m.put("degreesOfFreedom", d.degreesOfFreedom());
        m.put("p", d.pValue());
        m.put("counts", d.counts());
        return m;
    }

    private static Map<String, Object> curve(CalibrationCurve c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("predictedRisk", c.predicted());
        m.put("observedRisk", c.observed());
        m.put("lower95", c.lower());
        m.put("upper95", c.upper());
        return m;
    }

    private static Map<String, Object> repeated(RepeatedEstimate e) {
        return Report.interval(e.mean(), e.standardError(), e.confidenceInterval(Report.ALPHA));
    }

    private static <T> Object value(Outcome<T> o, Function<T, Object> json) {
        return o.defined() ? json.apply(o.value()) : null;
    }

    /** Why statistics of {@code c} are not defined (the curve's reason is the smooth fit's). */
    private static List<String> reasons(ModelCalibration c) {
        List<String> r = new ArrayList<>();
        for (Outcome<?> o : List.of(c.smooth(), c.slope(), c.inTheLarge(), c.grouped(), c.dCalibration())) {
            if (!o.defined()) {
                r.add(o.reason());
            }
        }
        return r;
    }

    private static <T> String show(Outcome<T> o, Function<T, String> format) {
        return o.defined() ? format.apply(o.value()) : "n/a";
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

}
