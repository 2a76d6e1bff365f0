package org.survival4j.explain;

import java.util.Objects;
import org.survival4j.model.SurvivalModel;

/** What the explanations ask of a model: survival at one horizon for many rows, in chunks. */
final class Predictions {
    /** Rows per network call: bounds the memory of the large batches that Shapley sampling builds. */
    private static final int CHUNK = 8192;

    private Predictions() {
    }

    /** Rejects models the explanations cannot predict without more input. */
    static SurvivalModel check(SurvivalModel model) {
        if (Objects.requireNonNull(model, "model").stratified()) {
            throw new IllegalArgumentException("the model is stratified: its predictions need each row's stratum,"
                    + " which explanations do not take; explain an unstratified model");
        }
        return model;
    }

    /** \( \hat S(t \mid x_i) \) per row. */
    static double[] survivalAt(SurvivalModel model, double[][] x, double t) {
        double[] s = new double[x.length];
        for (int from = 0; from < x.length; from += CHUNK) {
            int to = Math.min(x.length, from + CHUNK);
            double[][] part = model.survival(java.util.Arrays.copyOfRange(x, from, to), t);
            for (int i = from; i < to; i++) {
                s[i] = part[i - from][0];
            }
        }
        return s;
    }

    /** A deep copy of rows. */
    static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }

    /** The horizon, finite and {@code > 0}. */
    static double horizon(double t) {
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("the horizon t must be finite and > 0, got " + t);
        }
        return t;
    }
}
