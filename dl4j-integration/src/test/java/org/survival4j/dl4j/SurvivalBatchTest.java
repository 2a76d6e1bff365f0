package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shape and mask rules shared by the DL4J losses. */
class SurvivalBatchTest {
    private static final INDArray LABELS = Nd4j.createFromArray(new double[][] {{1, 1}, {2, 0}, {3, 1}});
    private static final INDArray TWO_COLUMNS = Nd4j.createFromArray(new double[][] {{0.1, 0.2}, {0.3, 0.4}, {0.5, 0.6}});

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    private static SurvivalBatch batch(INDArray mask) {
        return SurvivalBatch.of(LABELS, TWO_COLUMNS, new ActivationIdentity(), mask, 1, 2, "[n, 1] or [n, 2]");
    }

    @Test
    void perOutputMaskWithEqualEntriesInARowSelectsRows() {
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1}, {0, 0}, {1, 1}});

        assertArrayEquals(new int[] {0, 2}, batch(mask).includedRows());
    }

    @Test
    void perExampleMaskSelectsRows() {
        assertArrayEquals(new int[] {1}, batch(Nd4j.createFromArray(new double[][] {{0}, {1}, {0}})).includedRows());
    }

    @Test
    void rejectsAMaskThatKeepsPartOfARow() {
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1}, {1, 0}, {1, 1}});

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch(mask));
        assertTrue(e.getMessage().startsWith("mask row 1 keeps some output columns but not others"), e.getMessage());
    }

    @Test
    void rejectsAMaskOfAnotherShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch(Nd4j.ones(2, 1)));
        assertEquals("mask has shape [2, 1]: expected [3, 1] (per example) or [3, 2] (per output)", e.getMessage());
    }

    @Test
    void rejectsLabelsAndOutputWithDifferentRowCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SurvivalBatch.of(
                LABELS, Nd4j.zeros(4, 1), new ActivationIdentity(), null, 1, 1, "[n, 1]"));
        assertEquals("labels has 3 rows but the output has 4", e.getMessage());
    }

    @Test
    void equalContentsAreTheSameInputsWhateverTheArrayObjects() {
        SurvivalBatch a = batch(null);
        SurvivalBatch b = SurvivalBatch.of(LABELS.dup('f'), TWO_COLUMNS.dup('f'), new ActivationIdentity(), null, 1, 2, "");

        assertTrue(a.sameInputs(b));
    }
}
