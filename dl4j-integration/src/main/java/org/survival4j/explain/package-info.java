/**
 * Explanations of a {@link org.survival4j.model.SurvivalModel}: which features its performance
 * rests on ({@link org.survival4j.explain.PermutationImportance}), how its predicted survival moves
 * with one feature ({@link org.survival4j.explain.PartialDependence}, partial dependence and ICE
 * curves), and how each feature moves one row's predicted risk ({@link
 * org.survival4j.explain.ShapleyValues}, sampled Shapley values with their Monte-Carlo error).
 * Features can be grouped ({@link org.survival4j.explain.FeatureGroup}), e.g. all one-hot columns
 * of one raw column. All work on encoded inputs ({@code double[][]}, as {@code SurvivalModel}
 * takes them) of unstratified models; definitions and references are in {@code docs/metrics.md}.
 */
package org.survival4j.explain;
