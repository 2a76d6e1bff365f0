package org.survival4j.examples.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The runs of one arm on one dataset, summarised over seeds.
 *
 * @param dataset dataset name
 * @param arm the arm
 * @param batchSize the batch size used (the training-set size for the full batch)
 * @param harrell Harrell's C over seeds
 * @param uno Uno's C over seeds
 * @param integratedBrier integrated Brier score over seeds
 * @param seconds wall time per run over seeds
 */
public record ArmSummary(String dataset, StudyArm arm, int batchSize, Spread harrell, Spread uno,
                         Spread integratedBrier, Spread seconds) {

    /** The CSV header matching {@link #csvRow()}. */
    static final String CSV_HEADER = "dataset,arm,batch_size,momentum,steps,rate,micro_batches,seeds,"
            + "harrell_mean,harrell_sd,uno_mean,uno_sd,ibs_mean,ibs_sd,seconds_mean";

    /**
     * Groups runs by dataset and arm, keeping the order in which datasets appear in {@code runs}
     * and arms appear in {@code arms}.
     */
    public static List<ArmSummary> of(List<RunResult> runs, List<StudyArm> arms) {
        Map<String, List<RunResult>> byDataset = new LinkedHashMap<>();
        for (RunResult run : runs) {
            byDataset.computeIfAbsent(run.dataset(), d -> new ArrayList<>()).add(run);
        }
        List<ArmSummary> summaries = new ArrayList<>();
        for (Map.Entry<String, List<RunResult>> dataset : byDataset.entrySet()) {
            for (StudyArm arm : arms) {
                List<RunResult> mine = dataset.getValue().stream().filter(r -> r.arm().equals(arm.name())).toList();
                if (!mine.isEmpty()) {
                    summaries.add(new ArmSummary(dataset.getKey(), arm, mine.get(0).batchSize(),
                            spread(mine, RunResult::harrell), spread(mine, RunResult::uno),
                            spread(mine, RunResult::integratedBrier), spread(mine, RunResult::seconds)));
                }
            }
        }
        return summaries;
    }

    private static Spread spread(List<RunResult> runs, ToDoubleFunction<RunResult> metric) {
        return Spread.of(runs.stream().mapToDouble(metric).toArray());
    }

    /** One CSV row. */
    String csvRow() {
        return String.join(",", dataset, arm.name(), Integer.toString(batchSize), Boolean.toString(arm.momentum()),
                Integer.toString(arm.steps()), Double.toString(arm.rate()), Integer.toString(arm.microBatches()),
                Integer.toString(harrell.n()),
                Double.toString(harrell.mean()), Double.toString(harrell.sd()), Double.toString(uno.mean()),
                Double.toString(uno.sd()), Double.toString(integratedBrier.mean()),
                Double.toString(integratedBrier.sd()), Double.toString(seconds.mean()));
    }
}
