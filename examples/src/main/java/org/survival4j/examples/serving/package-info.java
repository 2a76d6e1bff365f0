/**
 * Serving a saved {@link org.survival4j.model.SurvivalModel} over HTTP: a small scoring endpoint on
 * the JDK's built-in server ({@link org.survival4j.examples.serving.ScoringServer}), bound to
 * 127.0.0.1, answering {@code POST /predict} with risk, survival and a quantile time for raw rows and
 * {@code GET /model} with the model's description. An example to copy from, using only survival4j's
 * public API and Jackson; see {@code docs/user-guide.md}, "Deploying a model".
 */
package org.survival4j.examples.serving;
