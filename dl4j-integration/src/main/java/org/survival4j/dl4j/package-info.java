/**
 * Deeplearning4j adapters for the survival losses of {@code momentum-core}:
 * {@link org.survival4j.dl4j.CoxLossFunction}, {@link org.survival4j.dl4j.WeibullLossFunction} and
 * {@link org.survival4j.dl4j.GridHazardLossFunction} (log hazards at knot times) implement DL4J's
 * {@code ILossFunction}, so they plug into any output layer of a
 * {@code MultiLayerNetwork} or {@code ComputationGraph} and serialize with its configuration.
 *
 * <p>Labels are {@code [n, 2]}: time in column 0, event indicator (1 = event, 0 = censored) in
 * column 1. Both losses report the MEAN value of their likelihood as {@code net.score()}, handle
 * DL4J's minibatch scaling, labels masks (0 = row left out) and workspaces, and compute the value
 * and the gradient once per batch. The math lives in {@code org.survival4j.loss}; the classes here
 * only unpack, check and rescale.
 *
 * <p>Momentum training: {@link org.survival4j.dl4j.Momentum} attaches the momentum engine of
 * {@code org.survival4j.momentum} to a network as a training listener.
 *
 * <p>Evaluation: {@link org.survival4j.dl4j.ConcordanceEvaluation} is an {@code IEvaluation} for
 * {@code net.doEvaluation(iterator, ...)}, and {@link org.survival4j.dl4j.ConcordanceScoreCalculator}
 * an early-stopping {@code ScoreCalculator} that maximizes the C-index (of the model, or of any
 * predictor function such as a momentum target network). {@link org.survival4j.dl4j.EarlyStopping}
 * trains epoch by epoch on a validation score and puts back the best epoch's whole training state,
 * for every survival loss here, the competing-risks losses included.
 */
package org.survival4j.dl4j;
