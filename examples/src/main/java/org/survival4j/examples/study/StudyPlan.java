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
 * @param datasets the datasets, in report order
 * @param arms the arms, in report order
 * @param seeds the training seeds (weight initialisation and batch order)
 * @param learningRate Adam's rate for the mini-batch arms
 * @param fullBatchSteps optimizer steps of the full-batch arm
 * @param fullBatchLearningRate Adam's rate for the full-batch arm
 */
public record StudyPlan(List<StudyDataset> datasets, List<StudyArm> arms, List<Long> seeds, double learningRate,
                        int fullBatchSteps, double fullBatchLearningRate) {
    /** Hidden layers of every network. */
    public static final List<Integer> HIDDEN = List.of(32);
    /** Weight decay of every network. */
    public static final double WEIGHT_DECAY = 1e-4;

    /** Copies the lists. */
    public StudyPlan {
        datasets = List.copyOf(datasets);
        arms = List.copyOf(arms);
        seeds = List.copyOf(seeds);
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
        if (arm.fullBatch()) {
            return s.withEpochs(fullBatchSteps).withLearningRate(fullBatchLearningRate);
        }
        return s.withEpochs(dataset.epochs()).withLearningRate(learningRate);
    }

    /** Number of training runs. */
    public int runs() {
        return datasets.size() * arms.size() * seeds.size();
    }
}
