package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.testing.GoldenData;

/**
 * The Breslow baseline of counting-process fits against R's survfit of
 * coxph(Surv(start, stop, event) ~ offset(log_hz), ties = "breslow") at log_hz = 0, computed by
 * {@code golden-own/counting_baseline.R} on the shared golden cases.
 */
class CountingProcessBaselineTest {
    /** time, cumhaz columns of an R-made CSV on the test classpath. */
    private static double[][] rBaseline(String file) throws IOException {
        try (InputStream in = CountingProcessBaselineTest.class.getResourceAsStream("/org/survival4j/golden-own/" + file)) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine();
            List<double[]> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] cells = line.split(",");
                rows.add(new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[1])});
            }
            double[][] columns = new double[2][rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                columns[0][i] = rows.get(i)[0];
                columns[1][i] = rows.get(i)[1];
            }
            return columns;
        }
    }

    @Test
    void matchesRsSurvfitOnTheHeartAndDelayedEntryData() throws IOException {
        for (String c : new String[] {"heart_sd1", "lung_entry_sd8"}) {
            GoldenData g = GoldenData.rows("counting/counting_" + c);
            BreslowBaseline b = BreslowBaseline.fit(g.vector("log_hz"), g.vector("start"), g.vector("stop"),
                    g.vector("event"));
            double[][] r = rBaseline("counting_baseline_" + c + ".csv");
            assertArrayEquals(r[0], b.eventTimes(BreslowBaseline.NO_STRATA), c + ": event times");
            double[] h = b.cumulativeHazards(BreslowBaseline.NO_STRATA);
            for (int k = 0; k < h.length; k++) {
                assertTrue(Math.abs(h[k] - r[1][k]) <= 1e-12 * Math.max(1, r[1][k]), c + " at " + r[0][k] + ": "
                        + h[k] + " vs R " + r[1][k]);
            }
        }
    }

    @Test
    void allStartsAtZeroIsTheOrdinaryBaseline() {
        GoldenData g = GoldenData.rows("lung_sd1");
        INDArray zeros = Nd4j.zeros(g.rows());
        BreslowBaseline counting = BreslowBaseline.fit(g.vector("log_hz"), zeros, g.vector("time"), g.vector("event"));
        BreslowBaseline ordinary = BreslowBaseline.fit(g.vector("log_hz"), g.vector("time"), g.vector("event"));
        assertArrayEquals(ordinary.cumulativeHazards(0), counting.cumulativeHazards(0), 1e-13);
    }

    @Test
    void anEmptyIntervalIsRefusedNamingTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BreslowBaseline.fit(
                Nd4j.createFromArray(0.0, 0.0), Nd4j.createFromArray(0.0, 2.0), Nd4j.createFromArray(1.0, 2.0),
                Nd4j.createFromArray(1.0, 1.0)));
        assertTrue(e.getMessage().startsWith("row 1: start 2.0 is not below stop 2.0"), e.getMessage());
    }
}
