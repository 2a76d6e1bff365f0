/**
 * Survival likelihoods as closed-form kernels with analytic gradients: {@link
 * org.survival4j.loss.CoxPartialLikelihood} (Efron or Breslow ties, strata) and {@link
 * org.survival4j.loss.WeibullLikelihood}, and for competing risks {@link
 * org.survival4j.loss.CauseSpecificCox}, {@link org.survival4j.loss.FineGray} and {@link
 * org.survival4j.loss.DeepHit} ({@code docs/math/competing-risks.md}). Conventions (labels, risk sets, reductions, the
 * no-event rule) are in {@code docs/conventions.md}.
 */
package org.survival4j.loss;
