/**
 * Survival data handling shared by losses and metrics: input validation ({@link
 * org.survival4j.data.SurvivalArguments}, one exception type) and the grouping of rows by stratum
 * and distinct time that defines risk sets ({@link org.survival4j.data.TimeGroups}).
 *
 * <p>{@link org.survival4j.data.TimeGroups}, {@link org.survival4j.data.SubdistributionRiskSets} (the
 * Fine-Gray risk sets, shared by the loss and its baseline) and {@link org.survival4j.data.NDArrays} are internal:
 * public only because the losses, metrics, SameDiff graphs, the momentum engine and the DL4J
 * adapters (other packages and modules) share them; they may change without notice. Applications
 * use {@link org.survival4j.data.SurvivalArguments}' messages through
 * {@link org.survival4j.data.SurvivalArgumentException}.
 */
package org.survival4j.data;
