package org.survival4j.examples.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.survival4j.data.SurvivalArguments;

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
 * @param mean the training mean of each covariate
 * @param sd the training standard deviation (n - 1) of each covariate; 1 for a constant column
 * @param constant whether each covariate was constant in the training rows (all false if null, as
 *     in models written before this field existed)
 */
public record Standardization(double[] mean, double[] sd, boolean[] constant) {
    /** How many training standard deviations from the mean make a value far outside the training data. */
    public static final double FAR = 10;
    private static final double ROUNDING = 1e-12;

    /** Checks the lengths. */
    public Standardization {
        constant = constant == null ? new boolean[mean.length] : constant;
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
