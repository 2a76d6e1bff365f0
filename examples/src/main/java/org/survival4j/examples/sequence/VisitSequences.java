package org.survival4j.examples.sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.Momentum;
import org.survival4j.examples.train.SmokeBudget;
import org.survival4j.examples.train.Trainer;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.momentum.MomentumConfig;

/**
 * Momentum training of a recurrent Cox model on padded visit sequences: each patient has between 1
 * and {@value #MAX_VISITS} visits, the batch is padded to {@value #MAX_VISITS} steps, and a
 * features mask says which steps are real. An LSTM wrapped in {@code LastTimeStep} reads the last
 * real visit, so the mask must reach the target network too ({@code momentum.infer(x, mask)}).
 *
 * <p><b>Data</b> (seeded, synthetic). Patient {@code i} has \(L_i\) visits, uniform on
 * \(1..8\). A marker starts at \(b_i \sim N(0, 1)\) and moves by a slope \(s_i \sim N(0, 0.5)\)
 * per visit, observed with noise: \(m_{ij} = b_i + s_i j + 0.3\,\varepsilon_{ij}\). Each visit has
 * two features, the marker and the visit's index \(j / 8\). The log hazard depends on the last
 * true marker value and the slope, \(\eta_i = b_i + s_i (L_i - 1) + 2 s_i\); event times are
 * exponential with rate \(e^{\eta_i}\), censoring times exponential with rate 0.5 (about a third
 * censored). The oracle C-index (the true \(\eta\)) bounds what any model can reach.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Ptrain package -pl examples -am
 * -Dmain.class=org.survival4j.examples.sequence.VisitSequences -Dexec.args=""}. It prints Harrell's
 * C on held-out patients for the target network with the mask, the same network without it, and
 * the oracle.
 */
public final class VisitSequences {
    /** Longest sequence (the padded length). */
    public static final int MAX_VISITS = 8;
    static final int FEATURES = 2;

    private VisitSequences() {
    }

    /**
     * Padded sequences with their mask and survival labels.
     *
     * @param features {@code [n, 2, 8]}, zero after a patient's last visit
     * @param mask {@code [n, 8]}, 1 for real visits
     * @param labels {@code [n, 2]} = (time, event)
     * @param logHazard the true log hazard per patient
     */
    public record Cohort(INDArray features, INDArray mask, INDArray labels, double[] logHazard) {
        /** Number of patients. */
        public int size() {
            return logHazard.length;
        }

        /** Patients {@code from..to-1} as one DL4J batch. */
        DataSet batch(int from, int to) {
            INDArrayIndex rows = NDArrayIndex.interval(from, to);
            return new DataSet(features.get(rows).dup(), labels.get(rows).dup(), mask.get(rows).dup(), null);
        }
    }

    /** Draws {@code n} patients; the same seed gives the same cohort. */
    public static Cohort draw(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][][] x = new float[n][FEATURES][MAX_VISITS];
        float[][] mask = new float[n][MAX_VISITS];
        double[][] labels = new double[n][2];
        double[] eta = new double[n];
        for (int i = 0; i < n; i++) {
            int visits = 1 + rng.nextInt(MAX_VISITS);
            double start = gaussian(rng);
            double slope = 0.5 * gaussian(rng);
            for (int j = 0; j < visits; j++) {
                x[i][0][j] = (float) (start + slope * j + 0.3 * gaussian(rng));
                x[i][1][j] = (float) j / MAX_VISITS;
                mask[i][j] = 1;
            }
            eta[i] = start + slope * (visits - 1) + 2 * slope;
            double event = -StrictMath.log(1 - rng.nextDouble()) * StrictMath.exp(-eta[i]);
            double censoring = -StrictMath.log(1 - rng.nextDouble()) / 0.5;
            labels[i][0] = Math.min(event, censoring);
            labels[i][1] = event <= censoring ? 1 : 0;
        }
        return new Cohort(Nd4j.createFromArray(x), Nd4j.createFromArray(mask),
                Nd4j.createFromArray(labels).castTo(DataType.FLOAT), eta);
    }

    /** A standard normal draw (Box-Muller). */
    private static double gaussian(SplittableRandom rng) {
        double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - rng.nextDouble()));
        return radius * StrictMath.cos(2 * Math.PI * rng.nextDouble());
    }

    /** LSTM (2 -> 16) read at the last real step, Cox output, Adam 5e-3, float. */
    static MultiLayerNetwork network(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(5e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LastTimeStep(new LSTM.Builder().nIn(FEATURES).nOut(16).activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder(new CoxLossFunction()).nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /**
     * Trains a recurrent Cox network with momentum (batch 16, 10 steps, rate 0.99) and returns the
     * momentum set-up; its target network is the model.
     */
    public static Momentum train(Cohort train, int epochs, long seed) {
        int batch = 16;
        MultiLayerNetwork net = network(seed);
        Momentum momentum = Momentum.attach(net,
                MomentumConfig.builder().batchSize(batch).steps(10).rate(0.99).build());
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < train.size(); from += batch) {
            batches.add(train.batch(from, Math.min(train.size(), from + batch)));
        }
        net.fit(new ListDataSetIterator<>(batches, 1), epochs);
        return momentum;
    }

    /** Harrell's C of log hazards on a cohort. */
    public static double concordance(INDArray logHazard, Cohort cohort) {
        INDArray labels = cohort.labels().castTo(DataType.DOUBLE);
        return ConcordanceIndex.harrell(logHazard.castTo(DataType.DOUBLE), labels.getColumn(0), labels.getColumn(1));
    }

    public static void main(String[] args) {
        Trainer.useOneThread();
        Cohort train = draw(2000, 1);
        Cohort test = draw(1000, 2);
        Momentum momentum = train(train, SmokeBudget.cap(15, SmokeBudget.EPOCHS, "epochs"), 7);
        System.out.printf(Locale.ROOT, "visit sequences: %d training, %d test patients, 1-%d visits%n", train.size(),
                test.size(), MAX_VISITS);
        System.out.printf(Locale.ROOT, "Harrell's C, target network with the mask:    %.3f%n",
                concordance(momentum.infer(test.features(), test.mask()), test));
        System.out.printf(Locale.ROOT, "Harrell's C, the same network without the mask: %.3f%n",
                concordance(momentum.infer(test.features()), test));
        System.out.printf(Locale.ROOT, "Harrell's C of the true log hazard (oracle):    %.3f%n",
                concordance(Nd4j.createFromArray(test.logHazard()), test));
    }
}
