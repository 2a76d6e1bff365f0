package org.survival4j.examples.train;

/** Competing-risks rows made from single-event ones, for the tests of the training core. */
final class CompetingCodes {
    private CompetingCodes() {
    }

    /** {@code data} with every third row's event (if it is one) recoded as cause 2: causes 1..2. */
    static SurvivalData everyThirdEventAsCause2(SurvivalData data) {
        double[] codes = data.event().clone();
        for (int i = 0; i < codes.length; i += 3) {
            codes[i] *= 2;
        }
        return new SurvivalData(data.name(), data.recipe(), data.x(), data.time(), codes, null);
    }
}
