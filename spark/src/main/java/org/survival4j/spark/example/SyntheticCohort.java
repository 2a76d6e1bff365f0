package org.survival4j.spark.example;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded cohort the size of GBSG's for the Spark example and tests: 8 standard normal covariates,
 * exponential event times with log hazard {@code BETA . x}, uniform censoring on [0, 3] (about a
 * third of the rows censored). One row per {@code DataSet}, labels (time, event).
 */
public final class SyntheticCohort {
    /** Covariates per row. */
    public static final int FEATURES = 8;
    private static final double[] BETA = {0.8, -0.6, 0.5, 0, 0.3, -0.4, 0, 0.2};

    private SyntheticCohort() {
    }

    /** {@code n} rows drawn with {@code seed}, in {@code type}. */
    public static List<DataSet> rows(int n, long seed, DataType type) {
        Random rng = new Random(seed);
        List<DataSet> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[FEATURES];
            double logHz = 0;
            for (int j = 0; j < FEATURES; j++) {
                x[j] = rng.nextGaussian();
                logHz += BETA[j] * x[j];
            }
            double time = -Math.log(rng.nextDouble()) / Math.exp(logHz);
            double censor = 3 * rng.nextDouble();
            rows.add(new DataSet(Nd4j.createFromArray(new double[][] {x}).castTo(type),
                    Nd4j.createFromArray(new double[][] {{Math.min(time, censor), time <= censor ? 1 : 0}})
                            .castTo(type)));
        }
        return rows;
    }
}
