package org.survival4j.examples.train;

import java.util.Locale;
import org.survival4j.dl4j.EarlyStopping;

/**
 * When a {@link Trainer} run stops early: after {@code patience} epochs in which the validation
 * score did not improve, or after {@code maxEpochs}; the network is then put back as it was after
 * its best epoch ({@link EarlyStopping}).
 *
 * @param criterion what is compared between epochs: Harrell's C or the survival loss on the validation rows
 * @param patience epochs without a better score before stopping, {@code >= 1}
 * @param maxEpochs the most epochs to train, {@code >= 1}
 */
public record StoppingRule(EarlyStopping.Criterion criterion, int patience, int maxEpochs) {
    /** Validates the fields. */
    public StoppingRule {
        if (criterion == null) {
            throw new InvalidInputException("the early-stopping criterion must be c-index or loss");
        }
        if (patience < 1) {
            throw new InvalidInputException("--patience must be >= 1, got " + patience);
        }
        if (maxEpochs < 1) {
            throw new InvalidInputException("--max-epochs must be >= 1, got " + maxEpochs);
        }
    }

    /** This rule with at most {@link SmokeBudget#EPOCHS} epochs when the smoke budget is on (else itself). */
    public StoppingRule underSmokeBudget() {
        int capped = SmokeBudget.cap(maxEpochs, SmokeBudget.EPOCHS, "epochs per training");
        return capped == maxEpochs ? this : new StoppingRule(criterion, patience, capped);
    }

    /** E.g. {@code C-index, patience 20, at most 200 epochs}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s, patience %d, at most %d epochs", criterionName(), patience, maxEpochs);
    }

    /** {@code C-index} or {@code validation loss}. */
    public String criterionName() {
        return criterion == EarlyStopping.Criterion.C_INDEX ? "C-index" : "validation loss";
    }
}
