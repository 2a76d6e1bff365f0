package org.survival4j.examples;

/**
 * Centres and scales each covariate with the mean and standard deviation of a training cohort, so
 * that the test cohort is transformed with numbers it did not contribute to.
 */
final class Standardization {
    private final double[] mean;
    private final double[] sd;

    private Standardization(double[] mean, double[] sd) {
        this.mean = mean;
        this.sd = sd;
    }

    /** Means and (n - 1) standard deviations of the training covariates; a constant column keeps sd 1. */
    static Standardization fit(Cohort training) {
        double[][] x = training.x();
        int p = x[0].length;
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / (x.length - 1);
            }
        }
        for (int j = 0; j < p; j++) {
            sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
        }
        return new Standardization(mean, sd);
    }

    /** The cohort with standardized covariates. */
    Cohort apply(Cohort cohort) {
        double[][] x = cohort.x();
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                z[i][j] = (x[i][j] - mean[j]) / sd[j];
            }
        }
        return cohort.withCovariates(z);
    }
}
