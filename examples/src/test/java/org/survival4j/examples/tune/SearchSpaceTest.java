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
            assertTrue(s.batchSize() >= 32 && s.batchSize() <= 125, s.describe()); // at most 1000 / 8
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
    void batchesKeepAtLeastEightStepsPerEpochOnSmallData() {
        for (int i = 0; i < 200; i++) {
            assertTrue(SearchSpace.sample(SearchSpace.generator(1, i), 100, 1).batchSize() <= 12);
        }
        for (int k = 0; k < SearchSpace.PORTFOLIO; k++) {
            assertEquals(5, SearchSpace.portfolio(k, 40, 1).batchSize());
        }
    }

    @Test
    void thePortfolioIsThreeDifferentCoxNetworksWithBatchesThatGrowWithTheData() {
        TrainingSettings first = SearchSpace.portfolio(0, 1000, 3);
        TrainingSettings second = SearchSpace.portfolio(1, 1000, 3);
        TrainingSettings third = SearchSpace.portfolio(2, 1000, 3);

        assertEquals(List.of(TrainingSettings.ActivationKind.TANH, TrainingSettings.ActivationKind.RELU,
                TrainingSettings.ActivationKind.SELU), List.of(first.activation(), second.activation(), third.activation()));
        assertTrue(first.momentum() && !second.momentum() && !third.momentum());
        assertEquals(TrainingSettings.OptimizerKind.NESTEROV, third.optimizer());
        for (TrainingSettings s : List.of(first, second, third)) {
            assertEquals(TrainingSettings.LossKind.COX, s.loss());
            assertEquals(3, s.seed());
        }
        // a third of an epoch of 1000 / 32 = 32 batches: 1 - 1 / (0.35 * 32) = 0.9107
        assertEquals(0.9107, first.rate(), 0);
        assertEquals(32, first.batchSize());
        assertEquals(96, SearchSpace.portfolio(0, 4700, 3).batchSize(), "three times the batch from 3,750 rows");
        assertEquals(192, SearchSpace.portfolio(1, 4700, 3).batchSize());
    }
}
