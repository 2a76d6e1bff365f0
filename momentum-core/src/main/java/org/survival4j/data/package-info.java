/**
 * Survival data handling shared by losses and metrics: input validation ({@link
 * org.survival4j.data.SurvivalArguments}, one exception type) and the grouping of rows by stratum
 * and distinct time that defines risk sets ({@link org.survival4j.data.TimeGroups}).
 */
package org.survival4j.data;
