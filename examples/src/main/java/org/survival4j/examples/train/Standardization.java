package org.survival4j.examples.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.TrainingSummary;

/**
 * Centres and scales each covariate with the mean and standard deviation of the training data, so
 * that test data is transformed with numbers it did not contribute to.
 *
 * <p>A column that is constant in the training rows (no spread beyond rounding: a range of at most
 * 1e-12 of its magnitude) is centred but not scaled ({@code sd} 1): dividing by a spread that is
 * only rounding error would turn any other value at prediction time into a huge input. Such columns
 * are {@link #constant}, and a value that differs from the training constant, or lies more than
 * {@value #FAR} training standard deviations from the mean, is reported by {@link #farOutside}.
 *
 * <p>A model keeps the means and standard deviations in its {@link FeatureRecipe} ({@link #recipe})
 * and the constant covariates in its {@link TrainingSummary} ({@link #summarySettings}); {@link #of}
 * reads them back.
 *
 * @param mean the training mean of each covariate
 * @param sd the training standard deviation (n - 1) of each covariate; 1 for a constant column
 * @param constant whether each covariate was constant in the training rows
 */
public record Standardization(double[] mean, double[] sd, boolean[] constant) {
    /** How many training standard deviations from the mean make a value far outside the training data. */
    public static final double FAR = 10;
    private static final double ROUNDING = 1e-12;
    /** The training-summary setting that lists the covariates constant in training, as a JSON array of names. */
    public static final String CONSTANT_COVARIATES = "constantCovariates";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks the lengths. */
    public Standardization {
        if (mean.length != sd.length || mean.length != constant.length) {
            throw new IllegalArgumentException(mean.length + " means but " + sd.length + " standard deviations and "
                    + constant.length + " constant flags");
        }
    }

    /**
     * Means and (n - 1) standard deviations of the training covariates: a running mean (exact for a
     * constant column, and no overflow of a sum), then the sum of squared deviations.
     *
     * @throws InvalidInputException if a column's values are too large for its spread to be a double
     */
    public static Standardization fit(SurvivalData training) {
        double[][] x = training.x();
        int p = training.columns().size();
        double[] mean = new double[p];
        double[] sd = new double[p];
        boolean[] constant = new boolean[p];
        for (int j = 0; j < p; j++) {
            double m = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < x.length; i++) {
                m += (x[i][j] - m) / (i + 1);
                min = Math.min(min, x[i][j]);
                max = Math.max(max, x[i][j]);
            }
            double squares = 0;
            for (double[] row : x) {
                squares += (row[j] - m) * (row[j] - m);
            }
            double s = Math.sqrt(squares / Math.max(1, x.length - 1));
            if (!Double.isFinite(s)) {
                throw new InvalidInputException(String.format(Locale.ROOT, "column %s: values from %g to %g are too"
                        + " large to standardize (their spread overflows a double); rescale the column, e.g. divide"
                        + " it by a power of ten", training.columns().get(j), min, max));
            }
            mean[j] = m;
            constant[j] = x.length > 0 && max - min <= ROUNDING * Math.max(1, Math.max(Math.abs(min), Math.abs(max)));
            sd[j] = constant[j] || s == 0 ? 1 : s;
        }
        return new Standardization(mean, sd, constant);
    }

    /**
     * The standardization a model was trained with: the means and standard deviations of its recipe,
     * and the constant covariates its summary lists ({@link #summarySettings}; none if it lists none).
     *
     * @throws IllegalArgumentException if the summary's list is not a JSON array of the recipe's covariates
     */
    public static Standardization of(FeatureRecipe recipe, TrainingSummary summary) {
        List<String> names = recipe.covariates();
        boolean[] constant = new boolean[names.size()];
        String listed = summary.settings().get(CONSTANT_COVARIATES);
        if (listed != null) {
            try {
                for (String name : JSON.readValue(listed, String[].class)) {
                    int j = names.indexOf(name);
                    if (j < 0) {
                        throw new IllegalArgumentException("the model's summary lists '" + name + "' as a constant"
                                + " covariate, but its recipe has no such covariate");
                    }
                    constant[j] = true;
                }
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the model's summary setting " + CONSTANT_COVARIATES
                        + " is not a JSON list of names: " + listed, e);
            }
        }
        return new Standardization(recipe.mean(), recipe.sd(), constant);
    }

    /** {@code recipe} with this standardization (its columns and missing-value policy kept). */
    public FeatureRecipe recipe(FeatureRecipe recipe) {
        return withStandardization(recipe, mean, sd);
    }

    /** {@code recipe} without standardization: the covariates as its columns encode them. */
    public static FeatureRecipe unscaled(FeatureRecipe recipe) {
        double[] ones = new double[recipe.covariates().size()];
        Arrays.fill(ones, 1);
        return withStandardization(recipe, new double[ones.length], ones);
    }

    private static FeatureRecipe withStandardization(FeatureRecipe recipe, double[] mean, double[] sd) {
        FeatureRecipe.Builder b = FeatureRecipe.builder();
        recipe.columns().forEach(b::column);
        return b.standardization(mean, sd).missingValues(recipe.missingValues()).strataColumn(recipe.strataColumn())
                .build();
    }

    /** What a model's training summary records of this standardization: {@link #CONSTANT_COVARIATES}. */
    public Map<String, String> summarySettings(List<String> names) {
        try {
            return Map.of(CONSTANT_COVARIATES, JSON.writeValueAsString(constantColumns(names)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of names is always JSON", e);
        }
    }

    /** The names of the columns that were constant in the training rows. */
    public List<String> constantColumns(List<String> names) {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < constant.length; j++) {
            if (constant[j]) {
                out.add(names.get(j));
            }
        }
        return out;
    }

    /**
     * Values of {@code data} far outside the training data: different from a column's training
     * constant, or more than {@value #FAR} training standard deviations from its mean. One line per
     * such value, in row order, at most {@code limit} lines (and a count of the rest).
     */
    public List<String> farOutside(SurvivalData data, int limit) {
        List<String> out = new ArrayList<>();
        int count = 0;
        double[][] x = data.x();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                double z = (x[i][j] - mean[j]) / sd[j];
                boolean far = constant[j] ? Math.abs(x[i][j] - mean[j]) > ROUNDING * Math.max(1, Math.abs(mean[j]))
                        : Math.abs(z) > FAR;
                if (far && count++ < limit) {
                    String training = constant[j] ? "always " + SurvivalArguments.format(mean[j])
                            : String.format(Locale.ROOT, "mean %.4g, sd %.4g; %.1f sd away", mean[j], sd[j], z);
                    out.add(String.format(Locale.ROOT, "data row %d, %s = %s (training: %s)", i + 1,
                            data.columns().get(j), SurvivalArguments.format(x[i][j]), training));
                }
            }
        }
        if (count > limit) {
            out.add("and " + (count - limit) + " more");
        }
        return out;
    }

    /** The data with standardized covariates. */
    public SurvivalData apply(SurvivalData data) {
        if (data.columns().size() != mean.length) {
            throw new IllegalArgumentException(data.name() + " has " + data.columns().size()
                    + " covariates, the standardization " + mean.length);
        }
        double[][] x = data.x();
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                z[i][j] = (x[i][j] - mean[j]) / sd[j];
            }
        }
        return data.withCovariates(z);
    }
}
