/**
 * The settings search of {@code survival4j tune}: the {@link org.survival4j.examples.tune.SearchSpace}
 * (a fixed portfolio, then random draws), {@link org.survival4j.examples.tune.Hyperband}'s brackets
 * with cross-validation folds as the resource, the {@link org.survival4j.examples.tune.Tuner} that
 * runs them in parallel within a budget, and {@link org.survival4j.examples.tune.TrialsTable}
 * ({@code trials.csv}). Built on the training core, {@link org.survival4j.examples.train}.
 */
package org.survival4j.examples.tune;
