package org.survival4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.survival4j.model.ModelFixtures;
import org.survival4j.model.SurvivalModel;

/**
 * Sampled Shapley values: efficiency (they sum to the prediction minus the background mean), agreement
 * with the exact values enumerated over all coalitions within their Monte-Carlo error, and 0 for
 * a feature the model does not use.
 */
class ShapleyValuesTest {
    private static final double HORIZON = 1.0;
    private static final LinearSample SAMPLE = LinearSample.of(120, 61);
    private static final SurvivalModel LINEAR = SAMPLE.model();

    @Test
    void valuesSumToThePredictionMinusTheBackgroundMean() {
        double[][] rows = SAMPLE.x();
        double[][] background = Arrays.copyOfRange(rows, 10, 40);
        for (SurvivalModel model : List.of(LINEAR, ModelFixtures.weibull(), ModelFixtures.grid())) {
            ShapleyValues sv = ShapleyValues.explain(model, rows[0], background, HORIZON,
                    FeatureGroup.eachColumn(model), 5, 7L);
            double mean = 0;
            for (double[] b : background) {
                mean += (1 - model.survival(new double[][] {b}, HORIZON)[0][0]) / background.length;
            }
            double sum = Arrays.stream(sv.values()).sum();
            // a network's output for one row can change in its last bits with the batch it is computed in:
            // about 1e-16 relative in double (the linear and Weibull fixtures), 1e-7 in float (the grid fixture)
            double tolerance = model.kind() == SurvivalModel.Kind.GRID ? 1e-6 : 1e-12;
            assertEquals(sv.prediction() - sv.baseline(), sum, tolerance, model.kind() + " " + sv);
            assertEquals(mean, sv.baseline(), tolerance, model.kind() + " baseline");
            assertEquals(150, sv.walks());
        }
    }

    @Test
    void valuesAgreeWithTheExactOnesWithinTheirStandardErrors() {
        double[][] rows = SAMPLE.x();
        double[][] background = Arrays.copyOfRange(rows, 50, 58);
        double[] row = rows[3];
        List<FeatureGroup> players = FeatureGroup.eachColumn(LINEAR);
        ShapleyValues sv = ShapleyValues.explain(LINEAR, row, background, HORIZON, players, 50, 11L);
        double[] exact = exact(LINEAR, row, background);
        for (int j = 0; j < 3; j++) {
            double se = sv.standardErrors()[j];
            // 4 standard errors: a seeded draw, with a chance of about 6e-5 per value of failing by bad luck
            assertEquals(exact[j], sv.values()[j], 4 * se, "player " + j + " " + sv);
        }
        assertTrue(sv.standardErrors()[0] > 0);
        assertEquals(0, sv.values()[2], 0, "a column with coefficient 0 moves nothing");
        assertEquals(0, sv.standardErrors()[2], 0);
        assertEquals(Arrays.stream(exact).sum(), Arrays.stream(sv.values()).sum(), 1e-12, "both are efficient");
    }

    @Test
    void playersMustHoldEveryColumnOnce() {
        double[][] rows = SAMPLE.x();
        assertThrows(IllegalArgumentException.class, () -> ShapleyValues.explain(LINEAR, rows[0], rows, HORIZON,
                List.of(new FeatureGroup("a", new int[] {0, 1}), new FeatureGroup("b", new int[] {1, 2})), 1, 1L));
        assertThrows(IllegalArgumentException.class, () -> ShapleyValues.explain(LINEAR, rows[0], rows, HORIZON,
                List.of(new FeatureGroup("a", new int[] {0, 1})), 1, 1L));
        assertThrows(IllegalArgumentException.class, () -> ShapleyValues.explain(LINEAR, rows[0], new double[0][],
                HORIZON, FeatureGroup.eachColumn(LINEAR), 1, 1L));
    }

    /** \( \phi_j = \sum_{A \not\ni j} \frac{|A|!\,(p - |A| - 1)!}{p!} (v(A \cup j) - v(A)) \), \( v(A) \) the background mean. */
    private static double[] exact(SurvivalModel model, double[] row, double[][] background) {
        int p = row.length;
        double[] v = new double[1 << p];
        for (int a = 0; a < v.length; a++) {
            double[][] z = new double[background.length][];
            for (int b = 0; b < background.length; b++) {
                z[b] = background[b].clone();
                for (int c = 0; c < p; c++) {
                    if ((a >> c & 1) == 1) {
                        z[b][c] = row[c];
                    }
                }
            }
            double[][] s = model.survival(z, HORIZON);
            for (double[] sb : s) {
                v[a] += (1 - sb[0]) / background.length;
            }
        }
        double[] phi = new double[p];
        double[] factorial = {1, 1, 2, 6, 24};
        for (int j = 0; j < p; j++) {
            for (int a = 0; a < v.length; a++) {
                if ((a >> j & 1) == 0) {
                    int size = Integer.bitCount(a);
                    phi[j] += factorial[size] * factorial[p - size - 1] / factorial[p] * (v[a | 1 << j] - v[a]);
                }
            }
        }
        return phi;
    }
}
