package org.survival4j.examples.train;

import java.util.List;
import org.survival4j.dl4j.EarlyStopping;
import org.survival4j.model.SurvivalModel;

/**
 * The result of a {@link Trainer} run: the survival model it made and how training went.
 *
 * <p>The model ({@link SurvivalModel}, the library's) predicts with the target (EMA) network after
 * momentum training, otherwise with the trained network itself; a Cox model's Breslow baseline is
 * fitted on the training rows. It takes the covariates as the trainer saw them (standardized by the
 * caller) and has no feature recipe until the caller gives it one ({@link SurvivalModel#withRecipe}).
 *
 * @param settings how it was trained
 * @param survivalModel what predicts: risk scores, survival curves, quantile times
 * @param history one entry per epoch trained
 * @param stopping with early stopping, which epoch was kept and why; {@code null} for a fixed number of epochs
 */
public record TrainedModel(TrainingSettings settings, SurvivalModel survivalModel, List<TrainingProgress> history,
                           EarlyStopping.Result stopping) {
    /** Copies the history. */
    public TrainedModel {
        history = List.copyOf(history);
    }

    /** A model trained for a fixed number of epochs. */
    public TrainedModel(TrainingSettings settings, SurvivalModel survivalModel, List<TrainingProgress> history) {
        this(settings, survivalModel, history, null);
    }
}
