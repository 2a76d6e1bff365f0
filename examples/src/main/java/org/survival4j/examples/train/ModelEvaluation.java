package org.survival4j.examples.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.metrics.BrierScore;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.ConcordanceResult;
import org.survival4j.metrics.InfluenceEstimate;
import org.survival4j.metrics.TimeDependentAuc;
import org.survival4j.model.SurvivalModel;

/**
 * How well a model predicts on test data: Harrell's and Uno's C-index with 95 % confidence
 * intervals, the Brier score over a time grid with its integral, and the mean time-dependent AUC
 * over the grid, the last two with influence-function standard errors (all from
 * {@code org.survival4j.metrics}).
 *
 * <p>Choices, stated once: the censoring distribution for the inverse-probability weights (Uno's C
 * and the Brier score) is estimated on the test data itself, because it describes the test
 * cohort's follow-up; the time grid runs over the 10th to 90th percentiles of the test times
 * ({@link #timeGrid}); Uno's C is truncated at the end of the grid, where enough subjects remain at
 * risk for stable weights. Intervals of the C-indices use Noether's standard error.
 *
 * @param risk the model's risk score of each test row
 * @param harrell Harrell's C
 * @param uno Uno's C, truncated at the last grid time
 * @param times the time grid
 * @param brier the Brier score at each grid time
 * @param integratedBrierInference the trapezoidal mean of the Brier score over the grid, with its
 *                                 influence function ({@link BrierScore#integratedInference})
 * @param meanAuc the trapezoidal mean of the time-dependent AUC of the risk score over the grid,
 *                with its influence function ({@link TimeDependentAuc#integratedInference}); {@code null}
 *                when the AUC is not defined at some grid time (no event yet at the first)
 */
public record ModelEvaluation(double[] risk, ConcordanceResult harrell, ConcordanceResult uno, double[] times,
                              double[] brier, InfluenceEstimate integratedBrierInference, InfluenceEstimate meanAuc) {
    /** Points in the default time grid. */
    public static final int GRID_POINTS = 50;
    /**
     * The fewest rows test data may have: enough for a time grid between the 10th and 90th
     * percentiles and for the training plots' Kaplan-Meier curve of each risk tertile (3 rows or
     * more in each). Fewer rows give no meaningful estimate anyway.
     */
    public static final int MIN_ROWS = 10;

    /**
     * Checks that data can be used to evaluate a model: at least {@link #MIN_ROWS} rows and at least
     * one event.
     *
     * @throws InvalidInputException naming the data, its size and the minimum
     */
    public static SurvivalData requireEvaluable(SurvivalData data) {
        if (data.size() < MIN_ROWS || data.events() == 0) {
            throw new InvalidInputException(data.name() + " has " + data.size() + " rows and " + data.events()
                    + " events: evaluating a model needs at least " + MIN_ROWS + " rows with at least one event"
                    + " (for the C-index, the Brier score's time grid and a Kaplan-Meier curve per risk tertile)");
        }
        return data;
    }

    /**
     * Evaluates a survival model on test data, on the default grid.
     *
     * @param test rows whose covariates are the model's inputs (standardized as in training)
     * @throws InvalidInputException if the test data is too small ({@link #requireEvaluable})
     */
    public static ModelEvaluation of(SurvivalModel model, SurvivalData test) {
        requireEvaluable(test);
        double[] times = timeGrid(test, GRID_POINTS);
        return of(model.risk(test.x()), Nd4j.createFromArray(model.survival(test.x(), times)), times, test);
    }

    /**
     * Evaluates given predictions.
     *
     * @param risk risk scores of the test rows, higher = shorter survival
     * @param survival predicted \( S_i(t_k) \), {@code [n, times.length]}
     * @param times strictly increasing grid
     * @param test the test rows' times and events
     * @see #requireEvaluable
     */
    public static ModelEvaluation of(double[] risk, INDArray survival, double[] times, SurvivalData test) {
        INDArray r = Nd4j.createFromArray(risk);
        INDArray time = test.timeArray();
        INDArray event = test.eventArray();
        ConcordanceResult harrell = ConcordanceIndex.harrellResult(r, time, event);
        ConcordanceResult uno = ConcordanceIndex.unoResult(r, time, event, time, event, times[times.length - 1]);
        double[] brier = BrierScore.atTimes(survival, times, time, event, time, event);
        InfluenceEstimate integrated = BrierScore.integratedInference(survival, times, time, event);
        InfluenceEstimate auc;
        try {
            auc = TimeDependentAuc.integratedInference(r, times, time, event);
        } catch (SurvivalArgumentException undefined) {
            auc = null; // no case yet at the first grid time: every early row was censored
        }
        return new ModelEvaluation(risk, harrell, uno, times, brier, integrated, auc);
    }

    /** The trapezoidal mean of the Brier score over the grid. */
    public double integratedBrier() {
        return integratedBrierInference.estimate();
    }

    /**
     * {@code points} equally spaced times from the 10th to the 90th percentile of the observed
     * times (distinct values; fewer if the percentiles coincide).
     */
    public static double[] timeGrid(SurvivalData data, int points) {
        double from = Quantiles.lower(data.time(), 0.1);
        double to = Quantiles.lower(data.time(), 0.9);
        if (!(to > from)) {
            throw new InvalidInputException(data.name() + ": the observed times are too concentrated for a time grid");
        }
        double[] grid = new double[points];
        for (int k = 0; k < points; k++) {
            grid[k] = from + (to - from) * k / (points - 1);
        }
        return grid;
    }
}
