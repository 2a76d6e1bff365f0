package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.testing.GoldenData;

/**
 * The cumulative/dynamic AUC against R 4.2.2 / riskRegression 2022.11.28 ({@code Score(...,
 * metrics = "auc", cens.model = "km")} of the predictions \( 1 - \hat S_0(t)^{\exp(\eta)} \),
 * training set = test set), and by hand.
 */
class TimeDependentAucTest {
    /** Relative error allowed against riskRegression. */
    static final double GOLDEN_TOLERANCE = 1e-10;
    static final double EXACT = 1e-15;

    @ParameterizedTest
    @ValueSource(strings = {"lung_sd1", "gbsg_sd1"})
    void matchesRiskRegressionScore(String caseName) {
        GoldenData rows = GoldenData.rows(caseName);
        GoldenData metrics = GoldenData.metrics(caseName);
        INDArray time = rows.vector("time");
        INDArray event = rows.vector("event");
        INDArray logHz = rows.vector("log_hz");
        double[] times = metrics.column("time");
        INDArray risk = BreslowBaseline.fit(logHz, time, event).survival(logHz, times).rsub(1.0);
        double[] expected = metrics.column("auc_cumulative_dynamic");
        double[] all = TimeDependentAuc.atTimes(risk, times, time, event, time, event);
        double[] fromLogHazard = TimeDependentAuc.atTimes(logHz, times, time, event, time, event);
        for (int k = 0; k < times.length; k++) {
            ConcordanceIndexTest.assertRelative(expected[k], all[k], GOLDEN_TOLERANCE);
            // the ranking of 1 - S0^exp(eta) is that of eta
            assertEquals(all[k], fromLogHazard[k], 1e-14);
            assertEquals(all[k], TimeDependentAuc.at(risk.getColumn(k), times[k], time, event, time, event), 0);
        }
    }

    @Test
    void javadocExample() {
        INDArray risk = Nd4j.createFromArray(3.0, 1.0, 2.0, 0.0);
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 5.0, 6.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0, 1.0);
        assertEquals(0.75, TimeDependentAuc.at(risk, 2.5, time, event, time, event), EXACT);
    }

    @Test
    void casesAreWeightedByTheCensoringSurvivalJustBeforeTheirTime() {
        // censored at 1 among the 4 at risk -> G = 3/4 from 1 on; cases at 2 (w 4/3) and 0.5 (w 1); controls at 4, 5
        INDArray time = Nd4j.createFromArray(0.5, 1.0, 2.0, 4.0, 5.0);
        INDArray event = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0, 1.0);
        INDArray risk = Nd4j.createFromArray(0.0, 9.0, 5.0, 1.0, 1.0);
        // case 0.5 (risk 0): below none of the controls (risk 1, 1): 0; case 2 (risk 5): above both: 2
        double expected = (1 * 0 + 4.0 / 3 * 2) / ((1 + 4.0 / 3) * 2);
        assertEquals(expected, TimeDependentAuc.at(risk, 3.0, time, event, time, event), EXACT);
        // tied risks count one half
        INDArray tied = Nd4j.createFromArray(1.0, 9.0, 5.0, 1.0, 1.0);
        assertEquals((1 * 1 + 4.0 / 3 * 2) / ((1 + 4.0 / 3) * 2), TimeDependentAuc.at(tied, 3.0, time, event, time, event),
                EXACT);
    }

    @Test
    void integralIsTheTrapezoidalMean() {
        INDArray risk = Nd4j.createFromArray(0.3, 2.0, 1.0, -1.0, 0.5, 0.0);
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0, 1.0, 1.0, 0.0);
        double[] times = {1.5, 3, 4.5};
        double[] auc = TimeDependentAuc.atTimes(risk, times, time, event, time, event);
        double expected = (1.5 * (auc[0] + auc[1]) / 2 + 1.5 * (auc[1] + auc[2]) / 2) / 3;
        assertEquals(expected, TimeDependentAuc.integrated(risk, times, time, event, time, event), EXACT);
    }

    @Test
    void rejectsHorizonsWithoutCasesOrControls() {
        INDArray risk = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 1.0);
        SurvivalArgumentException noCase = assertThrows(SurvivalArgumentException.class,
                () -> TimeDependentAuc.at(risk, 0.5, time, event, time, event));
        assertTrue(noCase.getMessage().contains("no case"), noCase.getMessage());
        SurvivalArgumentException noControl = assertThrows(SurvivalArgumentException.class,
                () -> TimeDependentAuc.at(risk, 3.0, time, event, time, event));
        assertTrue(noControl.getMessage().contains("no control"), noControl.getMessage());
    }
}
