package org.survival4j.examples.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.FineGrayLossFunction;
import org.survival4j.loss.Ties;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;

/**
 * A small Cox model for the serving tests: columns {@code age} (numeric), {@code nodes}
 * (log(1 + x)) and {@code grade} (one-hot, levels 1, 2, 3), an MLP 4 -> 8 -> 1 (tanh, float32)
 * trained briefly on 300 synthetic rows whose hazard rises with age, nodes and grade; about half
 * of the rows censored, so that low-risk rows' survival stays above 1/2 ("not reached").
 */
final class ServingFixtures {
    static final FeatureRecipe RECIPE = FeatureRecipe.builder()
            .numeric("age").log1p("nodes").oneHot("grade", List.of("1", "2", "3"))
            .standardization(new double[] {55, 1.2, 0.33, 0.33}, new double[] {10, 0.9, 0.47, 0.47})
            .build();

    private ServingFixtures() {
    }

    /** Raw rows: age 30-80, nodes 0-20, grade "1".."3", seeded. */
    static List<Map<String, Object>> rows(int n, long seed) {
        Random rng = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Map.of("age", 30 + 50 * rng.nextDouble(), "nodes", (double) rng.nextInt(21),
                    "grade", String.valueOf(1 + rng.nextInt(3))));
        }
        return rows;
    }

    static SurvivalModel coxModel() {
        return trained(new CoxLossFunction(Ties.EFRON), 1, 1);
    }

    /**
     * A competing-risks model on the same rows: each event is cause 2 with probability 1/3, cause 1
     * otherwise; {@code loss} a {@link CauseSpecificCoxLossFunction} of 2 causes ({@code outputs}
     * 2) or a {@link FineGrayLossFunction} (1).
     */
    static SurvivalModel competingModel(ILossFunction loss, int outputs) {
        return trained(loss, outputs, 2);
    }

    /** The MLP 4 -> 8 -> {@code outputs} trained for 5 epochs on the 300 rows, events coded 1..{@code causes}. */
    private static SurvivalModel trained(ILossFunction loss, int outputs, int causes) {
        List<Map<String, Object>> raw = rows(300, 1);
        double[][] x = RECIPE.encode(raw);
        Random rng = new Random(2);
        double[][] y = new double[x.length][2];
        for (int i = 0; i < x.length; i++) {
            double rate = Math.exp(0.6 * x[i][0] + 0.5 * x[i][1] + 0.4 * x[i][3]);
            y[i][0] = Math.ceil(-Math.log(1 - rng.nextDouble()) / rate * 1000);
            y[i][1] = rng.nextDouble() < 0.5 ? 1 : 0;
            if (causes > 1 && y[i][1] == 1 && rng.nextDouble() < 1.0 / 3) {
                y[i][1] = 2;
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(8).nOut(outputs).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        DataSet train = new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(DataType.FLOAT));
        for (int epoch = 0; epoch < 5; epoch++) {
            for (DataSet batch : train.batchBy(32)) {
                net.fit(batch);
            }
        }
        return SurvivalModel.builder(net).trainingData(x, y).recipe(RECIPE).build();
    }
}
