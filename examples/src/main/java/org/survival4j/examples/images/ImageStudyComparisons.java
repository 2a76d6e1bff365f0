package org.survival4j.examples.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.study.ArmSummary;
import org.survival4j.examples.study.RunResult;
import org.survival4j.examples.study.Spread;
import org.survival4j.examples.study.StudyArm;
import org.survival4j.examples.study.StudyReport;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.metrics.ConcordanceComparison;

/**
 * The image study's summary: the per-arm tables and plot ({@link StudyReport}) and paired
 * comparisons of Harrell's C on the same test images ({@link ConcordanceComparison}): every
 * momentum arm against the plain arm of the same batch size and seed, and in torchsurv's
 * comparison every arm against plain batch 500. Per pair of arms it reports the mean difference
 * over seeds, its spread, the mean paired standard error of one seed's difference, and in how
 * many seeds the 95 % interval lies above or below zero ({@code comparisons.md}, {@code .csv}).
 */
final class ImageStudyComparisons {
    static final String CSV = "comparisons.csv";
    static final String MD = "comparisons.md";

    private ImageStudyComparisons() {
    }

    /** One pair of arms compared over seeds: {@code arm - reference}. */
    record Pair(String dataset, String arm, String reference, Spread difference, double meanStandardError,
                int above, int below) {
        String csvRow() {
            return String.join(",", dataset, arm, reference, Integer.toString(difference.n()),
                    Double.toString(difference.mean()), Double.toString(difference.sd()),
                    Double.toString(meanStandardError), Integer.toString(above), Integer.toString(below));
        }
    }

    /** Saves one run's test times, events and log hazards. */
    static void writePredictions(Path out, RunResult run, double[] logHazard, double[] time, double[] event) {
        List<String> lines = new ArrayList<>();
        lines.add("time,event,log_hazard");
        for (int i = 0; i < logHazard.length; i++) {
            lines.add(time[i] + "," + event[i] + "," + logHazard[i]);
        }
        ImageStudy.write(predictionFile(out, run.dataset(), run.arm(), run.seed()), lines);
    }

    private static Path predictionFile(Path dir, String dataset, String arm, long seed) {
        String name = (dataset + "_" + arm + "_" + seed).replace(' ', '-');
        return dir.resolve(ImageStudy.PREDICTIONS).resolve(name + ".csv");
    }

    /** Merges the runs of {@code dirs} and writes the summary and the comparisons to {@code out}. */
    static void summarize(List<Path> dirs, Path out, Consumer<String> log) {
        List<RunResult> runs = new ArrayList<>();
        Map<RunResult, Path> where = new LinkedHashMap<>();
        for (Path d : dirs) {
            for (RunResult r : StudyReport.readRuns(d)) {
                runs.add(r);
                where.put(r, d);
            }
        }
        StudyReport.writeRuns(out, runs);
        List<StudyArm> arms = new ArrayList<>(ImageStudy.arms());
        ImageStudy.torchsurvArms().stream().filter(a -> !arms.contains(a)).forEach(arms::add);
        runs.stream().map(r -> r.arm()).distinct().filter(n -> arms.stream().noneMatch(a -> a.name().equals(n)))
                .forEach(n -> arms.add(armNamed(n)));
        List<ArmSummary> summaries = ArmSummary.of(runs, arms);
        StudyReport.writeSummary(out, summaries, "Held-out Fashion-MNIST images: mean ± sd over seeds.",
                a -> "momentum " + a.steps() * a.batchSize() + " rows, " + a.rate());
        List<Pair> pairs = pairs(runs, where);
        List<String> csv = new ArrayList<>();
        csv.add("dataset,arm,reference,seeds,difference_mean,difference_sd,mean_standard_error,seeds_above_0,"
                + "seeds_below_0");
        pairs.forEach(p -> csv.add(p.csvRow()));
        ImageStudy.write(out.resolve(CSV), csv);
        String md = markdown(pairs);
        ImageStudy.write(out.resolve(MD), List.of(md));
        log.accept(StudyReport.markdown(summaries));
        log.accept(md);
    }

    private static StudyArm armNamed(String name) {
        // arms of a custom plan: cox-b<batch>, cox-b<batch>-m<steps>-<rate> or cox-b<batch>-v<rows>
        String[] f = name.split("-");
        int batch = Integer.parseInt(f[1].substring(1));
        if (f.length == 2) {
            return StudyArm.plain(LossKind.COX, batch);
        }
        return f[2].startsWith("v") ? StudyArm.gradientCache(LossKind.COX, batch, Integer.parseInt(f[2].substring(1)))
                : StudyArm.momentum(LossKind.COX, batch, Integer.parseInt(f[2].substring(1)), Double.parseDouble(f[3]));
    }

    static List<Pair> pairs(List<RunResult> runs, Map<RunResult, Path> where) {
        List<Pair> pairs = new ArrayList<>();
        Map<String, List<RunResult>> byDataset = new LinkedHashMap<>();
        runs.forEach(r -> byDataset.computeIfAbsent(r.dataset(), d -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<RunResult>> e : byDataset.entrySet()) {
            List<RunResult> rs = e.getValue();
            List<String> armNames = rs.stream().map(RunResult::arm).distinct().toList();
            boolean torchsurv = e.getKey().contains("torchsurv");
            Optional<String> largestPlain = rs.stream().filter(r -> !r.arm().contains("-m") && !r.arm().contains("-v"))
                    .max((a, b) -> Integer.compare(a.batchSize(), b.batchSize())).map(RunResult::arm);
            for (String arm : armNames) {
                List<String> references = new ArrayList<>();
                if (arm.contains("-m")) {
                    references.add(arm.substring(0, arm.indexOf("-m")));
                }
                if (arm.contains("-v")) { // the plain arm of the step's rows (what the cache equals), and of its micro-batch
                    references.add("cox-b" + arm.substring(arm.indexOf("-v") + 2));
                    references.add(arm.substring(0, arm.indexOf("-v")));
                }
                if (torchsurv && largestPlain.isPresent() && !largestPlain.get().equals(arm)
                        && !references.contains(largestPlain.get())) {
                    references.add(largestPlain.get());
                }
                for (String reference : references) {
                    if (armNames.contains(reference)) {
                        pairs.add(compare(e.getKey(), arm, reference, rs, where));
                    }
                }
            }
        }
        return pairs;
    }

    private static Pair compare(String dataset, String arm, String reference, List<RunResult> runs,
                                Map<RunResult, Path> where) {
        List<Double> differences = new ArrayList<>();
        double se = 0;
        int above = 0;
        int below = 0;
        for (RunResult a : runs) {
            if (!a.arm().equals(arm)) {
                continue;
            }
            Optional<RunResult> b = runs.stream().filter(r -> r.arm().equals(reference) && r.seed() == a.seed())
                    .findFirst();
            if (b.isEmpty() || Double.isNaN(a.harrell()) || Double.isNaN(b.get().harrell())) {
                continue;
            }
            double[][] pa = readPredictions(predictionFile(where.get(a), dataset, arm, a.seed()));
            double[][] pb = readPredictions(predictionFile(where.get(b.get()), dataset, reference, a.seed()));
            ConcordanceComparison c = ConcordanceComparison.harrell(Nd4j.createFromArray(pa[2]),
                    Nd4j.createFromArray(pb[2]), Nd4j.createFromArray(pa[0]), Nd4j.createFromArray(pa[1]));
            differences.add(c.difference());
            se += c.standardError();
            if (c.confidenceInterval(0.05).lower() > 0) {
                above++;
            } else if (c.confidenceInterval(0.05).upper() < 0) {
                below++;
            }
        }
        return new Pair(dataset, arm, reference, Spread.of(differences.stream().mapToDouble(d -> d).toArray()),
                differences.isEmpty() ? Double.NaN : se / differences.size(), above, below);
    }

    private static double[][] readPredictions(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            double[][] columns = new double[3][lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                for (int c = 0; c < 3; c++) {
                    columns[c][i - 1] = Double.parseDouble(f[c]);
                }
            }
            return columns;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the predictions " + file, e);
        }
    }

    static String markdown(List<Pair> pairs) {
        StringBuilder out = new StringBuilder();
        String dataset = null;
        for (Pair p : pairs) {
            if (!p.dataset().equals(dataset)) {
                dataset = p.dataset();
                out.append(out.length() == 0 ? "" : "\n").append("### ").append(dataset).append(": paired Harrell C\n\n")
                        .append("| arm | − reference | seeds | difference, mean ± sd over seeds | paired SE of one seed "
                                + "| seeds with 95 % CI > 0 / < 0 |\n|---|---|---:|---|---:|---|\n");
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %+.4f ± %.4f | %.4f | %d / %d |%n", p.arm(),
                    p.reference(), p.difference().n(), p.difference().mean(), p.difference().sd(),
                    p.meanStandardError(), p.above(), p.below()));
        }
        return out.toString();
    }
}
