package org.survival4j.examples.competing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.survival4j.examples.competing.CauseSpecificScores.Row;
import org.survival4j.model.SurvivalModel;

/**
 * The pieces of the competing-risks study: the library scores R's predictions as riskRegression's
 * {@code Score} does (the committed {@code r_score_*.csv}), and a network arm trains to a
 * cause-specific model whose incidences are probabilities.
 */
class CompetingRisksStudyTest {
    private static final Path RESULTS = Path.of("../docs/study-results/competing-risks");
    /**
     * The library's cause-specific AUC and Brier equal riskRegression's to 1e-10 in the golden
     * tests; here R's predictions pass through 17-digit CSV: 1e-10.
     */
    private static final double SAME_AS_R = 1e-10;

    @Test
    void theLibraryScoresRsPredictionsAsRiskRegressionDoes() {
        for (String name : CompetingRisksStudy.DATASETS) {
            CompetingRisksData data = CompetingRisksData.load(name);
            List<String> lines = CompetingRisksStudy.crosscheck(CompetingRisksStudy.rModels(data, RESULTS),
                    RESULTS.resolve("r_score_" + name + ".csv"));
            assertEquals(16, lines.size(), name + ": 2 models x 2 causes x 2 metrics x 2 horizons");
            int offScale = 0;
            for (String line : lines) {
                String[] f = line.split(",");
                double library = Double.parseDouble(f[5]);
                if (Double.isNaN(library)) { // a prediction off the probability scale: the library refuses its Brier
                    offScale++;
                    continue;
                }
                assertEquals(Double.parseDouble(f[6]), library, SAME_AS_R, line);
            }
            assertEquals(name.equals("melanoma") ? 1 : 0, offScale, name);
        }
    }

    @Test
    void aMomentumArmTrainsToIncidencesOnTheProbabilityScale() {
        CompetingRisksData data = CompetingRisksData.load("melanoma");
        CauseSpecificNetwork.Trained trained = CauseSpecificNetwork.train(data,
                CauseSpecificNetwork.Arm.momentum(16, 4, 0.9), 1);
        SurvivalModel model = trained.model();
        assertEquals(SurvivalModel.Kind.CAUSE_SPECIFIC_COX, model.kind());
        assertTrue(trained.bestEpoch() >= 1 && trained.steps() > 0, trained.toString());
        for (Row row : CauseSpecificScores.score(data, "test", 1, (k, t) -> {
            double[] f = new double[data.test().size()];
            double[][] cif = model.cumulativeIncidence(data.test().x(), k, t);
            for (int i = 0; i < f.length; i++) {
                f[i] = cif[i][0];
                assertTrue(f[i] >= 0 && f[i] <= 1, "F = " + f[i]);
            }
            return f;
        }, false)) {
            assertTrue(row.estimate() >= 0 && row.estimate() <= 1, row.toString());
        }
    }
}
