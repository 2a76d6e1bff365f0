package org.survival4j.examples.study;

/**
 * The test-set scores of one training run (one dataset, one arm, one seed).
 *
 * @param dataset dataset name
 * @param arm arm name ({@link StudyArm#name()})
 * @param batchSize the batch size used (the training-set size for the full batch)
 * @param seed the seed of weight initialisation and batch order
 * @param epochs passes over the training data
 * @param harrell Harrell's C on the test set
 * @param uno Uno's C on the test set (censoring distribution estimated on the test set, see {@code ModelEvaluation})
 * @param integratedBrier integrated Brier score on the test set (lower is better)
 * @param seconds wall time of training and evaluation
 */
public record RunResult(String dataset, String arm, int batchSize, long seed, int epochs, double harrell, double uno,
                        double integratedBrier, double seconds) {

    /** The CSV header matching {@link #csvRow()}. */
    static final String CSV_HEADER = "dataset,arm,batch_size,seed,epochs,harrell_c,uno_c,integrated_brier,seconds";

    /** Parses a row written by {@link #csvRow()}. */
    static RunResult parse(String row) {
        String[] f = row.split(",");
        if (f.length != 9) {
            throw new IllegalArgumentException("not a runs.csv row: " + row);
        }
        return new RunResult(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]),
                Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]));
    }

    /** One CSV row (no quoting needed: names hold no commas). */
    String csvRow() {
        return String.join(",", dataset, arm, Integer.toString(batchSize), Long.toString(seed),
                Integer.toString(epochs), Double.toString(harrell), Double.toString(uno),
                Double.toString(integratedBrier), Double.toString(seconds));
    }
}
