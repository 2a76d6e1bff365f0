package org.survival4j.examples.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.survival4j.examples.train.TrainingSettings;

/** The search space's draws: valid settings, within the documented ranges, determined by the seed. */
class SearchSpaceTest {
    @Test
    void drawsAreValidAndWithinTheirRanges() {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            TrainingSettings s = SearchSpace.sample(SearchSpace.generator(1, i), 1000, 7); // the record validates every field

            assertEquals(7, s.seed());
            assertTrue(s.hidden().size() >= 1 && s.hidden().size() <= 3, s.describe());
            assertTrue(s.batchSize() >= 32 && s.batchSize() <= 256, s.describe());
            assertTrue(s.rate() >= 0.9 && s.rate() <= 0.999, s.describe());
            assertTrue(s.dropout().get(0) <= 0.6, s.describe());
            assertTrue(s.optimizer() == TrainingSettings.OptimizerKind.ADAM
                    ? s.learningRate() >= 3e-4 && s.learningRate() <= 1e-2
                    : s.learningRate() >= 3e-3 && s.learningRate() <= 1e-1, s.describe());
            seen.add(s.loss());
            seen.add(s.activation());
            seen.add(s.optimizer());
            seen.add(s.schedule().kind());
            seen.add(s.momentum());
            seen.add(s.hidden().size());
        }
        // every choice is drawn: 2 losses, 3 activations, 2 optimizers, 3 schedules, momentum on/off, 3 depths
        assertEquals(2 + 3 + 2 + 3 + 2 + 3, seen.size(), seen.toString());
    }

    @Test
    void aTrialsDrawDependsOnItsGeneratorOnly() {
        assertEquals(SearchSpace.sample(SearchSpace.generator(3, 42), 800, 1),
                SearchSpace.sample(SearchSpace.generator(3, 42), 800, 1));
        assertNotEquals(SearchSpace.sample(SearchSpace.generator(3, 42), 800, 1),
                SearchSpace.sample(SearchSpace.generator(3, 43), 800, 1));
        assertNotEquals(SearchSpace.sample(SearchSpace.generator(3, 42), 800, 1),
                SearchSpace.sample(SearchSpace.generator(4, 42), 800, 1));
    }

    @Test
    void batchesKeepAtLeastTwoPerEpochOnSmallData() {
        for (int i = 0; i < 200; i++) {
            assertTrue(SearchSpace.sample(SearchSpace.generator(1, i), 100, 1).batchSize() <= 50);
        }
        assertEquals(20, SearchSpace.anchor(40, 1).batchSize());
    }

    @Test
    void theAnchorIsAPlainTwoLayerCoxNetwork() {
        TrainingSettings a = SearchSpace.anchor(1000, 3);

        assertEquals(TrainingSettings.LossKind.COX, a.loss());
        assertEquals(List.of(64, 64), a.hidden());
        assertEquals(3, a.seed());
        assertEquals(false, a.momentum());
    }
}
