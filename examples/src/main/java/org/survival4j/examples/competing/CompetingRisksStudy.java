package org.survival4j.examples.competing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.competing.CauseSpecificNetwork.Arm;
import org.survival4j.examples.competing.CauseSpecificScores.Row;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.Trainer;
import org.survival4j.examples.train.SmokeBudget;
import org.survival4j.metrics.AalenJohansen;

/**
 * The competing-risks study: on mgus2 and Melanoma, the cause-specific Cox network
 * ({@link CauseSpecificNetwork}; plain mini-batches of 16 and 64 rows, and batches of 16 with
 * momentum) against R's linear cause-specific Cox and Fine-Gray models and the Aalen-Johansen
 * estimate, scored per cause on the held-out rows ({@link CauseSpecificScores}). R's predictions
 * come from {@code competing_risks_study.R}; the library scores them as it scores the networks,
 * and checks itself against riskRegression's own {@code Score} of them ({@code crosscheck.csv}).
 *
 * <pre>
 * Rscript docs/study-results/competing-risks/competing_risks_study.R     # data, split, R's models
 * mvn -B -q -DskipTests -Ptrain package -pl examples -am \
 *     -Dmain.class=org.survival4j.examples.competing.CompetingRisksStudy \
 *     -Dexec.args="docs/study-results/competing-risks 5"
 * </pre>
 *
 * Arguments: the results directory (R's files are read from it, {@code results.csv},
 * {@code summary.csv}, {@code crosscheck.csv} and {@code runs.csv} written to it) and the number of
 * seeds per network arm.
 */
public final class CompetingRisksStudy {
    static final List<String> DATASETS = List.of("mgus2", "melanoma");
    static final List<Arm> ARMS = List.of(Arm.plain(16), Arm.plain(64), Arm.momentum(16, 8, 0.99));

    private CompetingRisksStudy() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/study-results/competing-risks");
        int seeds = SmokeBudget.cap(args.length > 1 ? Integer.parseInt(args[1]) : 5, 1, "seeds");
        Trainer.useOneThread();
        List<Row> results = new ArrayList<>();
        List<String> crosscheck = new ArrayList<>(List.of("dataset,model,cause,metric,horizon,library,riskRegression,"
                + "difference"));
        List<String> runs = new ArrayList<>(List.of("dataset,arm,seed,bestEpoch,steps,seconds"));
        for (String name : DATASETS) {
            CompetingRisksData data = CompetingRisksData.load(name);
            List<Row> rModels = rModels(data, dir);
            results.addAll(rModels);
            crosscheck.addAll(crosscheck(rModels, dir.resolve("r_score_" + name + ".csv")));
            results.addAll(CauseSpecificScores.score(data, "Aalen-Johansen (no covariates)", 0,
                    (k, t) -> constant(AalenJohansen.cumulativeIncidence(Nd4j.createFromArray(data.train().time()),
                            Nd4j.createFromArray(data.train().event()), k, new double[] {t})[0], data.test().size()),
                    true));
            for (Arm arm : ARMS) {
                for (long seed = 1; seed <= seeds; seed++) {
                    CauseSpecificNetwork.Trained trained = CauseSpecificNetwork.train(data, arm, seed);
                    double[][] x = data.test().x();
                    results.addAll(CauseSpecificScores.score(data, arm.name(), seed,
                            (k, t) -> column(trained.model().cumulativeIncidence(x, k, t)), false));
                    runs.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.1f", name, arm.name(), seed,
                            trained.bestEpoch(), trained.steps(), trained.seconds()));
                    System.out.printf(Locale.ROOT, "%s %s seed %d: epoch %d, %d steps, %.1f s%n", name, arm.name(),
                            seed, trained.bestEpoch(), trained.steps(), trained.seconds());
                }
            }
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("results.csv"), lines(Row.HEADER, results.stream().map(Row::csv).toList()));
        List<String> summary = summary(results);
        Files.write(dir.resolve("summary.csv"), summary);
        Files.write(dir.resolve("crosscheck.csv"), crosscheck);
        Files.write(dir.resolve("runs.csv"), runs);
        summary.forEach(System.out::println);
    }

    /** R's linear models, scored by the library from their predictions on the held-out rows. */
    static List<Row> rModels(CompetingRisksData data, Path dir) {
        CsvTable predictions = CsvTable.read(dir.resolve("r_predictions_" + data.name() + ".csv"));
        List<Row> rows = new ArrayList<>();
        for (String model : List.of("CSC", "FGR")) {
            rows.addAll(CauseSpecificScores.score(data, "R " + model + " (linear)", 0,
                    (k, t) -> rPrediction(predictions, data, model, k, t), false));
        }
        return rows;
    }

    /** R's predicted incidence of cause k at t for the held-out rows, in their order. */
    private static double[] rPrediction(CsvTable predictions, CompetingRisksData data, String model, int k, double t) {
        Map<Integer, Double> byRow = new LinkedHashMap<>();
        for (Map<String, String> r : predictions.records()) {
            if (r.get("model").equals(model) && Integer.parseInt(r.get("cause")) == k
                    && Double.parseDouble(r.get("horizon")) == t) {
                byRow.put(Integer.parseInt(r.get("row")), Double.parseDouble(r.get("cif")));
            }
        }
        return Arrays.stream(data.testRows()).mapToDouble(i -> {
            Double f = byRow.get(i);
            if (f == null) {
                throw new IllegalStateException("R has no prediction of " + model + " for row " + i + ", cause " + k
                        + " at " + t);
            }
            return f;
        }).toArray();
    }

    /** The library's AUC and Brier score of R's predictions next to riskRegression's Score of them. */
    static List<String> crosscheck(List<Row> rModels, Path rScore) {
        List<String> lines = new ArrayList<>();
        for (Map<String, String> r : CsvTable.read(rScore).records()) {
            String model = "R " + r.get("model") + " (linear)";
            for (Row row : rModels) {
                if (row.model().equals(model) && row.metric().equals(r.get("metric"))
                        && row.cause() == Integer.parseInt(r.get("cause"))
                        && row.horizon() == Double.parseDouble(r.get("horizon"))) {
                    double theirs = Double.parseDouble(r.get("estimate"));
                    lines.add(String.format(Locale.ROOT, "%s,%s,%d,%s,%s,%.17g,%.17g,%.3g", row.dataset(), model,
                            row.cause(), row.metric(), r.get("horizon"), row.estimate(), theirs,
                            row.estimate() - theirs));
                }
            }
        }
        return lines;
    }

    /** Mean, standard deviation over seeds and count per dataset, model, cause, metric and horizon. */
    static List<String> summary(List<Row> results) {
        Map<String, List<Row>> groups = results.stream().collect(Collectors.groupingBy(
                r -> String.join(",", r.dataset(), r.model(), Integer.toString(r.cause()), r.metric(),
                        r.horizonText()),
                LinkedHashMap::new, Collectors.toList()));
        List<String> lines = new ArrayList<>(List.of("dataset,model,cause,metric,horizon,mean,sd,seeds,meanSe"));
        groups.forEach((key, rows) -> {
            double mean = rows.stream().mapToDouble(Row::estimate).average().orElse(Double.NaN);
            double sd = rows.size() < 2 ? 0 : Math.sqrt(rows.stream().mapToDouble(r -> (r.estimate() - mean)
                    * (r.estimate() - mean)).sum() / (rows.size() - 1));
            double se = rows.stream().mapToDouble(Row::se).average().orElse(Double.NaN);
            lines.add(String.format(Locale.ROOT, "%s,%.4f,%.4f,%d,%.4f", key, mean, sd, rows.size(), se));
        });
        return lines;
    }

    private static double[] constant(double value, int n) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    private static double[] column(double[][] m) {
        return Arrays.stream(m).mapToDouble(r -> r[0]).toArray();
    }

    private static List<String> lines(String header, List<String> rows) {
        List<String> all = new ArrayList<>(List.of(header));
        all.addAll(rows);
        return all;
    }
}
