package org.survival4j.dl4j;

/** What the competing-risks loss functions share beyond {@link SurvivalLossFunction}. */
final class CompetingRisksLosses {
    private CompetingRisksLosses() {
    }

    /**
     * Momentum's bank keeps (time, event) rows and pools one risk set; competing risks need the
     * causes kept and risk sets per cause, which it does not do yet. Thrown inside the evaluation,
     * so the hook learns of the failure and the step changes nothing.
     */
    static void refuseMomentum(SurvivalLossFunction loss) {
        if (loss.hasBankHook()) {
            throw new IllegalStateException(loss.getClass().getSimpleName() + " does not support momentum training"
                    + " yet (the memory bank does not keep causes); detach momentum (momentum.detach()) and train"
                    + " plainly");
        }
    }
}
