package org.survival4j.explain;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.model.ModelFixtures;
import org.survival4j.model.SurvivalModel;

/**
 * Rows of the model fixtures' simulated data with a linear Cox model of coefficients
 * (0.8, -0.5, 0) fitted to them: its third input is unused, and its direction is known.
 */
record LinearSample(SurvivalModel model, double[][] x, double[] time, double[] event) {
    static final double[] BETA = {0.8, -0.5, 0};

    static LinearSample of(int rows, long seed) {
        INDArray x = ModelFixtures.features(rows, seed);
        INDArray y = ModelFixtures.labels(x, seed + 1, false);
        return new LinearSample(ModelFixtures.linearCox(BETA, x, y), x.toDoubleMatrix(), y.getColumn(0).toDoubleVector(),
                y.getColumn(1).toDoubleVector());
    }
}
