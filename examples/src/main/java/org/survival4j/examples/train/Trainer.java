package org.survival4j.examples.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.GridHazardLossFunction;
import org.survival4j.dl4j.Momentum;
import org.survival4j.dl4j.WeibullLossFunction;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.model.SurvivalModel;

/**
 * Trains a survival MLP ({@link MultiLayerNetwork}) with or without momentum, reporting each epoch.
 *
 * <p>The network: the covariates, then {@code settings.hidden()} dense ReLU layers (He
 * initialisation, dropout on their outputs if asked), then an identity output layer with
 * {@link CoxLossFunction} (one output, no bias: the partial likelihood ignores a common shift) or
 * {@link WeibullLossFunction} (two outputs; the network starts as the covariate-free Weibull fit of
 * the training data, see {@link MarginalWeibull}: its log scale and log shape as output biases, output
 * weights near zero). Adam with the settings' learning rate and weight decay.
 *
 * <p>Each epoch visits the training rows in a new random order (seeded by the settings), in
 * batches of {@code batchSize}; the last batch may be smaller. With momentum,
 * {@link Momentum#attach} wraps the network, and the target network is the predictor. With
 * {@code workers > 1}, DL4J's {@code ParallelWrapper} trains the batches {@code workers} at a time
 * ({@link Momentum#dataParallel} with momentum).
 *
 * <pre>{@code
 * Trainer.useOneThread();
 * TrainedModel model = Trainer.train(train, validation, TrainingSettings.defaults(),
 *         p -> System.out.println(p.epoch() + " " + p.loss() + " " + p.validationConcordance()));
 * ModelEvaluation eval = ModelEvaluation.of(model.survivalModel(), test);
 * }</pre>
 */
public final class Trainer {
    private Trainer() {
    }

    /**
     * Runs ND4J on one thread. For small networks on a few cores this is many times faster than
     * ND4J's thread pools (see {@code docs/dl4j-notes.md}); it is a global setting, so call it once
     * at start-up, and not for large models.
     */
    public static void useOneThread() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }

    /**
     * Trains a model.
     *
     * @param train the training data (standardized as the caller sees fit)
     * @param validation data for the per-epoch C-index, or {@code null}
     * @param settings loss, network, optimizer, momentum
     * @param progress called after each epoch (may be {@code p -> { }})
     * @return the trained model; for a Cox model its baseline hazard is fitted on {@code train}
     * @throws TrainingDivergedException if a step fails on non-finite values, or the network's
     *     outputs on the training rows are no longer finite after an epoch
     */
    public static TrainedModel train(SurvivalData train, SurvivalData validation, TrainingSettings settings,
                                     Consumer<TrainingProgress> progress) {
        if (train.events() == 0) {
            throw new InvalidInputException(train.name() + " has no events: nothing to learn from");
        }
        if (train.start() != null && settings.loss() != LossKind.COX) {
            throw new InvalidInputException("entry times (--start) need the Cox loss: the " + settings.loss()
                    .name().toLowerCase(Locale.ROOT) + " likelihood here takes right-censored rows from time 0");
        }
        MultiLayerNetwork net = network(train, settings);
        Momentum momentum = settings.momentum()
                ? Momentum.attach(net, settings.momentumConfig())
                : null;
        MultiLayerNetwork predictor = momentum == null ? net : momentum.target();
        Random order = new Random(settings.seed());
        // DL4J labels are float: for Cox, times float would merge train as ranks (the same likelihood)
        SurvivalData labelled = settings.loss() == LossKind.COX ? train.withFloatSafeTimes() : train;
        List<TrainingProgress> history = new ArrayList<>();
        long start = System.nanoTime();
        SurvivalModel model = null;
        try (EpochFitter fitter = EpochFitter.of(net, momentum, settings)) {
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                List<DataSet> batches = batches(labelled, settings.batchSize(), order);
                double loss = fitter.fit(batches, epoch);
                double c = Double.NaN;
                model = null;
                if (validation != null) {
                    model = survivalModel(predictor, train, epoch, settings);
                    double[] risk;
                    try {
                        risk = model.risk(validation.x());
                    } catch (IllegalArgumentException e) { // not finite on the monitored rows: weights too large
                        throw EpochFitter.diverged(e, epoch, settings);
                    }
                    c = ConcordanceIndex.harrell(Nd4j.createFromArray(risk), validation.timeArray(),
                            validation.eventArray());
                }
                TrainingProgress p = new TrainingProgress(epoch, settings.epochs(), loss, c,
                        (System.nanoTime() - start) / 1e9);
                history.add(p);
                progress.accept(p);
            }
        }
        if (model == null) {
            model = survivalModel(predictor, train, settings.epochs(), settings);
        }
        return new TrainedModel(asTrained(train, settings), model, history);
    }

    /**
     * The survival model of the predictor as it is after {@code epoch}: its Cox baseline fitted on
     * the training rows with their double times (the network saw float labels, ranked if needed).
     * Outputs that are no longer finite on the training rows mean the training diverged.
     */
    private static SurvivalModel survivalModel(MultiLayerNetwork predictor, SurvivalData train, int epoch,
                                               TrainingSettings settings) {
        try {
            SurvivalModel model = SurvivalModel.builder(predictor).trainingData(train.x(), train.labelRows()).build();
            model.output(train.x()); // refuses outputs that are not finite
            return model;
        } catch (IllegalArgumentException e) {
            throw EpochFitter.diverged(e, epoch, settings);
        }
    }

    /**
     * The settings as a network trained on {@code train} has them: the grid loss with the knots it
     * gets there ({@link #gridKnots}: fewer than asked where quantiles of the event times coincide).
     */
    public static TrainingSettings asTrained(SurvivalData train, TrainingSettings settings) {
        return settings.loss() == LossKind.GRID ? settings.withKnots(gridKnots(train, settings.knots()).length)
                : settings;
    }

    /**
     * A linear Cox model fitted by maximum partial likelihood: no hidden layer, full-batch Adam
     * (rate 0.01, 500 steps, no weight decay, no momentum), which converges to the same
     * coefficients as a Newton-Raphson fit on well-scaled (standardized) covariates.
     */
    public static TrainedModel linearCox(SurvivalData train, TrainingSettings settings) {
        TrainingSettings linear = settings.withVirtualBatch(0).withWorkers(1).withLoss(LossKind.COX)
                .withHidden(List.of()).withMomentum(false)
                .withBatchSize(train.size()).withEpochs(500).withLearningRate(0.01).withWeightDecay(0).withDropout(0);
        return train(train, null, linear, p -> { });
    }

    /** The network for {@code settings}, initialised (public so that studies can build the same one). */
    public static MultiLayerNetwork network(SurvivalData train, TrainingSettings settings) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(settings.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(settings.learningRate()))
                .weightDecay(settings.weightDecay())
                .list();
        int in = train.columns().size();
        for (int i = 0; i < settings.hidden().size(); i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(settings.hidden().get(i))
                    .activation(Activation.RELU).weightInit(WeightInit.RELU);
            if (i > 0 && settings.dropout() > 0) {
                dense.dropOut(1 - settings.dropout()); // DL4J takes the probability of keeping a unit
            }
            layers.layer(dense.build());
            in = settings.hidden().get(i);
        }
        boolean cox = settings.loss() == LossKind.COX;
        double[] knots = settings.loss() == LossKind.GRID ? gridKnots(train, settings.knots()) : null;
        ILossFunction loss = cox ? new CoxLossFunction(settings.ties())
                : knots != null ? new GridHazardLossFunction(knots) : new WeibullLossFunction();
        int outputs = cox ? 1 : knots != null ? knots.length : 2;
        OutputLayer.Builder output = new OutputLayer.Builder(loss).nIn(in).nOut(outputs)
                .activation(Activation.IDENTITY).hasBias(!cox)
                // Weibull and grid: a random output layer means random log shapes of +-4 (shape 55) or
                // log hazards, whose cumulative hazards overflow float; start near the marginal fit instead.
                .weightInit(cox ? new WeightInitXavier() : new WeightInitDistribution(new NormalDistribution(0, 1e-3)));
        if (!settings.hidden().isEmpty() && settings.dropout() > 0) {
            output.dropOut(1 - settings.dropout());
        }
        layers.layer(output.build());
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        if (!cox) {
            INDArray bias = net.getLayer(settings.hidden().size()).getParam("b");
            if (knots != null) {
                // the constant hazard that fits the training data: events / total time at risk
                double exposure = Arrays.stream(train.time()).sum();
                bias.assign(Math.log(Math.max(train.events(), 1) / Math.max(exposure, Double.MIN_NORMAL)));
            } else {
                MarginalWeibull start = MarginalWeibull.fit(train.time(), train.event());
                bias.putScalar(0, start.logScale());
                bias.putScalar(1, start.logShape());
            }
        }
        return net;
    }

    /**
     * Knots of the grid loss: 0 and {@code count - 1} equally spaced quantiles of the training
     * event times, up to the largest (fewer if quantiles coincide).
     */
    public static double[] gridKnots(SurvivalData train, int count) {
        double[] events = IntStream.range(0, train.size()).filter(i -> train.event()[i] == 1)
                .mapToDouble(i -> train.time()[i]).filter(t -> t > 0).sorted().toArray();
        if (events.length == 0) {
            throw new InvalidInputException(train.name() + " has no event after time 0: the grid loss places its"
                    + " knots at the event times");
        }
        double[] knots = new double[count];
        for (int k = 1; k < count; k++) {
            knots[k] = Quantiles.lower(events, (double) k / (count - 1));
        }
        return Arrays.stream(knots).distinct().sorted().toArray();
    }

    /** The training rows in a new random order, cut into batches (the last may be smaller). */
    static List<DataSet> batches(SurvivalData data, int batchSize, Random rng) {
        int[] order = SurvivalData.permutation(data.size(), rng);
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] rows = new int[Math.min(batchSize, order.length - from)];
            System.arraycopy(order, from, rows, 0, rows.length);
            batches.add(data.rows(rows).dataSet());
        }
        return batches;
    }

}
