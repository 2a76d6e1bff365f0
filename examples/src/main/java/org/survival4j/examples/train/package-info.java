/**
 * A small, reusable training core for the CLI and studies: survival data from the embedded
 * datasets or a user's CSV ({@link org.survival4j.examples.train.SurvivalData}), the CLI's choice
 * of a feature recipe for CSV columns ({@link org.survival4j.examples.train.FeatureEncoding}) and
 * its standardization ({@link org.survival4j.examples.train.Standardization}), training settings
 * and a trainer for a survival MLP with or without momentum
 * ({@link org.survival4j.examples.train.TrainingSettings}, {@link org.survival4j.examples.train.NetworkFactory},
 * {@link org.survival4j.examples.train.Trainer}, {@link org.survival4j.examples.train.TrainedModel}, which
 * holds a library {@link org.survival4j.model.SurvivalModel}), early stopping
 * ({@link org.survival4j.examples.train.StoppingRule}) and cross-validation of settings
 * ({@link org.survival4j.examples.train.CrossValidation}), and the evaluation on test data
 * ({@link org.survival4j.examples.train.ModelEvaluation}, {@link org.survival4j.examples.train.ModelCalibration},
 * {@link org.survival4j.examples.train.ModelImportance}, with {@link org.survival4j.examples.train.Outcome}
 * for statistics the data may not define). Uses only survival4j's public API.
 */
package org.survival4j.examples.train;
