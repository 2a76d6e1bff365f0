package org.survival4j.samediff;

import java.util.List;
import org.survival4j.data.SurvivalArguments;

/**
 * What ties momentum to one SameDiff graph: the names of its placeholders and output, the loss,
 * and how often to log. The momentum settings themselves are a
 * {@link org.survival4j.momentum.MomentumConfig}. Immutable; a checkpoint stores it.
 *
 * @param features the features placeholders (fed from the data set's feature arrays)
 * @param output the output variable (log hazard, or the Weibull log parameters)
 * @param labels the labels placeholder ({@code [n, 2]}: time, event)
 * @param loss the survival loss on [bank rows ; batch rows]
 * @param logEvery log the loss every this many iterations; 0: never
 */
record GraphBinding(List<String> features, String output, String labels, SurvivalLoss loss, int logEvery) {
    /** Name prefix of everything momentum adds to the online graph. */
    static final String PREFIX = "momentum";

    GraphBinding {
        features = List.copyOf(SurvivalArguments.checkNotNull(features, "features"));
        if (features.isEmpty()) {
            throw new IllegalArgumentException("features: at least one features placeholder is needed");
        }
        SurvivalArguments.checkNotNull(output, "output");
        SurvivalArguments.checkNotNull(labels, "labels");
        SurvivalArguments.checkNotNull(loss, "loss");
        SurvivalArguments.atLeast(logEvery, "logEvery", 0);
    }
}
