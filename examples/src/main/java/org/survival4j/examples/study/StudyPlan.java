package org.survival4j.examples.study;

import java.util.List;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.examples.train.TrainingSettings.LossKind;

/**
 * What the study runs: the datasets, the arms, the seeds, and the training settings shared by
 * every arm.
 *
 * <p>Every arm trains the same network (one hidden layer of 32 ReLU units) with Adam at
 * {@code learningRate} and weight decay 1e-4 for {@link StudyDataset#epochs()} passes over the
 * training data. The full-batch arm is the exception: one pass is one optimizer step, so it takes
 * {@code fullBatchSteps} steps at {@code fullBatchLearningRate} instead, enough for its loss to
 * settle; it is the reference the small batches are measured against.
 *
 * <p>With an equal step budget ({@code optimizerSteps > 0}) every arm instead takes about
 * {@code optimizerSteps} optimizer steps at {@code learningRate}, the full batch included: each
 * mini-batch arm trains for as many whole epochs as come nearest to that budget. This separates
 * the quality of a batch's gradient from the number of steps a fixed number of epochs gives small
 * batches.
 *
 * @param datasets the datasets, in report order
 * @param arms the arms, in report order
 * @param seeds the training seeds (weight initialisation and batch order)
 * @param learningRate Adam's rate for the mini-batch arms
 * @param fullBatchSteps optimizer steps of the full-batch arm
 * @param fullBatchLearningRate Adam's rate for the full-batch arm
 * @param optimizerSteps the step budget of every arm, or 0 to train for the datasets' epochs
 */
public record StudyPlan(List<StudyDataset> datasets, List<StudyArm> arms, List<Long> seeds, double learningRate,
                        int fullBatchSteps, double fullBatchLearningRate, int optimizerSteps) {
    /** Hidden layers of every network. */
    public static final List<Integer> HIDDEN = List.of(32);
    /** Weight decay of every network. */
    public static final double WEIGHT_DECAY = 1e-4;

    /** Copies the lists. */
    public StudyPlan {
        datasets = List.copyOf(datasets);
        arms = List.copyOf(arms);
        seeds = List.copyOf(seeds);
        if (optimizerSteps < 0) {
            throw new IllegalArgumentException("optimizerSteps must be >= 0, got " + optimizerSteps);
        }
    }

    /** A plan that trains every mini-batch arm for the datasets' epochs. */
    public StudyPlan(List<StudyDataset> datasets, List<StudyArm> arms, List<Long> seeds, double learningRate,
                     int fullBatchSteps, double fullBatchLearningRate) {
        this(datasets, arms, seeds, learningRate, fullBatchSteps, fullBatchLearningRate, 0);
    }

    /** The same plan on other datasets. */
    public StudyPlan withDatasets(List<StudyDataset> newDatasets) {
        return new StudyPlan(newDatasets, arms, seeds, learningRate, fullBatchSteps, fullBatchLearningRate,
                optimizerSteps);
    }

    /** The same plan with other arms. */
    public StudyPlan withArms(List<StudyArm> newArms) {
        return new StudyPlan(datasets, newArms, seeds, learningRate, fullBatchSteps, fullBatchLearningRate,
                optimizerSteps);
    }

    /** The same plan with a step budget for every arm (0: the datasets' epochs). */
    public StudyPlan withOptimizerSteps(int steps) {
        return new StudyPlan(datasets, arms, seeds, learningRate, fullBatchSteps, fullBatchLearningRate, steps);
    }

    /** The training settings of one run. */
    public TrainingSettings settings(StudyDataset dataset, StudyArm arm, long seed) {
        TrainingSettings s = TrainingSettings.defaults()
                .withLoss(arm.likelihood())
                .withHidden(HIDDEN).withWeightDecay(WEIGHT_DECAY).withDropout(0).withSeed(seed)
                .withBatchSize(arm.batchSizeFor(dataset.train().size())).withMomentum(arm.momentum());
        if (arm.momentum()) {
            s = s.withSteps(arm.steps()).withRate(arm.rate());
        }
        int rowsPerStep = arm.rowsPerStep(dataset.train().size());
        if (arm.cached()) {
            s = s.withVirtualBatch(rowsPerStep);
        }
        if (optimizerSteps > 0) {
            return s.withEpochs(epochsFor(optimizerSteps, dataset.train().size(), rowsPerStep))
                    .withLearningRate(learningRate);
        }
        if (arm.fullBatch()) {
            return s.withEpochs(fullBatchSteps).withLearningRate(fullBatchLearningRate);
        }
        return s.withEpochs(dataset.epochs()).withLearningRate(learningRate);
    }

    /**
     * The whole number of epochs (at least one) whose optimizer steps come nearest to
     * {@code steps}, with {@code ceil(n / batch)} steps an epoch (the last batch may be smaller).
     */
    static int epochsFor(int steps, int n, int batch) {
        int perEpoch = (n + batch - 1) / batch;
        return Math.max(1, (int) Math.round((double) steps / perEpoch));
    }

    /** Number of training runs. */
    public int runs() {
        return datasets.size() * arms.size() * seeds.size();
    }
}
