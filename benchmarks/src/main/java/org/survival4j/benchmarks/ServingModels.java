package org.survival4j.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.GridHazardLossFunction;
import org.survival4j.dl4j.WeibullLossFunction;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;

/**
 * The survival models of the prediction benchmarks: an MLP 8 -> 32 -> 32 -> outputs (ReLU, float32)
 * trained for two epochs on 2,000 synthetic rows (continuous times, so about 1,400 distinct event
 * times in the Cox baseline), with a recipe of six numeric columns {@code x1..x6} and a one-hot
 * column {@code grade} (levels 1, 2, 3): eight covariates.
 */
final class ServingModels {
    static final int COVARIATES = 8;
    /** The grid model's knots, over the range of the training times (0 to about 300). */
    static final double[] KNOTS = {0, 10, 25, 50, 100, 150, 200, 300};
    private static final int TRAINING_ROWS = 2_000;
    private static final String[] GRADES = {"1", "2", "3"};

    private ServingModels() {
    }

    /** A trained model of the given kind, with the recipe of {@link #rawRows}. */
    static SurvivalModel build(SurvivalModel.Kind kind) {
        MultiLayerNetwork net = switch (kind) {
            case COX -> TrainingNetworks.mlp(COVARIATES, 32, new CoxLossFunction(), 1, 3);
            case WEIBULL -> TrainingNetworks.mlp(COVARIATES, 32, new WeibullLossFunction(), 2, 3);
            case GRID -> TrainingNetworks.mlp(COVARIATES, 32, new GridHazardLossFunction(KNOTS), KNOTS.length, 3);
            default -> throw new IllegalArgumentException("the serving benchmark measures the single-event kinds, not "
                    + kind);
        };
        double[][] x = recipe().encode(rawRows(TRAINING_ROWS, 1));
        double[][] y = labels(x, 2);
        DataSet train = new DataSet(Nd4j.createFromArray(x).castTo(net.params().dataType()),
                Nd4j.createFromArray(y).castTo(net.params().dataType()));
        for (int epoch = 0; epoch < 2; epoch++) {
            for (DataSet batch : train.batchBy(64)) {
                net.fit(batch);
            }
        }
        return SurvivalModel.builder(net).trainingData(x, y).recipe(recipe()).build();
    }

    /** Raw rows: {@code x1..x6} standard normal, {@code grade} one of "1", "2", "3". */
    static List<Map<String, Object>> rawRows(int n, long seed) {
        Random rng = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new HashMap<>();
            for (int j = 1; j <= 6; j++) {
                row.put("x" + j, rng.nextGaussian());
            }
            row.put("grade", GRADES[rng.nextInt(3)]);
            rows.add(row);
        }
        return rows;
    }

    /** {@code count} prediction times spread evenly over (0, 300]. */
    static double[] times(int count) {
        double[] t = new double[count];
        for (int j = 0; j < count; j++) {
            t[j] = 300.0 * (j + 1) / count;
        }
        return t;
    }

    private static FeatureRecipe recipe() {
        FeatureRecipe.Builder b = FeatureRecipe.builder();
        for (int j = 1; j <= 6; j++) {
            b.numeric("x" + j);
        }
        return b.oneHot("grade", List.of(GRADES)).build();
    }

    /** Exponential times with mean 100 e^{-(x1 - x2) / 2}, about 30% censored. */
    private static double[][] labels(double[][] x, long seed) {
        Random rng = new Random(seed);
        double[][] y = new double[x.length][2];
        for (int i = 0; i < x.length; i++) {
            y[i][0] = -Math.log(1 - rng.nextDouble()) * 100 * Math.exp(-(x[i][0] - x[i][1]) / 2);
            y[i][1] = rng.nextDouble() < 0.7 ? 1 : 0;
        }
        return y;
    }
}
