package org.survival4j.examples.competing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.dl4j.Momentum;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.loss.CauseSpecificCox;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.examples.train.SmokeBudget;
import org.survival4j.model.SurvivalModel;
import org.survival4j.momentum.MomentumConfig;

/**
 * The study's cause-specific Cox network: an MLP (one hidden layer of 32 ReLU units, L2 1e-4,
 * Adam 1e-3, double precision) with one log hazard per cause and
 * {@link CauseSpecificCoxLossFunction} (Efron ties), trained on 80 % of the training rows in
 * shuffled mini-batches, plainly or with momentum; the epoch kept is the one whose network (the
 * target network with momentum) has the lowest cause-specific partial likelihood on the other
 * 20 % (patience 15 epochs, at most 200). Its {@link SurvivalModel} fits the baselines on all
 * training rows.
 */
final class CauseSpecificNetwork {
    static final int CAUSES = 2;
    private static final int HIDDEN = 32;
    private static final int MAX_EPOCHS = 200;
    private static final int PATIENCE = 15;

    /**
     * One way of training.
     *
     * @param name its label in the results
     * @param batch rows per batch
     * @param momentum null for plain training
     */
    record Arm(String name, int batch, MomentumConfig momentum) {
        static Arm plain(int batch) {
            return new Arm("MLP plain b" + batch, batch, null);
        }

        static Arm momentum(int batch, int steps, double rate) {
            return new Arm("MLP momentum b" + batch + " bank " + steps + "x" + batch + " rate " + rate, batch,
                    MomentumConfig.builder().batchSize(batch).steps(steps).rate(rate).build());
        }
    }

    /** A trained arm: its model, the epoch kept, the optimizer steps taken and the seconds it took. */
    record Trained(SurvivalModel model, int bestEpoch, long steps, double seconds) {
    }

    private CauseSpecificNetwork() {
    }

    static Trained train(CompetingRisksData data, Arm arm, long seed) {
        long started = System.nanoTime();
        SurvivalData[] parts = data.train().split(0.2, seed);
        SurvivalData fit = parts[0];
        SurvivalData validation = parts[1];
        MultiLayerNetwork net = network(data.train().columns().size(), seed);
        Momentum momentum = arm.momentum() == null ? null : Momentum.attach(net, arm.momentum());
        INDArray validationX = CompetingRisksData.features(validation);
        CauseSpecificCox criterion = new CauseSpecificCox(Ties.EFRON, Reduction.MEAN);
        INDArray validationTime = Nd4j.createFromArray(validation.time());
        INDArray validationCause = Nd4j.createFromArray(validation.event());
        Random shuffle = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < fit.size(); i++) {
            order.add(i);
        }
        double best = Double.POSITIVE_INFINITY;
        MultiLayerNetwork bestNet = null;
        int bestEpoch = 0;
        long steps = 0;
        int maxEpochs = SmokeBudget.cap(MAX_EPOCHS, SmokeBudget.EPOCHS, "epochs");
        for (int epoch = 1; epoch <= maxEpochs && epoch - bestEpoch <= PATIENCE; epoch++) {
            Collections.shuffle(order, shuffle);
            for (int from = 0; from < order.size(); from += arm.batch()) {
                int[] rows = order.subList(from, Math.min(order.size(), from + arm.batch())).stream()
                        .mapToInt(Integer::intValue).toArray();
                SurvivalData batch = fit.rows(rows);
                net.fit(new DataSet(CompetingRisksData.features(batch), CompetingRisksData.labels(batch)));
                steps++;
            }
            MultiLayerNetwork predictor = momentum == null ? net : momentum.target();
            double loss = criterion.value(predictor.output(validationX), validationTime, validationCause);
            if (loss < best) {
                best = loss;
                bestNet = predictor.clone();
                bestEpoch = epoch;
            }
        }
        SurvivalModel model = SurvivalModel.builder(bestNet).trainingData(CompetingRisksData.features(data.train()),
                CompetingRisksData.labels(data.train())).build();
        return new Trained(model, bestEpoch, steps, (System.nanoTime() - started) / 1e9);
    }

    private static MultiLayerNetwork network(int inputs, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).l2(1e-4).list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(new CauseSpecificCoxLossFunction(CAUSES, Ties.EFRON)).nIn(HIDDEN)
                        .nOut(CAUSES).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }
}
