/**
 * The {@code survival4j} command line (picocli): {@code train} (data loading, training with or
 * without momentum, evaluation, and the model, metrics, predictions and plots it writes) and
 * {@code predict} (a saved model applied to a CSV file). Built on
 * {@link org.survival4j.examples.train}; see {@code docs/cli.md}.
 */
package org.survival4j.examples.cli;
