package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.survival4j.examples.train.OneInputCox;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.model.SurvivalModel;

/** The prediction CSV: every number from the survival model, and a median that may not be reached. */
class ReportTest {
    /**
     * A Cox model whose log hazard is the one input, with six training rows (events at 1, 2, 4, 5;
     * no ties). Breslow's baseline: H0(1) = 1 / 13.7305, the sum of exp(x) over all six rows, and
     * H0(5) = 0.3764 by the same sums over the shrinking risk sets. A row with log hazard 3 has
     * H(1) = 20.09 * 0.0728 = 1.46 > log 2: its median is the first event time, 1. A row with log
     * hazard -5 has H(5) = 0.0067 * 0.3764 = 0.0025: its curve ends near 0.9975, never reaching 1/2.
     */
    @Test
    void theMedianColumnSaysNotReachedWhereSurvivalStaysAboveOneHalf() {
        double[][] x = {{-1}, {0}, {1}, {0.5}, {-0.5}, {2}};
        double[][] y = {{1, 1}, {2, 1}, {3, 0}, {4, 1}, {5, 1}, {6, 0}};
        SurvivalModel model = OneInputCox.of(x, y);
        SurvivalData rows = SurvivalData.of("rows", List.of("x"), new double[][] {{3}, {-5}}, new double[2],
                new double[2]);

        String[] csv = Report.predictions(model, rows, new double[] {1, 5}, false).split("\n");

        assertEquals("row,risk,survival_at_1,survival_at_5,median", csv[0]);
        String[] high = csv[1].split(",");
        String[] low = csv[2].split(",");
        assertEquals("3.000000", high[1]);
        // exp(-e^3 / 13.7305), the sum of exp(x) over the six training rows written out
        double h1 = Math.exp(3) / (Math.exp(-1) + 1 + Math.exp(1) + Math.exp(0.5) + Math.exp(-0.5) + Math.exp(2));
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", Math.exp(-h1)), high[2]);
        assertEquals("1.000000", high[4]);
        assertEquals("-5.000000", low[1]);
        assertEquals(Report.NOT_REACHED, low[4]);
        assertEquals(3, csv.length);
    }
}
