/**
 * A small, reusable training core for the examples, the CLI and studies: survival data from the
 * embedded datasets or a user's CSV ({@link org.survival4j.examples.train.SurvivalData},
 * {@link org.survival4j.examples.train.FeatureEncoding}, {@link org.survival4j.examples.train.Standardization}),
 * training settings and a trainer for a survival MLP with or without momentum
 * ({@link org.survival4j.examples.train.TrainingSettings}, {@link org.survival4j.examples.train.Trainer},
 * {@link org.survival4j.examples.train.TrainedModel}), and the evaluation on test data
 * ({@link org.survival4j.examples.train.ModelEvaluation}). Uses only survival4j's public API.
 */
package org.survival4j.examples.train;
