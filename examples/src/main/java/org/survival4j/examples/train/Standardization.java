package org.survival4j.examples.train;

/**
 * Centres and scales each covariate with the mean and standard deviation of the training data, so
 * that test data is transformed with numbers it did not contribute to.
 *
 * @param mean the training mean of each covariate
 * @param sd the training standard deviation (n - 1) of each covariate; 1 for a constant column
 */
public record Standardization(double[] mean, double[] sd) {

    /** Checks the lengths. */
    public Standardization {
        if (mean.length != sd.length) {
            throw new IllegalArgumentException(mean.length + " means but " + sd.length + " standard deviations");
        }
    }

    /** Means and (n - 1) standard deviations of the training covariates. */
    public static Standardization fit(SurvivalData training) {
        double[][] x = training.x();
        int p = training.columns().size();
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / Math.max(1, x.length - 1);
            }
        }
        for (int j = 0; j < p; j++) {
            sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
        }
        return new Standardization(mean, sd);
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
