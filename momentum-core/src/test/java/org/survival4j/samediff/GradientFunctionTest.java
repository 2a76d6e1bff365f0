package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.testing.Printed;

/** SameDiff 1.0.0-M2.1 prints a line per op while it differentiates; the project's graphs do not let it. */
class GradientFunctionTest {
    private static final double[][] LABELS = {{1, 1}, {2, 1}, {2, 0}};

    @Test
    void sameDiffAloneFillsTheConsoleWhenItDifferentiates() throws Exception {
        SameDiff sd = coxGraph();
        String printed = Printed.onOut(sd::createGradFunction);
        // the reason for GradientFunction: remove it when a DL4J release stops printing these
        assertTrue(printed.lines().count() > 10, printed);
        assertTrue(printed.lines().allMatch(l -> l.startsWith("Added differentiated op ")), printed);
    }

    @Test
    void createQuietlyBuildsTheGradientsAndPrintsNothing() throws Exception {
        SameDiff sd = coxGraph();
        assertEquals("", Printed.onOut(() -> GradientFunction.createQuietly(sd)));
        assertTrue(sd.hasGradientFunction());
    }

    /** 0.1: every SameDiff loss test printed 9-215 such lines through this helper, 2,886 in all. */
    @Test
    void theLossTestsHelperPrintsNothing() throws Exception {
        String printed = Printed.onOut(() -> GraphResult.of(Nd4j.createFromArray(0.5, -0.2, 0.0), (sd, x) ->
                new SameDiffCoxLoss(Ties.EFRON, Reduction.SUM).negativeLogLikelihood(sd, x,
                        Nd4j.createFromArray(LABELS))));
        assertEquals("", printed);
    }

    private static SameDiff coxGraph() {
        SameDiff sd = SameDiff.create();
        SDVariable logHz = sd.var("logHz", Nd4j.createFromArray(0.5, -0.2, 0.0));
        new SameDiffCoxLoss(Ties.EFRON, Reduction.SUM).negativeLogLikelihood(sd, logHz, Nd4j.createFromArray(LABELS))
                .markAsLoss();
        return sd;
    }
}
