/**
 * The survival losses as SameDiff graph functions, for models built and trained in SameDiff:
 * {@link org.survival4j.samediff.SameDiffCoxLoss} (Cox partial likelihood, Efron or Breslow ties,
 * strata) and {@link org.survival4j.samediff.SameDiffWeibullLoss} (Weibull AFT likelihood). They compute
 * the same functions as the kernels of {@code org.survival4j.loss}, and SameDiff's autodiff gives
 * their gradients.
 *
 * <p>Everything that depends only on the labels (sort order, tie groups, Efron fractions, masks) is
 * computed in Java, with {@link org.survival4j.data.TimeGroups}, and enters the graph as constant or
 * placeholder arrays ({@link org.survival4j.samediff.CoxRiskSets}). The differentiable part uses only
 * ops whose gradients are correct in DL4J 1.0.0-M2.1: segment sums, matrix products, 1-D forward
 * cumulative sums, {@code exp}, {@code log}, slicing, concatenation and products with constant masks. It avoids
 * {@code gather}, reverse {@code cumsum}, {@code cumsum} along a dimension of a matrix, {@code where},
 * {@code logSumExp} along a dimension and sorting, whose gradients are wrong or missing there.
 *
 * <p>For training, {@link org.survival4j.samediff.KernelGradientLoss} puts a loss into the graph as
 * the kernel's gradient instead: a surrogate whose parameter gradients are the true loss's, with
 * \( \partial L / \partial y \) computed by the closed-form kernel while {@code sd.fit} runs (one
 * op in the backward pass instead of 50-76).
 *
 * <p>{@link org.survival4j.samediff.SameDiffMomentum} is the SameDiff front end of the momentum
 * engine ({@code org.survival4j.momentum}): a listener for {@code sd.fit} pools each batch with the
 * memory bank ({@link org.survival4j.samediff.SurvivalLoss}; by default as the kernel's gradient on
 * [bank rows ; batch rows], or as a graph loss with the bank rows as constants) and lets the engine
 * keep the target graph as a moving average of the online one.
 */
package org.survival4j.samediff;
