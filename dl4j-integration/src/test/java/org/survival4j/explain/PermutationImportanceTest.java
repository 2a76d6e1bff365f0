package org.survival4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.loss.Ties;
import org.survival4j.metrics.RepeatedEstimate;
import org.survival4j.model.ModelFixtures;
import org.survival4j.model.SurvivalModel;

/**
 * Permutation importance on simulated data whose third feature is irrelevant (the fixtures' times
 * have hazard \( e^{0.8 x_1 - 0.5 x_2} \)): a trained network ranks it last for every metric, and a
 * linear model that does not use it gives it exactly 0.
 */
class PermutationImportanceTest {
    private static final double HORIZON = 1.0; // about the median of the fixtures' times

    @Test
    void aTrainedNetworkRanksTheIrrelevantFeatureLast() {
        INDArray x = ModelFixtures.features(480, 21).castTo(DataType.DOUBLE);
        INDArray y = ModelFixtures.labels(x, 22, false);
        MultiLayerNetwork net = ModelFixtures.mlp(new CoxLossFunction(Ties.EFRON), 1, DataType.DOUBLE);
        ModelFixtures.train(net, x, y, 15);
        SurvivalModel model = SurvivalModel.builder(net).trainingData(x, y).build();
        INDArray xt = ModelFixtures.features(400, 23);
        INDArray yt = ModelFixtures.labels(xt, 24, false);
        PermutationImportance vi = PermutationImportance.compute(model, xt.toDoubleMatrix(),
                yt.getColumn(0).toDoubleVector(), yt.getColumn(1).toDoubleVector(), HORIZON,
                FeatureGroup.eachColumn(model), 10, 5L);
        for (PermutationImportance.Metric m : PermutationImportance.Metric.values()) {
            List<String> ranking = vi.ranking(m);
            assertEquals("x3", ranking.get(2), m + ": " + vi);
            assertEquals("x1", ranking.get(0), m + ": " + vi); // the largest coefficient
            RepeatedEstimate x1 = vi.importance(m).get(0);
            assertTrue(x1.confidenceInterval(0.05).lower() > 0, m + " " + x1);
        }
        assertTrue(vi.original(PermutationImportance.Metric.CONCORDANCE) > 0.6, vi.toString());
    }

    @Test
    void aColumnTheModelDoesNotUseHasNoImportanceAndTheSeedFixesTheResult() {
        LinearSample d = LinearSample.of(200, 31);
        SurvivalModel model = d.model();
        double[][] rows = d.x();
        double[] time = d.time();
        double[] event = d.event();
        List<FeatureGroup> groups = List.of(new FeatureGroup("x1 and x2", new int[] {0, 1}),
                new FeatureGroup("x3", new int[] {2}));
        PermutationImportance vi = PermutationImportance.compute(model, rows, time, event, HORIZON, groups, 4, 9L);
        for (PermutationImportance.Metric m : PermutationImportance.Metric.values()) {
            for (double v : vi.importance(m).get(1).values()) {
                assertEquals(0, v, 0, m + ": a column with coefficient 0 changes no prediction");
            }
            assertEquals(vi.importance(m).get(0).mean(), PermutationImportance.compute(model, rows, time, event,
                    HORIZON, groups, 4, 9L).importance(m).get(0).mean(), 0, "same seed, same result");
        }
    }

    @Test
    void aGroupIsPermutedJointly() {
        double[][] x = new double[50][3];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {i, 1000 + i, -i};
        }
        double[][] p = PermutationImportance.permuteColumns(x, new int[] {0, 1}, new SplittableRandom(3));
        boolean moved = false;
        for (int i = 0; i < x.length; i++) {
            assertEquals(p[i][0] + 1000, p[i][1], 0, "columns of one group stay together");
            assertEquals(-i, p[i][2], 0, "other columns stay");
            moved |= p[i][0] != i;
        }
        assertTrue(moved);
    }

    @Test
    void rejectsBadArguments() {
        LinearSample d = LinearSample.of(40, 41);
        SurvivalModel model = d.model();
        double[][] rows = d.x();
        double[] time = d.time();
        double[] event = d.event();
        List<FeatureGroup> each = FeatureGroup.eachColumn(model);
        assertThrows(IllegalArgumentException.class,
                () -> PermutationImportance.compute(model, rows, time, event, HORIZON, each, 1, 1L));
        assertThrows(IllegalArgumentException.class,
                () -> PermutationImportance.compute(model, rows, time, event, 0, each, 3, 1L));
        assertThrows(IllegalArgumentException.class, () -> PermutationImportance.compute(model, rows, time, event,
                HORIZON, List.of(new FeatureGroup("x9", new int[] {8})), 3, 1L));
        assertThrows(IllegalArgumentException.class, () -> new FeatureGroup("twice", new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> FeatureGroup.byRawColumn(model));
    }
}
