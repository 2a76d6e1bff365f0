/**
 * Evaluation metrics and survival curves: the concordance index ({@link
 * org.survival4j.metrics.ConcordanceIndex}, Harrell's and Uno's, with standard errors, a bootstrap
 * and paired comparisons), the Kaplan-Meier estimator ({@link org.survival4j.metrics.KaplanMeier}),
 * Breslow's baseline hazard and per-row survival curves of Cox models ({@link
 * org.survival4j.metrics.BreslowBaseline}), Weibull survival curves ({@link
 * org.survival4j.metrics.WeibullSurvival}), and the IPCW Brier score ({@link
 * org.survival4j.metrics.BrierScore}) and time-dependent AUC ({@link
 * org.survival4j.metrics.TimeDependentAuc}); calibration at a horizon (the smooth curve with ICI,
 * E50 and E90, {@link org.survival4j.metrics.SmoothCalibration}; the {@link
 * org.survival4j.metrics.CalibrationSlope}; observed/expected, {@link
 * org.survival4j.metrics.CalibrationInTheLarge}; decile groups with the Greenwood-Nam-D'Agostino
 * test, {@link org.survival4j.metrics.GroupedCalibration}) and over the whole follow-up
 * ({@link org.survival4j.metrics.DCalibration}); and {@link org.survival4j.metrics.RepeatedEstimate},
 * the mean of a randomized statistic's repeats with its Student-t interval.
 *
 * <p>All follow R's conventions ({@code survival} 3.5, {@code riskRegression}); the definitions,
 * references and the few differences are in {@code docs/metrics.md}. Inputs are validated by
 * {@link org.survival4j.data.SurvivalArguments}; results are immutable values.
 */
package org.survival4j.metrics;
