package org.survival4j.examples.train;

import java.util.List;
import org.survival4j.model.FeatureRecipe;

/**
 * The classic external validation of a breast-cancer recurrence model: train on the Rotterdam
 * tumour bank, test on the German Breast Cancer Study Group trial (both from R's {@code survival}
 * package, embedded in this module).
 *
 * <ul>
 *   <li><b>Rotterdam</b>: patients with at least one positive lymph node ({@code nodes > 0}),
 *       1546 of 2982; time {@code rtime} (days), event {@code recur} (relapse).</li>
 *   <li><b>GBSG</b>: all 686 patients (all node-positive); time {@code rfstime} (days), event
 *       {@code status} (recurrence or death).</li>
 * </ul>
 *
 * <p>The eight shared covariates ({@link #RECIPE}), in this order: {@code age} (years),
 * {@code meno} (1 = post-menopausal), {@code size} (tumour size category, ordinal: 0 = up to 20 mm, 1 =
 * 20-50 mm, 2 = over 50 mm; Rotterdam records the category, GBSG the size in mm, which the cut
 * points 20 and 50 bin the same way), {@code grade} (differentiation grade), {@code nodes}, {@code pgr}, {@code er}
 * (positive nodes, progesterone and oestrogen receptors in fmol/l; all three right-skewed, so they
 * enter as {@code log(1 + x)}) and {@code hormon} (1 = hormonal therapy). The covariates are not
 * standardized here; see {@link Standardization}.
 */
public final class BreastCancerCohorts {
    /** The covariate recipe shared by both cohorts (and by any CSV with the same columns). */
    public static final FeatureRecipe RECIPE = FeatureRecipe.builder().numeric("age").numeric("meno")
            .ordinal("size", List.of("<=20", "20-50", ">50"), 20, 50).numeric("grade")
            .log1p("nodes").log1p("pgr").log1p("er").numeric("hormon").build();

    private BreastCancerCohorts() {
    }

    /** Rotterdam patients with {@code nodes > 0}: time {@code rtime}, event {@code recur}. */
    public static SurvivalData rotterdamNodePositive() {
        CsvTable table = CsvTable.dataset("rotterdam.csv").rowsWhere("nodes", nodes -> nodes > 0);
        return SurvivalData.of(table, "rtime", "recur", RECIPE).withName("Rotterdam (nodes > 0)");
    }

    /** All GBSG patients: time {@code rfstime}, event {@code status}; size in mm binned as Rotterdam's. */
    public static SurvivalData gbsg() {
        return SurvivalData.of(CsvTable.dataset("gbsg.csv"), "rfstime", "status", RECIPE).withName("GBSG");
    }
}
