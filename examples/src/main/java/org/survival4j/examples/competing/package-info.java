/**
 * The competing-risks study: a cause-specific Cox network (a DL4J MLP with
 * {@link org.survival4j.dl4j.CauseSpecificCoxLossFunction}, with and without momentum) against
 * R's linear cause-specific Cox ({@code CSC}) and Fine-Gray ({@code FGR}) models on mgus2 and
 * Melanoma, with the cause-specific C-index, AUC and Brier score on a held-out split. Run
 * {@link org.survival4j.examples.competing.CompetingRisksStudy}; results and how to reproduce them
 * are in {@code docs/study-results/competing-risks/} and the user guide, "Competing risks".
 */
package org.survival4j.examples.competing;
