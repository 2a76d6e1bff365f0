package org.survival4j.examples.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.survival4j.dl4j.Momentum;
import org.survival4j.examples.train.Trainer;

/** The visit-sequence example: its data are what the class comment says, and the mask is what makes it work. */
class VisitSequencesTest {
    @BeforeAll
    static void oneThread() {
        Trainer.useOneThread();
    }

    @Test
    void cohortsArePaddedAfterTheLastVisitAndReproducible() {
        VisitSequences.Cohort a = VisitSequences.draw(500, 3);
        VisitSequences.Cohort b = VisitSequences.draw(500, 3);
        assertEquals(a.features(), b.features());
        assertEquals(a.labels(), b.labels());
        double censored = 0;
        for (int i = 0; i < a.size(); i++) {
            int visits = a.mask().getRow(i).sumNumber().intValue();
            assertTrue(visits >= 1 && visits <= VisitSequences.MAX_VISITS, "visits " + visits);
            assertEquals(visits, a.mask().getRow(i).get(NDArrayIndex.interval(0, visits)).sumNumber().intValue(),
                    "real visits come first");
            INDArray padding = a.features().get(NDArrayIndex.point(i), NDArrayIndex.all(),
                    NDArrayIndex.interval(visits, VisitSequences.MAX_VISITS));
            assertEquals(0.0, padding.length() == 0 ? 0.0 : padding.norm1Number().doubleValue());
            censored += 1 - a.labels().getDouble(i, 1);
        }
        double fraction = censored / a.size();
        assertTrue(fraction > 0.2 && fraction < 0.5, "censored fraction " + fraction);
    }

    @Test
    void theTargetNetworkLearnsTheLastVisitOnlyThroughTheMask() {
        VisitSequences.Cohort test = VisitSequences.draw(400, 2);
        Momentum momentum = VisitSequences.train(VisitSequences.draw(600, 1), 6, 7);

        double oracle = VisitSequences.concordance(Nd4j.createFromArray(test.logHazard()), test);
        double masked = VisitSequences.concordance(momentum.infer(test.features(), test.mask()), test);
        double unmasked = VisitSequences.concordance(momentum.infer(test.features()), test);
        assertTrue(masked > oracle - 0.08, "masked " + masked + " vs oracle " + oracle);
        assertTrue(masked > unmasked + 0.15, "masked " + masked + " vs unmasked " + unmasked);
    }
}
