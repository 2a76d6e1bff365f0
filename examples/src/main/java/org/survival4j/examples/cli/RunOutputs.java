package org.survival4j.examples.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.survival4j.examples.train.ModelCalibration;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.ModelImportance;
import org.survival4j.examples.train.Outcome;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.StoppingRule;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.explain.PermutationImportance;
import org.survival4j.model.SurvivalModel;
import org.survival4j.model.TrainingSummary;

/**
 * The end of a training run, shared by {@code train} and {@code tune}: each model evaluated on the
 * test rows and printed as a table, then the files of {@code --out} computed in memory and written
 * as one set: {@code model.zip} (the first model, with its feature recipe and training summary),
 * {@code metrics.json}, {@code predictions.csv}, the plots, and any extra text files.
 */
final class RunOutputs {
    /** The model file in --out ({@link SurvivalModel#save}). */
    static final String MODEL_FILE = "model.zip";

    private RunOutputs() {
    }

    /** A trained model and its name in the table. */
    record Run(String name, TrainedModel model) {
    }

    /**
     * What a run writes.
     *
     * @param fitOn the rows the first model was fitted on (standardized)
     * @param test the test rows (standardized like {@code fitOn})
     * @param runs the models, the first one saved
     * @param standardization fitted on {@code fitOn}; its recipe goes into the model file
     * @param summaryText what the model file's summary says of the data and options (the settings are added)
     * @param monitored what the training curves' C-index was computed on, e.g. "validation data"
     * @param stopping the early-stopping rule of the runs, or {@code null}
     * @param extraMetrics entries added to {@code metrics.json} after the models
     * @param extraFiles further text files, by name
     * @param horizon the calibration's (and the importance's AUC and Brier score's) time, or {@code null}
     *     for the default ({@link Report#defaultHorizon})
     * @param importanceRepeats permutations per feature of the first model's importance
     * @param seed the importance's permutations
     */
    record Content(SurvivalData fitOn, SurvivalData test, List<Run> runs, Standardization standardization,
                   Map<String, String> summaryText, String monitored, StoppingRule stopping,
                   Map<String, Object> extraMetrics, Map<String, String> extraFiles, Double horizon,
                   int importanceRepeats, long seed) {
    }

    /** Evaluates, prints the table, and writes the files into {@code out}; {@code start} is the run's start (nanos). */
    static void write(PrintStream stdout, Path out, Content c, long start) {
        List<ModelEvaluation> evaluations = new ArrayList<>();
        for (Run run : c.runs()) {
            evaluations.add(ModelEvaluation.of(run.model().survivalModel(), c.test()));
        }
        stdout.println();
        List<String> names = c.runs().stream().map(Run::name).toList();
        Report.table(stdout, c.test(), names, evaluations);

        // everything is computed before the first file is written
        TrainedModel main = c.runs().get(0).model();
        SurvivalModel model = main.survivalModel().withRecipe(c.standardization().recipe(c.fitOn().recipe()))
                .withSummary(summary(c, main, testMetrics(evaluations.get(0))));
        double[] times = Report.defaultTimes(model);
        // calibration of every model at the horizon and the first model's feature importance, on the test rows
        double at = c.horizon() != null ? c.horizon() : Report.defaultHorizon(model);
        List<ModelCalibration> calibrations = c.runs().stream()
                .map(r -> ModelCalibration.of(r.model().survivalModel(), c.test(), at)).toList();
        Outcome<PermutationImportance> importance = ModelImportance.of(model, c.test(), at, c.importanceRepeats(),
                c.seed());
        CalibrationReport.print(stdout, c.test(), names, calibrations, importance);
        Map<String, Object> metrics = Report.metrics(c.fitOn(), c.test(), names,
                c.runs().stream().map(r -> r.model().settings()).toList(), evaluations, calibrations, importance,
                (System.nanoTime() - start) / 1e9);
        addStopping(metrics, c);
        c.extraMetrics().forEach(metrics::put);
        metrics.put("seconds", metrics.remove("seconds")); // stays last
        String predictions = Report.predictions(model, c.test(), times, true);
        Map<String, Chart<?, ?>> charts = Plots.draw(main, c.test(), c.monitored(), calibrations.get(0), importance);

        writeFiles(stdout, out, model, metrics, predictions, charts, c.extraFiles(), start);
    }

    /**
     * As {@link #write} for competing-risks models: a table and {@code metrics.json} entry per
     * model, per cause at the horizon ({@link CompetingRisksReport}); the first model's file,
     * {@code predictions.csv} with the cumulative incidence of each cause, training curves and
     * cumulative-incidence plot.
     * There is no calibration or feature importance for these models yet.
     */
    static void writeCompeting(PrintStream stdout, Path out, Content c, long start) {
        TrainedModel main = c.runs().get(0).model();
        SurvivalModel trained = main.survivalModel();
        double at = c.horizon() != null ? c.horizon() : Report.defaultHorizon(trained);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("train", Report.dataSummary(c.fitOn()));
        metrics.put("test", Report.dataSummary(c.test()));
        List<Map<String, Object>> models = new ArrayList<>();
        List<List<CompetingRisksReport.CauseScores>> byModel = new ArrayList<>();
        for (Run run : c.runs()) {
            List<CompetingRisksReport.CauseScores> s = CompetingRisksReport.evaluate(run.model().survivalModel(),
                    c.test(), at);
            byModel.add(s);
            stdout.println();
            CompetingRisksReport.table(stdout, c.test(), run.name(), at, s);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", run.name());
            m.put("settings", run.model().settings());
            m.put("horizon", at);
            m.put("causes", CompetingRisksReport.json(s));
            models.add(m);
        }
        metrics.put("models", models);
        addStopping(metrics, c);
        c.extraMetrics().forEach(metrics::put);
        metrics.put("seconds", (System.nanoTime() - start) / 1e9);
        Map<String, Double> summaryMetrics = new LinkedHashMap<>();
        for (CompetingRisksReport.CauseScores s : byModel.get(0)) { // the first model's, for its file
            String prefix = "test.cause" + s.cause() + ".";
            if (s.auc().defined()) {
                summaryMetrics.put(prefix + "auc", s.auc().value().estimate());
            }
            if (s.brier().defined()) {
                summaryMetrics.put(prefix + "brier", s.brier().value().estimate());
            }
            if (s.concordance().defined()) {
                summaryMetrics.put(prefix + "concordance", s.concordance().value().estimate());
            }
        }
        SurvivalModel model = trained.withRecipe(c.standardization().recipe(c.fitOn().recipe()))
                .withSummary(summary(c, main, summaryMetrics));
        String predictions = CompetingRisksReport.predictions(model, c.test(), Report.defaultTimes(model), true);
        Map<String, Chart<?, ?>> charts = Plots.drawCompeting(main, c.test(), c.monitored());
        writeFiles(stdout, out, model, metrics, predictions, charts, Map.of(), start);
    }

    /** Writes the files of a run as one set, and says so. */
    private static void writeFiles(PrintStream stdout, Path out, SurvivalModel model, Map<String, Object> metrics,
                                   String predictions, Map<String, Chart<?, ?>> charts, Map<String, String> extraFiles,
                                   long start) {
        OutputFiles.writeAll(out, dir -> {
            OutputFiles.write(dir.resolve(MODEL_FILE), model::save);
            OutputFiles.write(dir.resolve("metrics.json"), f -> Report.JSON.writeValue(f.toFile(), metrics));
            OutputFiles.write(dir.resolve("predictions.csv"), f -> Files.writeString(f, predictions));
            charts.forEach((name, chart) -> OutputFiles.write(dir.resolve(name), f -> Plots.save(chart, f)));
            extraFiles.forEach((name, text) -> OutputFiles.write(dir.resolve(name), f -> Files.writeString(f, text)));
        });
        List<String> written = new ArrayList<>(List.of(MODEL_FILE, "metrics.json", "predictions.csv"));
        written.addAll(charts.keySet());
        written.addAll(extraFiles.keySet());
        stdout.printf(Locale.ROOT, "%nwrote %s: %s (%.0f s)%n", out, String.join(", ", written),
                (System.nanoTime() - start) / 1e9);
    }

    /** Per early-stopped model in {@code metrics.json}: the rule, the epoch kept and why. */
    @SuppressWarnings("unchecked")
    private static void addStopping(Map<String, Object> metrics, Content c) {
        List<Map<String, Object>> models = (List<Map<String, Object>>) metrics.get("models");
        for (int i = 0; i < c.runs().size(); i++) {
            TrainedModel m = c.runs().get(i).model();
            if (m.stopping() != null) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("criterion", c.stopping().criterionName());
                s.put("patience", c.stopping().patience());
                s.put("maxEpochs", c.stopping().maxEpochs());
                s.put("epochsTrained", m.stopping().epochs());
                s.put("bestEpoch", m.stopping().bestEpoch());
                s.put("bestScore", m.stopping().bestScore());
                s.put("reason", m.stopping().reason());
                s.put("scores", m.stopping().scores());
                models.get(i).put("earlyStopping", s);
            }
        }
    }

    /**
     * What the model file records of this run: the rows and events it was fitted on, the data and
     * settings as text, the constant covariates, and the main model's test metrics.
     */
    private static TrainingSummary summary(Content c, TrainedModel main, Map<String, Double> metrics) {
        Map<String, String> text = new LinkedHashMap<>(c.summaryText());
        Map<String, Object> fields = Report.JSON.convertValue(main.settings(),
                new TypeReference<LinkedHashMap<String, Object>>() {
                });
        fields.forEach((name, value) -> text.put(name, String.valueOf(value)));
        text.put("description", main.settings().describe());
        if (main.stopping() != null) {
            text.put("earlyStopping", c.stopping() + "; " + main.stopping());
        }
        text.putAll(c.standardization().summarySettings(c.fitOn().columns()));
        return new TrainingSummary(c.fitOn().size(), c.fitOn().events(), text, metrics);
    }

    /** The main model's test metrics that the model file's summary keeps. */
    private static Map<String, Double> testMetrics(ModelEvaluation evaluation) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("test.harrell", evaluation.harrell().estimate());
        metrics.put("test.uno", evaluation.uno().estimate());
        metrics.put("test.integratedBrier", evaluation.integratedBrier());
        if (evaluation.meanAuc() != null) {
            metrics.put("test.meanAuc", evaluation.meanAuc().estimate());
        }
        return metrics;
    }
}
