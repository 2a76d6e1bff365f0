package org.survival4j.examples.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.Trainer;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code survival4j predict}: per-row risk and survival probabilities from a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Predict with a model written by 'survival4j train' (or any survival4j model file with a "
                + "feature recipe): one CSV row per input row with the risk score (higher = shorter survival), "
                + "the survival probability at each time and the median survival time; for a competing-risks "
                + "model, the cumulative incidence of each cause at each time (columns cif_<cause>_<time>).",
            "The input needs the model's feature columns; they are encoded and standardized as in training."})
final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|FILE", required = true,
            description = "The model file (model.zip), or the --out directory of 'survival4j train' that holds it.")
    Path model;
    @Option(names = "--data", paramLabel = "FILE.csv", required = true, description = "Rows to predict.")
    Path data;
    @Option(names = "--times", paramLabel = "T", split = ",", description = "Times at which to give survival "
            + "(comma-separated). Default: the quartiles of the model's distinct training event times.")
    List<Double> times;
    @Option(names = "--time", paramLabel = "COL", description = "With --event: also report the C-index and "
            + "integrated Brier score on --data (on stderr).")
    String timeColumn;
    @Option(names = "--event", paramLabel = "COL", description = "Event column for the evaluation (1 = event; "
            + "for a competing-risks model 1..K = the cause): C-index and integrated Brier score, or per cause "
            + "the AUC, Brier score and C of the cumulative incidence at the middle --times.")
    String eventColumn;
    @Option(names = "--out", paramLabel = "FILE.csv", description = "Where to write (default: standard output).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if ((timeColumn == null) != (eventColumn == null)) {
            throw new ParameterException(spec.commandLine(), "--time and --event go together");
        }
        double[] at = times == null ? null : times.stream().mapToDouble(Double::doubleValue).toArray();
        if (at != null) {
            for (int i = 0; i < at.length; i++) {
                if (!(at[i] >= 0) || Double.isInfinite(at[i])) {
                    throw new ParameterException(spec.commandLine(), "--times must be finite and >= 0, got "
                            + SurvivalArguments.format(at[i]));
                }
                for (int k = 0; k < i; k++) {
                    if (at[k] == at[i]) { // each time names an output column
                        throw new ParameterException(spec.commandLine(), "--times lists "
                                + SurvivalArguments.format(at[i]) + " twice");
                    }
                }
            }
        }
        if (out != null) {
            OutputFiles.checkWritableFile(out, "--out");
        }
        Trainer.useOneThread();
        SurvivalModel survivalModel = load(model);
        FeatureRecipe recipe = survivalModel.recipe();
        if (at == null) {
            at = Report.defaultTimes(survivalModel);
        }
        CsvTable table = CsvTable.read(data);
        // encoded and standardized by the model's recipe: the network's inputs
        boolean competing = survivalModel.competingRisks();
        SurvivalData rows = timeColumn == null ? SurvivalData.covariatesOnly(table, recipe)
                : SurvivalData.of(table, null, timeColumn, eventColumn, recipe,
                        competing ? SurvivalData.largestCause(table, eventColumn) : 1);
        warnFarOutside(survivalModel, table);

        // computed before anything is written, so that a failure leaves --out as it was
        String predictions = competing ? CompetingRisksReport.predictions(survivalModel, rows, at, false)
                : Report.predictions(survivalModel, rows, at, false);
        ModelEvaluation evaluation = timeColumn == null || competing ? null : ModelEvaluation.of(survivalModel, rows);
        double horizon = at[at.length / 2];
        List<CompetingRisksReport.CauseScores> scores = timeColumn == null || !competing ? null
                : CompetingRisksReport.evaluate(survivalModel, ModelEvaluation.requireEvaluable(rows), horizon);

        if (write(predictions, out)) {
            System.err.println("wrote " + rows.size() + " predictions to " + out);
        }
        if (evaluation != null) {
            System.err.printf(Locale.ROOT, "%s: Harrell's C %s, Uno's C %s, integrated Brier score %s, mean AUC %s%n",
                    table.name(), Report.withInterval(evaluation.harrell()), Report.withInterval(evaluation.uno()),
                    Report.withInterval(evaluation.integratedBrierInference()),
                    Report.withInterval(evaluation.meanAuc()));
        }
        if (scores != null) {
            CompetingRisksReport.table(System.err, rows, "model " + model, horizon, scores);
        }
        return 0;
    }

    /**
     * Writes CSV text to the file {@code out} (replaced whole), or to standard output when it is {@code null}.
     *
     * @return whether it went to a file
     */
    static boolean write(String csv, Path out) throws IOException {
        if (out == null) {
            Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            w.write(csv);
            w.flush();
            return false;
        }
        OutputFiles.write(out, f -> Files.writeString(f, csv));
        return true;
    }

    /**
     * Warns on standard error about values of {@code table} far outside the model's training data
     * (at most 5 listed), where its predictions are extrapolations.
     */
    static void warnFarOutside(SurvivalModel model, CsvTable table) {
        FeatureRecipe recipe = model.recipe();
        List<String> far = Standardization.of(recipe, model.summary())
                .farOutside(SurvivalData.covariatesOnly(table, Standardization.unscaled(recipe)), 5);
        if (!far.isEmpty()) {
            System.err.println("warning: values far outside the training data (predictions there are"
                    + " extrapolations):\n  " + String.join("\n  ", far));
        }
    }

    /**
     * The model at {@code path}, which the command line can predict with: one that has a feature
     * recipe (to read CSV columns) and no strata.
     *
     * @throws InvalidInputException if it cannot be read (the loader's message: the file and the
     *     entry that is missing, damaged or inconsistent) or is not such a model
     */
    static SurvivalModel load(Path path) {
        SurvivalModel model;
        try {
            model = SurvivalModel.load(path);
        } catch (IOException e) {
            String message = String.join(" ", String.valueOf(e.getMessage()).strip().split("\\s*\\R\\s*"));
            throw new InvalidInputException("cannot read the model: " + message, e); // one line, as every error
        }
        if (model.recipe() == null) {
            throw new InvalidInputException(path + " holds a model without a feature recipe: it takes encoded inputs,"
                    + " not CSV columns (build it with SurvivalModel.Builder.recipe to predict from a CSV file)");
        }
        if (model.stratified()) {
            throw new InvalidInputException(path + " holds a stratified model (strata column '"
                    + model.recipe().strataColumn() + "'): the command line predicts unstratified models only;"
                    + " use SurvivalModel from Java");
        }
        return model;
    }
}
