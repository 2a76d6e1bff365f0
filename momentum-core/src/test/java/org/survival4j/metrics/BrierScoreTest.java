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
 * The IPCW Brier score against R 4.2.2 / riskRegression 2022.11.28 ({@code Score(...,
 * cens.model = "km")}, predictions \( \hat S_0(t)^{\exp(\eta)} \) from the Breslow baseline of the
 * case itself, training set = test set), and by hand.
 */
class BrierScoreTest {
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
        INDArray survival = BreslowBaseline.fit(logHz, time, event).survival(logHz, times);
        double[] expected = metrics.column("brier_ipcw_km");
        double[] all = BrierScore.atTimes(survival, times, time, event, time, event);
        for (int k = 0; k < times.length; k++) {
            double one = BrierScore.at(survival.getColumn(k), times[k], time, event, time, event);
            ConcordanceIndexTest.assertRelative(expected[k], one, GOLDEN_TOLERANCE);
            assertEquals(one, all[k], 0);
        }
    }

    @Test
    void javadocExampleWithoutCensoring() {
        INDArray time = Nd4j.createFromArray(1.0, 3.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0);
        assertEquals(0.1, BrierScore.at(Nd4j.createFromArray(0.2, 0.6), 2.0, time, event, time, event), EXACT);
    }

    @Test
    void censoredRowsAreReweightedByHand() {
        // rows: event at 1, censored at 2, event at 3, censored at 4; horizon 3
        // G: 1 until 2, then 1 - 1/3 = 2/3 (3 at risk at 2, no events there)
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0);
        INDArray event = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0);
        INDArray s = Nd4j.createFromArray(0.3, 0.5, 0.4, 0.9);
        // case 0: 0.3^2 / G(1-) = 0.09; row 1 censored before 3: 0; case 2: 0.4^2 / G(3-) = 0.16 * 3/2;
        // control 3: (1 - 0.9)^2 / G(3) = 0.01 * 3/2
        double expected = (0.09 + 0.16 * 1.5 + 0.01 * 1.5) / 4;
        assertEquals(expected, BrierScore.at(s, 3.0, time, event, time, event), EXACT);
    }

    @Test
    void integratedScoreIsTheTrapezoidalMean() {
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0, 6.0);
        INDArray event = Nd4j.createFromArray(1.0, 0.0, 1.0, 1.0, 0.0);
        double[] times = {1.5, 3.5, 5};
        INDArray s = Nd4j.createFromArray(new double[][] {
            {0.8, 0.5, 0.3}, {0.9, 0.6, 0.5}, {0.7, 0.4, 0.2}, {0.95, 0.7, 0.4}, {0.99, 0.9, 0.8}});
        double[] bs = BrierScore.atTimes(s, times, time, event, time, event);
        double expected = ((3.5 - 1.5) * (bs[0] + bs[1]) / 2 + (5 - 3.5) * (bs[1] + bs[2]) / 2) / (5 - 1.5);
        assertEquals(expected, BrierScore.integrated(s, times, time, event, time, event), EXACT);
    }

    @Test
    void rejectsTimesWhereTheCensoringSurvivalIsZero() {
        // the last row is censored alone at 4: G(4) = 0
        INDArray time = Nd4j.createFromArray(1.0, 2.0, 4.0);
        INDArray event = Nd4j.createFromArray(1.0, 1.0, 0.0);
        INDArray s = Nd4j.createFromArray(0.5, 0.5, 0.5);
        SurvivalArgumentException e = assertThrows(SurvivalArgumentException.class,
                () -> BrierScore.at(s, 4.0, time, event, time, event));
        assertTrue(e.getMessage().contains("G(t)"), e.getMessage());
        assertTrue(Double.isFinite(BrierScore.at(s, 3.9, time, event, time, event)));
    }

    @Test
    void rejectsProbabilitiesOutsideTheUnitInterval() {
        INDArray time = Nd4j.createFromArray(1.0, 2.0);
        INDArray event = Nd4j.createFromArray(1.0, 0.0);
        assertThrows(SurvivalArgumentException.class,
                () -> BrierScore.at(Nd4j.createFromArray(0.5, 1.5), 1.0, time, event, time, event));
        assertThrows(SurvivalArgumentException.class,
                () -> BrierScore.at(Nd4j.createFromArray(0.5, Double.NaN), 1.0, time, event, time, event));
    }
}
