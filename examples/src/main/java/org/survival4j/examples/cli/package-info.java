/**
 * The {@code survival4j} command line (picocli): {@code train} (data loading, training with or
 * without momentum, evaluation with calibration and feature importance, and the model, metrics,
 * predictions and plots it writes; for competing risks the cumulative incidence per cause,
 * {@link org.survival4j.examples.cli.CompetingRisksReport}), {@code predict} (a saved model applied to a CSV file) and
 * {@code explain} (Shapley values of a saved model's predicted risks). Built on
 * {@link org.survival4j.examples.train}; see {@code docs/cli.md}.
 */
package org.survival4j.examples.cli;
