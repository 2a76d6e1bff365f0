package org.survival4j.examples.competing;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.SurvivalData;

/**
 * One data set of the competing-risks study: an embedded CSV (written by
 * {@code docs/study-results/competing-risks/competing_risks_study.R}) with {@code time},
 * {@code cause} (0 = censored, 1 or 2), the covariates and {@code test} (1 = held-out row), its
 * covariates standardized with the training rows' means and standard deviations.
 *
 * @param name {@code "mgus2"} or {@code "melanoma"}
 * @param train the training rows (standardized); {@code event()} holds the causes
 * @param test the held-out rows, standardized alike
 * @param testRows each held-out row's index in the file (0-based), as R's predictions name them
 * @param horizons the times at which the incidences are scored
 */
record CompetingRisksData(String name, SurvivalData train, SurvivalData test, int[] testRows, double[] horizons) {
    /** The two data sets with their horizons: 5 and 10 years. */
    static CompetingRisksData load(String name) {
        return switch (name) {
            case "mgus2" -> load(name, new double[] {60, 120});        // months
            case "melanoma" -> load(name, new double[] {1826, 3652});  // days
            default -> throw new IllegalArgumentException("unknown data set " + name + ": mgus2 or melanoma");
        };
    }

    private static CompetingRisksData load(String name, double[] horizons) {
        CsvTable table = CsvTable.dataset(name + ".csv");
        List<String> covariates = new ArrayList<>(table.columns());
        covariates.removeAll(List.of("time", "cause", "test"));
        double[] time = table.numeric("time");
        double[] cause = table.numeric("cause");
        double[] test = table.numeric("test");
        double[][] x = new double[time.length][covariates.size()];
        for (int j = 0; j < covariates.size(); j++) {
            double[] column = table.numeric(covariates.get(j));
            for (int i = 0; i < x.length; i++) {
                x[i][j] = column[i];
            }
        }
        SurvivalData all = SurvivalData.of(name, covariates, x, time, cause);
        int[] testRows = java.util.stream.IntStream.range(0, time.length).filter(i -> test[i] == 1).toArray();
        int[] trainRows = java.util.stream.IntStream.range(0, time.length).filter(i -> test[i] == 0).toArray();
        Standardization scale = Standardization.fit(all.rows(trainRows));
        return new CompetingRisksData(name, scale.apply(all.rows(trainRows)), scale.apply(all.rows(testRows)),
                testRows, horizons);
    }

    /** Covariates {@code [n, p]} of some rows, in double. */
    static INDArray features(SurvivalData rows) {
        return Nd4j.createFromArray(rows.x());
    }

    /** Labels {@code [n, 2]} = (time, cause) of some rows. */
    static INDArray labels(SurvivalData rows) {
        double[][] y = new double[rows.size()][];
        for (int i = 0; i < y.length; i++) {
            y[i] = new double[] {rows.time()[i], rows.event()[i]};
        }
        return Nd4j.createFromArray(y);
    }
}
