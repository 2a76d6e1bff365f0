package org.survival4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
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
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.metrics.ConcordanceIndex;

/**
 * Trains a small neural Cox model on the Rotterdam tumour bank and validates it on the GBSG trial
 * (see {@link BreastCancerCohorts}): covariates standardized with the Rotterdam means and standard
 * deviations, an 8 -> 32 -> 1 MLP with {@link CoxLossFunction} (Efron ties), Adam, minibatches of 64.
 *
 * <p>Each epoch prints the mean of the minibatch losses, the Cox loss (MEAN over events, Efron) on
 * all of Rotterdam and on GBSG, and Harrell's C-index on GBSG. A linear Cox model (8 -> 1) trained
 * the same way is the baseline in the final summary. Run with
 * {@code mvn -B -q -DskipTests -Ptrain package -pl examples -am}; it takes a few seconds on a
 * laptop CPU.
 */
public final class TrainCoxExample {
    static final int EPOCHS = 30;
    static final int BATCH_SIZE = 64;
    static final int HIDDEN = 32;
    static final double LEARNING_RATE = 1e-3;
    static final double WEIGHT_DECAY = 1e-4;
    static final long SEED = 20240601L;

    private static final CoxPartialLikelihood COX = CoxPartialLikelihood.efron();

    private TrainCoxExample() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        // The networks here are tiny: handing each small op to a pool of threads costs more than it
        // saves, and on a busy machine much more. One thread is fastest; drop this for large models.
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        Cohort rawTrain = BreastCancerCohorts.rotterdamNodePositive();
        Cohort rawTest = BreastCancerCohorts.gbsg();
        Standardization standardization = Standardization.fit(rawTrain);
        Cohort train = standardization.apply(rawTrain);
        Cohort test = standardization.apply(rawTest);

        System.out.println("survival4j: neural Cox model, trained on Rotterdam, validated on GBSG");
        System.out.printf(Locale.ROOT, "  train: %-22s n = %4d, events = %d%n", train.name(), train.size(), train.events());
        System.out.printf(Locale.ROOT, "  test:  %-22s n = %4d, events = %d%n", test.name(), test.size(), test.events());
        System.out.println("  covariates: " + String.join(", ", train.covariates())
                + " (standardized with the Rotterdam mean and sd)");
        System.out.printf(Locale.ROOT, "  model: %d -> %d (ReLU) -> 1, Adam(%.0e), weight decay %.0e, batch %d, "
                + "%d epochs, Efron ties%n%n", train.covariates().size(), HIDDEN, LEARNING_RATE, WEIGHT_DECAY,
                BATCH_SIZE, EPOCHS);

        System.out.println("epoch  batch loss  Rotterdam loss  GBSG loss  GBSG C");
        MultiLayerNetwork mlp = network(train.covariates().size(), HIDDEN);
        Result neural = train(mlp, train, test, true);
        Result linear = train(network(train.covariates().size(), 0), train, test, false);

        System.out.println();
        System.out.println("Summary (Cox loss = negative partial log-likelihood / events, Efron ties)");
        System.out.println("  model                 Rotterdam loss  GBSG loss  GBSG Harrell C");
        System.out.printf(Locale.ROOT, "  MLP %d -> %d -> 1        %8.4f     %8.4f      %.4f%n",
                train.covariates().size(), HIDDEN, neural.trainLoss, neural.testLoss, neural.testConcordance);
        System.out.printf(Locale.ROOT, "  linear Cox %d -> 1      %8.4f     %8.4f      %.4f%n",
                train.covariates().size(), linear.trainLoss, linear.testLoss, linear.testConcordance);
        System.out.println("  (for reference: a linear Cox model fitted in R reaches a GBSG C of about 0.666)");
        System.out.println("  (the per-epoch batch loss is lower than the Rotterdam loss because its risk sets hold"
                + " at most " + BATCH_SIZE + " patients)");
        System.out.printf(Locale.ROOT, "  total time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Losses and C-index at the end of training. */
    record Result(double trainLoss, double testLoss, double testConcordance) {
    }

    /** An MLP with one hidden ReLU layer of {@code hidden} units, or a linear model when {@code hidden} is 0. */
    static MultiLayerNetwork network(int inputs, int hidden) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .updater(new Adam(LEARNING_RATE))
                .weightDecay(WEIGHT_DECAY)
                .weightInit(WeightInit.XAVIER)
                .list();
        if (hidden > 0) {
            layers.layer(new DenseLayer.Builder().nIn(inputs).nOut(hidden).activation(Activation.RELU).build());
        }
        // No bias on the output: the partial likelihood ignores a shift common to all log hazards.
        MultiLayerConfiguration conf = layers
                .layer(new OutputLayer.Builder(new CoxLossFunction()).nIn(hidden > 0 ? hidden : inputs).nOut(1)
                        .activation(Activation.IDENTITY).hasBias(false).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Trains for {@link #EPOCHS} epochs of shuffled minibatches, optionally printing each epoch. */
    static Result train(MultiLayerNetwork net, Cohort train, Cohort test, boolean print) {
        Random rng = new Random(SEED);
        Result result = null;
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            double lossSum = 0;
            List<DataSet> batches = minibatches(train, rng);
            for (DataSet batch : batches) {
                net.fit(batch);
                lossSum += net.score();
            }
            result = evaluate(net, train, test);
            if (print) {
                System.out.printf(Locale.ROOT, "%5d  %10.4f  %14.4f  %9.4f  %6.4f%n", epoch, lossSum / batches.size(),
                        result.trainLoss, result.testLoss, result.testConcordance);
            }
        }
        return result;
    }

    static Result evaluate(MultiLayerNetwork net, Cohort train, Cohort test) {
        double[] trainRisk = logHazard(net, train);
        double[] testRisk = logHazard(net, test);
        return new Result(coxLoss(trainRisk, train), coxLoss(testRisk, test),
                ConcordanceIndex.harrell(Nd4j.createFromArray(testRisk), Nd4j.createFromArray(test.time()),
                        Nd4j.createFromArray(test.event())));
    }

    private static double[] logHazard(MultiLayerNetwork net, Cohort cohort) {
        return net.output(cohort.features()).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static double coxLoss(double[] logHazard, Cohort cohort) {
        return COX.value(Nd4j.createFromArray(logHazard), Nd4j.createFromArray(cohort.time()),
                Nd4j.createFromArray(cohort.event()));
    }

    /** The cohort in a new random order, cut into batches of {@link #BATCH_SIZE} (the last may be smaller). */
    private static List<DataSet> minibatches(Cohort cohort, Random rng) {
        int n = cohort.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < n; from += BATCH_SIZE) {
            int size = Math.min(BATCH_SIZE, n - from);
            double[][] x = new double[size][];
            double[] time = new double[size];
            double[] event = new double[size];
            for (int k = 0; k < size; k++) {
                int i = order[from + k];
                x[k] = cohort.x()[i];
                time[k] = cohort.time()[i];
                event[k] = cohort.event()[i];
            }
            batches.add(new Cohort(cohort.name(), cohort.covariates(), x, time, event).dataSet());
        }
        return batches;
    }
}
