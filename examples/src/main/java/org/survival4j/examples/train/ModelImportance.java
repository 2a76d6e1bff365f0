package org.survival4j.examples.train;

import java.util.List;
import org.survival4j.explain.FeatureGroup;
import org.survival4j.explain.PermutationImportance;
import org.survival4j.model.SurvivalModel;

/**
 * What a model's performance on test data rests on: the library's
 * {@link PermutationImportance} (loss of Harrell's C, of the AUC at the horizon and of the Brier
 * score at the horizon when a feature is permuted) with the choices of the command line: one
 * feature per raw column of the model's recipe ({@link FeatureGroup#byRawColumn}, so a one-hot
 * column is permuted as a whole; one per input column without a recipe), the test rows, and
 * permutations seeded by the training seed.
 */
public final class ModelImportance {
    /** Permutations per feature by default: enough for an interval, few enough to take about a second. */
    public static final int DEFAULT_REPEATS = 5;

    private ModelImportance() {
    }

    /**
     * Computes the importances, or says why they are not defined on the test rows (e.g. no event
     * before the horizon, so no AUC there).
     *
     * @param test rows whose covariates are the model's inputs (standardized as in training)
     * @param horizon the horizon of the AUC and the Brier score
     * @param repeats permutations per feature, at least 2
     * @param seed the seed of the permutations
     */
    public static Outcome<PermutationImportance> of(SurvivalModel model, SurvivalData test, double horizon,
                                                    int repeats, long seed) {
        List<FeatureGroup> features = model.recipe() == null ? FeatureGroup.eachColumn(model)
                : FeatureGroup.byRawColumn(model);
        return Outcome.of("permutation importance", () -> PermutationImportance.compute(model, test.x(), test.time(),
                test.event(), horizon, features, repeats, seed));
    }
}
