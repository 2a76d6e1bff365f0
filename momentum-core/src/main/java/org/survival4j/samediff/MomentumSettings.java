package org.survival4j.samediff;

import java.util.List;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.momentum.MemoryBank;

/**
 * The settings of one {@link SameDiffMomentum}: graph names, loss and momentum hyper-parameters.
 * Immutable; a checkpoint stores them.
 *
 * @param features the features placeholders (fed from the data set's feature arrays)
 * @param output the output variable (log hazard, or the Weibull log parameters)
 * @param labels the labels placeholder ({@code [n, 2]}: time, event)
 * @param loss the survival loss on [bank ; batch]
 * @param batchSize the largest batch (the bank holds {@code steps * batchSize} rows)
 * @param steps number of batches the bank holds
 * @param rate EMA momentum {@code m}
 * @param logEvery log the loss every this many iterations; 0: never
 */
record MomentumSettings(List<String> features, String output, String labels, SurvivalLoss loss, int batchSize,
                        int steps, double rate, int logEvery) {
    /** Name prefix of everything momentum adds to the online graph. */
    static final String PREFIX = "momentum";

    MomentumSettings {
        features = List.copyOf(SurvivalArguments.checkNotNull(features, "features"));
        if (features.isEmpty()) {
            throw new IllegalArgumentException("features: at least one features placeholder is needed");
        }
        SurvivalArguments.checkNotNull(output, "output");
        SurvivalArguments.checkNotNull(labels, "labels");
        SurvivalArguments.checkNotNull(loss, "loss");
        MemoryBank.capacity(batchSize, steps); // validates both
        SurvivalArguments.inRange(rate, "rate", 0, 1, true);
        SurvivalArguments.atLeast(logEvery, "logEvery", 0);
    }

    /**
     * Rows the memory bank holds, and the most rows the loss of one iteration pools: the batch plus
     * the newest {@code capacity - batch rows} bank rows.
     */
    int capacity() {
        return MemoryBank.capacity(batchSize, steps);
    }
}
