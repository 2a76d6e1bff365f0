package org.survival4j.examples.study;

import org.survival4j.examples.train.TrainingSettings.LossKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes the study's results: every run ({@code runs.csv}), the per-arm summary
 * ({@code summary.csv}), a markdown table per dataset ({@code summary.md}) and the plot
 * ({@code c-index-vs-batch-size.png}, see {@link StudyPlot}).
 */
public final class StudyReport {
    /** File names inside the output directory. */
    public static final String RUNS = "runs.csv";
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String SUMMARY_MD = "summary.md";
    public static final String PLOT = "c-index-vs-batch-size.png";

    private StudyReport() {
    }

    /** Writes the runs so far (called after each run, so a stopped study keeps its results). */
    public static void writeRuns(Path directory, List<RunResult> runs) {
        List<String> lines = new ArrayList<>();
        lines.add(RunResult.CSV_HEADER);
        runs.forEach(r -> lines.add(r.csvRow()));
        write(directory.resolve(RUNS), lines);
    }

    /** Reads the {@code runs.csv} of an earlier (possibly partial) run of the study. */
    public static List<RunResult> readRuns(Path directory) {
        try {
            List<String> lines = Files.readAllLines(directory.resolve(RUNS), StandardCharsets.UTF_8);
            return lines.subList(1, lines.size()).stream().map(RunResult::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory.resolve(RUNS), e);
        }
    }

    /**
     * Writes the summary CSV, the markdown tables and the plot, with one line in the plot per
     * momentum (steps, rate).
     */
    public static void writeSummary(Path directory, List<ArmSummary> summaries, String header) {
        writeSummary(directory, summaries, header, a -> "momentum " + a.steps() + ", " + a.rate());
    }

    /**
     * Writes the summary CSV, the markdown tables and the plot, with one line in the plot per
     * {@code momentumSeries} label of the momentum arms.
     */
    public static void writeSummary(Path directory, List<ArmSummary> summaries, String header,
                                    Function<StudyArm, String> momentumSeries) {
        List<String> csv = new ArrayList<>();
        csv.add(ArmSummary.CSV_HEADER);
        summaries.forEach(s -> csv.add(s.csvRow()));
        write(directory.resolve(SUMMARY_CSV), csv);
        write(directory.resolve(SUMMARY_MD), List.of(header, "", markdown(summaries)));
        StudyPlot.write(directory.resolve(PLOT), summaries, momentumSeries);
    }

    /**
     * One markdown table per dataset: mean ± sd over seeds of Harrell's C, Uno's C and the
     * integrated Brier score, the difference of mean Harrell's C from the full-batch Cox arm,
     * and the mean wall time per run.
     */
    public static String markdown(List<ArmSummary> summaries) {
        StringBuilder out = new StringBuilder();
        String dataset = null;
        Optional<ArmSummary> full = Optional.empty();
        for (ArmSummary s : summaries) {
            if (!s.dataset().equals(dataset)) {
                dataset = s.dataset();
                String current = dataset;
                full = summaries.stream().filter(f -> f.dataset().equals(current) && f.arm().fullBatch()
                        && f.arm().likelihood() == LossKind.COX).findFirst();
                out.append(out.length() == 0 ? "" : "\n").append("### ").append(dataset).append("\n\n")
                        .append("| arm | batch | momentum (steps, rate) | seeds | Harrell C | Uno C | integrated Brier "
                                + "| Harrell C − full batch | s / run |\n")
                        .append("|---|---:|---|---:|---|---|---|---:|---:|\n");
            }
            StudyArm arm = s.arm();
            String gap = full.map(f -> String.format(Locale.ROOT, "%+.3f", s.harrell().mean() - f.harrell().mean()))
                    .orElse("");
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s | %s | %.1f |%n", arm.name(),
                    arm.fullBatch() ? "full (" + s.batchSize() + ")" : Integer.toString(s.batchSize()),
                    arm.momentum() ? arm.steps() + ", " + arm.rate()
                            : arm.cached() ? "no (cache: " + arm.microBatches() + " x " + s.batchSize() + " rows a step)"
                            : "no", s.harrell().n(), meanSd(s.harrell()),
                    meanSd(s.uno()), meanSd(s.integratedBrier()), gap, s.seconds().mean()));
        }
        return out.toString();
    }

    private static String meanSd(Spread s) {
        String text = String.format(Locale.ROOT, "%.3f ± %.3f", s.mean(), s.sd());
        return s.missing() > 0 ? text + " (" + s.missing() + " n/a)" : text;
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
