package org.survival4j.examples.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.survival4j.examples.train.CsvTable;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.model.FeatureRecipe;

/**
 * The serum free light chain study (R's {@code survival::flchain}, 7874 subjects) prepared for the
 * batch-size study: a seeded 80/20 split into training and test rows.
 *
 * <p>Time {@code futime} (days), event {@code death}. Covariates: {@code age}, {@code sex} (one-hot,
 * F the reference), {@code sample.yr}, {@code log1p(kappa)}, {@code log1p(lambda)} (the two free
 * light chains, right-skewed), {@code mgus} (0/1), {@code log1p(creatinine)} and
 * {@code creatinine missing} (0/1).
 *
 * <ul>
 *   <li>{@code creatinine} is missing for 1350 subjects: it is imputed with the median of the
 *       training rows (never the test rows) and a missing indicator is added, so the model can
 *       tell an imputed value from a measured one.</li>
 *   <li>{@code chapter} (the chapter of the cause of death) is left out: it is recorded only for
 *       those who died, so it would leak the event.</li>
 *   <li>{@code flc.grp} (the decile group of kappa + lambda) is left out as a coarse copy of the two
 *       light chains.</li>
 *   <li>The three subjects with {@code futime} 0 are kept: a time of 0 is valid (they are in every
 *       risk set and, as events, compare with everyone).</li>
 * </ul>
 */
public final class FlchainData {
    /** Share of the rows held out for testing. */
    public static final double TEST_FRACTION = 0.2;
    /** The seed of the train/test split (the same split for every training seed). */
    public static final long SPLIT_SEED = 20240607L;

    private static final FeatureRecipe COMPLETE = FeatureRecipe.builder().numeric("age")
            .oneHot("sex", List.of("F", "M")).numeric("sample.yr").log1p("kappa").log1p("lambda").numeric("mgus")
            .build();

    private FlchainData() {
    }

    /** {@code [train, test]}, covariates not yet standardized. */
    public static SurvivalData[] trainTest() {
        CsvTable table = CsvTable.dataset("flchain.csv");
        SurvivalData complete = SurvivalData.of(table, "futime", "death", COMPLETE);
        double[] creatinine = table.numericOrMissing("creatinine");
        List<String> columns = new ArrayList<>(complete.columns());
        columns.add("log1p(creatinine)");
        columns.add("creatinine missing");
        double[][] x = new double[complete.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = Arrays.copyOf(complete.x()[i], columns.size());
            x[i][columns.size() - 2] = Math.log1p(creatinine[i]); // NaN until imputed
            x[i][columns.size() - 1] = Double.isNaN(creatinine[i]) ? 1 : 0;
        }
        SurvivalData all = SurvivalData.of("FLCHAIN", columns, x, complete.time(), complete.event());
        SurvivalData[] split = all.split(TEST_FRACTION, SPLIT_SEED);
        int column = columns.size() - 2;
        double median = median(split[0], column);
        return new SurvivalData[] {impute(split[0], column, median), impute(split[1], column, median)};
    }

    /** The median of the non-missing values of one column. */
    static double median(SurvivalData data, int column) {
        double[] v = Arrays.stream(data.x()).mapToDouble(row -> row[column]).filter(d -> !Double.isNaN(d))
                .sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static SurvivalData impute(SurvivalData data, int column, double value) {
        double[][] x = new double[data.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = data.x()[i].clone();
            if (Double.isNaN(x[i][column])) {
                x[i][column] = value;
            }
        }
        return data.withCovariates(x);
    }
}
