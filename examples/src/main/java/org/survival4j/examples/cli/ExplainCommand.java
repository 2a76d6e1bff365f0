package org.survival4j.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.Trainer;
import org.survival4j.explain.FeatureGroup;
import org.survival4j.explain.ShapleyValues;
import org.survival4j.model.SurvivalModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code survival4j explain}: how each feature moves each given row's predicted risk by a horizon,
 * as Shapley values sampled by the library's {@link ShapleyValues}, with their Monte-Carlo
 * standard errors.
 *
 * <p>Choices: one feature per raw column of the model's recipe ({@link FeatureGroup#byRawColumn});
 * background rows from {@code --background} (default: the {@code --data} rows), at most
 * {@value #MAX_BACKGROUND} of them drawn at random; every row explained with the same seed, so a
 * row's values do not depend on the other rows of {@code --data} (for a fixed background).
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Explain the predictions of a model written by 'survival4j train': for each row, how much "
                + "each feature moves its predicted risk by a horizon t (the probability of the event by t), as "
                + "Shapley values estimated by sampling, each with its Monte-Carlo standard error.",
            "The values start from the mean predicted risk of background rows and add up to the row's predicted risk."
                    + " One CSV row per input row: row, risk_at_<t>, baseline, then phi_<feature> and se_<feature>"
                    + " for each raw feature column."})
final class ExplainCommand implements Callable<Integer> {
    /** Background rows used at most (drawn at random from more): the cost grows with them. */
    static final int MAX_BACKGROUND = 100;
    /** Fewer background rows get a warning. */
    static final int FEW_BACKGROUND = 10;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|FILE", required = true,
            description = "The model file (model.zip), or the --out directory of 'survival4j train' that holds it.")
    Path model;
    @Option(names = "--data", paramLabel = "FILE.csv", required = true, description = "Rows to explain (the model's "
            + "feature columns; other columns are ignored).")
    Path data;
    @Option(names = "--horizon", paramLabel = "T", description = "The horizon t of the explained risk. Default: the "
            + "median of the model's distinct training event times (as 'survival4j train' uses).")
    Double horizon;
    @Option(names = "--background", paramLabel = "FILE.csv", description = "Reference rows the explanations start "
            + "from, e.g. the training data; at most " + MAX_BACKGROUND + " are drawn at random. Default: the --data "
            + "rows.")
    Path background;
    @Option(names = "--walks", paramLabel = "N", defaultValue = "200", description = "Random feature orders sampled "
            + "per explained row, at least 2, rounded up to a multiple of the background rows; the standard errors "
            + "shrink as 1 / sqrt(N) (default: ${DEFAULT-VALUE}).")
    int walks;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the sampling "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", paramLabel = "FILE.csv", description = "Where to write (default: standard output).")
    Path out;

    @Override
    public Integer call() throws IOException {
        checkHorizon(spec, horizon);
        if (walks < 2) {
            throw new ParameterException(spec.commandLine(), "--walks must be >= 2, got " + walks);
        }
        if (out != null) {
            OutputFiles.checkWritableFile(out, "--out");
        }
        Trainer.useOneThread();
        SurvivalModel survivalModel = PredictCommand.load(model);
        if (survivalModel.competingRisks()) {
            throw new InvalidInputException(model + " holds a competing-risks model (" + survivalModel.kind() + "):"
                    + " explain explains single-event models only (the risk of each cause is not explained yet)");
        }
        double t = horizon != null ? horizon : Report.defaultHorizon(survivalModel);
        CsvTable table = CsvTable.read(data);
        SurvivalData rows = SurvivalData.covariatesOnly(table, survivalModel.recipe());
        PredictCommand.warnFarOutside(survivalModel, table);
        double[][] reference = background == null ? rows.x()
                : SurvivalData.covariatesOnly(CsvTable.read(background), survivalModel.recipe()).x();
        reference = sample(reference, MAX_BACKGROUND, seed);
        if (reference.length < FEW_BACKGROUND) {
            System.err.println("warning: only " + reference.length + " background rows (" + (background == null
                    ? "the --data rows" : background.getFileName()) + "): the values are measured from their mean"
                    + " risk, which few rows pin down poorly (one row explained against itself gives 0 everywhere);"
                    + " give --background, e.g. the training data");
        }
        int perBackgroundRow = (walks + reference.length - 1) / reference.length;

        // computed before anything is written, so that a failure leaves --out as it was
        List<ShapleyValues> explained = new ArrayList<>();
        for (double[] row : rows.x()) {
            explained.add(ShapleyValues.explain(survivalModel, row, reference, t,
                    FeatureGroup.byRawColumn(survivalModel), perBackgroundRow, seed));
        }
        String csv = csv(explained);

        boolean toFile = PredictCommand.write(csv, out);
        double largestError = explained.stream().flatMapToDouble(v -> Arrays.stream(v.standardErrors())).max()
                .orElse(0);
        System.err.printf(Locale.ROOT, "explained %d rows: Shapley values of the predicted risk by t = %s, from the"
                + " mean risk of %d background rows (%s), %d walks each; largest Monte-Carlo standard error %.6f%s%n",
                rows.size(), Report.number(t), reference.length,
                background == null ? "the --data rows" : background.getFileName(), perBackgroundRow * reference.length,
                largestError, toFile ? "; wrote " + out : "");
        return 0;
    }

    /**
     * Checks a {@code --horizon} option (of {@code train} or {@code explain}): absent, or finite and {@code > 0}.
     *
     * @throws ParameterException otherwise
     */
    static void checkHorizon(CommandLine.Model.CommandSpec spec, Double horizon) {
        if (horizon != null && (!(horizon > 0) || horizon.isInfinite())) {
            throw new ParameterException(spec.commandLine(), "--horizon must be finite and > 0, got "
                    + SurvivalArguments.format(horizon));
        }
    }

    /** At most {@code max} of the rows, drawn without replacement with {@code seed}, in their order. */
    static double[][] sample(double[][] rows, int max, long seed) {
        if (rows.length <= max) {
            return rows;
        }
        List<Integer> order = new ArrayList<>(IntStream.range(0, rows.length).boxed().toList());
        Collections.shuffle(order, new Random(seed));
        return order.subList(0, max).stream().sorted().map(i -> rows[i]).toArray(double[][]::new);
    }

    /** {@code row, risk_at_<t>, baseline, phi_<feature>, se_<feature>, ...}: one line per explained row. */
    static String csv(List<ShapleyValues> explained) {
        ShapleyValues first = explained.get(0);
        List<String> header = new ArrayList<>(List.of("row", "risk_at_" + Report.number(first.horizon()), "baseline"));
        for (FeatureGroup g : first.groups()) {
            header.add("phi_" + g.name());
            header.add("se_" + g.name());
        }
        StringBuilder text = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator('\n').build())) {
            for (int i = 0; i < explained.size(); i++) {
                ShapleyValues v = explained.get(i);
                List<Object> row = new ArrayList<>(List.of(i + 1, fixed(v.prediction()), fixed(v.baseline())));
                double[] phi = v.values();
                double[] se = v.standardErrors();
                for (int j = 0; j < phi.length; j++) {
                    row.add(fixed(phi[j]));
                    row.add(fixed(se[j]));
                }
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return text.toString();
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
