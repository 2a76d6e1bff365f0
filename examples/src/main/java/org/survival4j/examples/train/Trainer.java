package org.survival4j.examples.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.dl4j.EarlyStopping;
import org.survival4j.dl4j.Momentum;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.model.SurvivalModel;

/**
 * Trains a survival MLP ({@link MultiLayerNetwork}, built by {@link NetworkFactory}) with or
 * without momentum, for a fixed number of epochs or with early stopping, reporting each epoch.
 *
 * <p>Each epoch visits the training rows in a new random order (seeded by the settings), in
 * batches of {@code batchSize}; the last batch may be smaller. With momentum,
 * {@link Momentum#attach} wraps the network, and the target network is the predictor. With
 * {@code workers > 1}, DL4J's {@code ParallelWrapper} trains the batches {@code workers} at a time
 * ({@link Momentum#dataParallel} with momentum). The network's epoch counter advances after each
 * epoch, so that learning-rate schedules counted in epochs decay.
 *
 * <p>With a {@link StoppingRule}, the library's {@link EarlyStopping} drives the epochs (the same
 * batches as the fixed loop), scores the predictor (the target network with momentum) on the
 * validation rows after each one, and puts back the whole training state of the best epoch.
 *
 * <pre>{@code
 * Trainer.useOneThread();
 * TrainedModel model = Trainer.train(train, validation, TrainingSettings.defaults(),
 *         p -> System.out.println(p.epoch() + " " + p.loss() + " " + p.validationConcordance()));
 * ModelEvaluation eval = ModelEvaluation.of(model.survivalModel(), test);
 * }</pre>
 *
 * <p>Runs on the calling thread; separate runs may train on separate threads at the same time
 * (each builds its own network; ND4J's random generator and workspaces are per thread).
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
        checkTrainable(train, settings);
        MultiLayerNetwork net = NetworkFactory.build(train, settings);
        Momentum momentum = settings.momentum()
                ? Momentum.attach(net, settings.momentumConfig())
                : null;
        MultiLayerNetwork predictor = momentum == null ? net : momentum.target();
        Random order = new Random(settings.seed());
        SurvivalData labelled = labelled(train, settings);
        List<TrainingProgress> history = new ArrayList<>();
        long start = System.nanoTime();
        SurvivalModel model = null;
        try (EpochFitter fitter = EpochFitter.of(net, momentum, settings)) {
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                List<DataSet> batches = batches(labelled, settings.batchSize(), order);
                double loss = fitter.fit(batches, epoch);
                net.incrementEpochCount(); // fit(DataSet) does not: epoch-counted schedules need it
                double c = Double.NaN;
                model = null;
                if (validation != null) {
                    model = survivalModel(predictor, train, epoch, settings);
                    try {
                        c = monitoredConcordance(model, train, validation, settings);
                    } catch (IllegalArgumentException e) { // not finite on the monitored rows: weights too large
                        throw EpochFitter.diverged(e, epoch, settings);
                    }
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
     * Trains with early stopping: at most {@code stopping.maxEpochs()} epochs, scored on
     * {@code validation} after each; returns the model of the best epoch, whose settings say how
     * many epochs it trained ({@code settings.withEpochs(best)}) and whose {@link TrainedModel#stopping()}
     * says which epoch was kept and why. The history holds every epoch trained, with the
     * validation C-index when that is the criterion (NaN otherwise, to keep the epochs cheap).
     *
     * @param validation the rows scored after each epoch (at least one event), standardized as {@code train}
     * @throws InvalidInputException with several workers or a virtual batch, which early stopping
     *     does not drive
     * @throws TrainingDivergedException if a step fails on non-finite values, or no epoch had a finite score
     */
    public static TrainedModel train(SurvivalData train, SurvivalData validation, TrainingSettings settings,
                                     StoppingRule stopping, Consumer<TrainingProgress> progress) {
        checkTrainable(train, settings);
        if (settings.workers() > 1 || settings.virtualBatch() > 0) {
            throw new InvalidInputException("early stopping trains on one worker without a virtual batch: drop"
                    + " --workers and --virtual-batch");
        }
        MultiLayerNetwork net = NetworkFactory.build(train, settings);
        Momentum momentum = settings.momentum() ? Momentum.attach(net, settings.momentumConfig()) : null;
        SurvivalData labelled = labelled(train, settings);
        LossMeter losses = new LossMeter();
        net.addListeners(losses);
        List<TrainingProgress> history = new ArrayList<>();
        long start = System.nanoTime();
        boolean cIndex = stopping.criterion() == EarlyStopping.Criterion.C_INDEX;
        EarlyStopping early = EarlyStopping.builder(validationSet(train, validation, settings))
                .criterion(stopping.criterion()).patience(stopping.patience()).maxEpochs(stopping.maxEpochs())
                .listener((epoch, score, best) -> {
                    TrainingProgress p = new TrainingProgress(epoch, stopping.maxEpochs(), losses.meanAndReset(),
                            cIndex ? score : Double.NaN, (System.nanoTime() - start) / 1e9);
                    history.add(p);
                    progress.accept(p);
                })
                .build();
        ShuffledBatches batches = new ShuffledBatches(labelled, settings.batchSize(), new Random(settings.seed()));
        EarlyStopping.Result result;
        try {
            result = momentum == null ? early.fit(net, batches) : early.fit(momentum, batches);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (net.getIterationCount() == 0) { // refused before the first step: the rows, not the training
                throw new InvalidInputException(e.getMessage());
            }
            throw EpochFitter.diverged(e, history.size() + 1, settings);
        } finally {
            net.getListeners().remove(losses);
        }
        if (result.bestEpoch() == 0) {
            throw new TrainingDivergedException("training diverged: no epoch had a finite validation score ("
                    + result + "); try a smaller --learning-rate or fewer hidden units", null);
        }
        MultiLayerNetwork predictor = momentum == null ? net : momentum.target();
        SurvivalModel model = survivalModel(predictor, train, result.bestEpoch(), settings);
        return new TrainedModel(settings.withEpochs(result.bestEpoch()), model, history, result);
    }

    /**
     * The validation rows as early stopping scores them: DeepHit's labels are indices of the
     * training rows' grid; the other losses take times and codes as they are (in double).
     */
    private static DataSet validationSet(SurvivalData train, SurvivalData validation, TrainingSettings settings) {
        SurvivalData labelled = settings.loss() == LossKind.DEEPHIT
                ? DeepHitGrid.labels(validation, NetworkFactory.gridKnots(train, settings.knots()))
                : validation;
        return new DataSet(labelled.features(), Nd4j.createFromArray(labelled.labelRows()));
    }

    /**
     * The rows as the network's labels hold them. DL4J labels are float: for the Cox-type losses,
     * times that float would merge train as ranks (the same likelihood); DeepHit's labels are grid
     * indices ({@link DeepHitGrid}).
     */
    private static SurvivalData labelled(SurvivalData train, TrainingSettings settings) {
        return switch (settings.loss()) {
            case COX, CAUSE_SPECIFIC, FINE_GRAY -> train.withFloatSafeTimes();
            case DEEPHIT -> DeepHitGrid.labels(train, NetworkFactory.gridKnots(train, settings.knots()));
            case WEIBULL, GRID -> train;
        };
    }

    /**
     * The C-index monitored after each epoch: Harrell's of the risk score; for competing risks
     * Wolbers' cause-specific C of the cause of interest (Fine-Gray's, otherwise cause 1), scored
     * by its cumulative incidence at the median training event time (NaN where the monitored rows
     * have no comparable pair of that cause).
     */
    static double monitoredConcordance(SurvivalModel model, SurvivalData train, SurvivalData validation,
                                               TrainingSettings settings) {
        if (!settings.loss().competingRisks()) {
            return ConcordanceIndex.harrell(Nd4j.createFromArray(model.risk(validation.x())), validation.timeArray(),
                    validation.eventArray());
        }
        double horizon = Quantiles.lower(train.eventTimes(), 0.5);
        double[][] f = model.cumulativeIncidence(validation.x(), settings.cause(), horizon);
        try {
            return ConcordanceIndex.causeSpecific(Nd4j.createFromArray(Arrays.stream(f).mapToDouble(r -> r[0])
                    .toArray()), validation.timeArray(), validation.eventArray(), settings.cause());
        } catch (SurvivalArgumentException undefined) { // no event of the cause among the monitored rows
            return Double.NaN;
        }
    }

    private static void checkTrainable(SurvivalData train, TrainingSettings settings) {
        if (train.events() == 0) {
            throw new InvalidInputException(train.name() + " has no events: nothing to learn from");
        }
        if (train.start() != null && settings.loss() != LossKind.COX) {
            throw new InvalidInputException("entry times (--start) need the Cox loss: the " + settings.loss()
                    .name().toLowerCase(Locale.ROOT) + " likelihood here takes right-censored rows from time 0");
        }
    }

    /** The mean of the losses DL4J reports after each step (with momentum: the pooled loss). */
    private static final class LossMeter extends BaseTrainingListener {
        private double sum;
        private int count;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
            count++;
        }

        double meanAndReset() {
            double mean = count == 0 ? Double.NaN : sum / count;
            sum = 0;
            count = 0;
            return mean;
        }
    }

    /**
     * The survival model of the predictor as it is after {@code epoch}: its Cox baseline fitted on
     * the training rows with their double times (the network saw float labels, ranked if needed).
     * Outputs that are no longer finite on the training rows mean the training diverged.
     */
    private static SurvivalModel survivalModel(MultiLayerNetwork predictor, SurvivalData train, int epoch,
                                               TrainingSettings settings) {
        try {
            SurvivalModel.Builder builder = SurvivalModel.builder(predictor);
            if (settings.loss() == LossKind.DEEPHIT) {
                double[] grid = NetworkFactory.gridKnots(train, settings.knots());
                builder.trainingData(train.x(), DeepHitGrid.labels(train, grid).labelRows()).gridTimes(grid);
            } else {
                builder.trainingData(train.x(), train.labelRows());
            }
            SurvivalModel model = builder.build();
            model.output(train.x()); // refuses outputs that are not finite
            return model;
        } catch (IllegalArgumentException e) {
            throw EpochFitter.diverged(e, epoch, settings);
        }
    }

    /**
     * The settings as a network trained on {@code train} has them: the grid (or DeepHit) loss with the knots it
     * gets there ({@link NetworkFactory#gridKnots}: fewer than asked where quantiles of the event times coincide).
     */
    public static TrainingSettings asTrained(SurvivalData train, TrainingSettings settings) {
        boolean grid = settings.loss() == LossKind.GRID || settings.loss() == LossKind.DEEPHIT;
        return grid ? settings.withKnots(NetworkFactory.gridKnots(train, settings.knots()).length)
                : settings;
    }

    /**
     * A linear Cox model fitted by maximum partial likelihood: no hidden layer, full-batch Adam
     * (rate 0.01, constant, 500 steps, no weight decay or penalty, no momentum), which converges to
     * the same coefficients as a Newton-Raphson fit on well-scaled (standardized) covariates. Of
     * {@code settings} only the seed and the Cox ties are used, and for competing risks the causes:
     * a linear Fine-Gray model for Fine-Gray, otherwise a linear cause-specific Cox model (as R's
     * {@code riskRegression::CSC}).
     */
    public static TrainedModel linearCox(SurvivalData train, TrainingSettings settings) {
        TrainingSettings linear = TrainingSettings.defaults().withSeed(settings.seed()).withTies(settings.ties())
                .withHidden(List.of()).withMomentum(false).withBatchSize(train.size()).withEpochs(500)
                .withLearningRate(0.01).withWeightDecay(0).withDropout(0);
        if (settings.loss().competingRisks()) { // Fine-Gray stays Fine-Gray; DeepHit's linear baseline is R's CSC
            linear = linear.withLoss(settings.loss() == LossKind.FINE_GRAY ? LossKind.FINE_GRAY : LossKind.CAUSE_SPECIFIC)
                    .withCauses(settings.causes()).withCause(settings.cause());
        }
        return train(train, null, linear, p -> { });
    }

    /** The network for {@code settings}, initialised ({@link NetworkFactory#build}; public so that studies can build the same one). */
    public static MultiLayerNetwork network(SurvivalData train, TrainingSettings settings) {
        return NetworkFactory.build(train, settings);
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
