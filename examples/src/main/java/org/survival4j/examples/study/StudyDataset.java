package org.survival4j.examples.study;

import org.survival4j.examples.train.BreastCancerCohorts;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.SurvivalData;

/**
 * A training set and a test set for the study, with the covariates standardized by the training
 * means and standard deviations, and how many epochs the mini-batch arms train on it.
 *
 * @param name the name in reports
 * @param train standardized training rows
 * @param test standardized test rows
 * @param epochs passes over the training data for every mini-batch arm
 */
public record StudyDataset(String name, SurvivalData train, SurvivalData test, int epochs) {

    /** Standardizes both parts with the training statistics. */
    public static StudyDataset standardized(String name, SurvivalData train, SurvivalData test, int epochs) {
        Standardization s = Standardization.fit(train);
        return new StudyDataset(name, s.apply(train), s.apply(test), epochs);
    }

    /** Train on Rotterdam (nodes > 0, n = 1546), test on GBSG (n = 686). */
    public static StudyDataset rotterdamGbsg(int epochs) {
        return standardized("Rotterdam -> GBSG", BreastCancerCohorts.rotterdamNodePositive(), BreastCancerCohorts.gbsg(),
                epochs);
    }

    /** FLCHAIN, seeded 80/20 split ({@link FlchainData}). */
    public static StudyDataset flchain(int epochs) {
        SurvivalData[] parts = FlchainData.trainTest();
        return standardized("FLCHAIN", parts[0], parts[1], epochs);
    }

    /** The synthetic task ({@link SyntheticTask}): independent training and test draws. */
    public static StudyDataset synthetic(int trainRows, int testRows, int features, int epochs) {
        return synthetic("Synthetic (p = " + features + ")", trainRows, testRows, features,
                SyntheticTask.CENSORING_RATE, epochs);
    }

    /**
     * The rare-event variant of the synthetic task (censoring rate
     * {@value SyntheticTask#RARE_CENSORING_RATE}: about 4.9 % events), where most small batches
     * hold no event at all.
     */
    public static StudyDataset rareEvents(int trainRows, int testRows, int features, int epochs) {
        return synthetic("Rare events (p = " + features + ")", trainRows, testRows, features,
                SyntheticTask.RARE_CENSORING_RATE, epochs);
    }

    private static StudyDataset synthetic(String name, int trainRows, int testRows, int features,
                                          double censoringRate, int epochs) {
        SyntheticTask.Sample train = SyntheticTask.draw(trainRows, features, SYNTHETIC_TRAIN_SEED, censoringRate);
        SyntheticTask.Sample test = SyntheticTask.draw(testRows, features, SYNTHETIC_TEST_SEED, censoringRate);
        return standardized(name, SurvivalData.of(name, train.columns(), train.x(), train.time(), train.event()),
                SurvivalData.of(name, test.columns(), test.x(), test.time(), test.event()), epochs);
    }

    /** A seeded random subset of each part (for the smoke run). */
    public StudyDataset subset(int trainRows, int testRows) {
        return new StudyDataset(name, sample(train, trainRows), sample(test, testRows), epochs);
    }

    /** The same dataset with another number of epochs. */
    public StudyDataset withEpochs(int newEpochs) {
        return new StudyDataset(name, train, test, newEpochs);
    }

    static final long SYNTHETIC_TRAIN_SEED = 1001L;
    static final long SYNTHETIC_TEST_SEED = 2002L;
    static final long SUBSET_SEED = 7L;

    private static SurvivalData sample(SurvivalData data, int rows) {
        if (rows >= data.size()) {
            return data;
        }
        return data.split((double) rows / data.size(), SUBSET_SEED)[1];
    }
}
