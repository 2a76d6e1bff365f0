package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.ConcurrentReader;

/**
 * Momentum on a copy of the network, started from the original's state and merged back, as the
 * spark module does per round: with one copy this is exactly momentum training continued on the
 * original; with several, the target is the copies' mean and the bank takes their rows in order.
 */
class MomentumStateTest {
    private static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(8).steps(3).rate(0.9).build();

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    private static MultiLayerNetwork net() {
        return Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.05));
    }

    private static void assertSame(Momentum expected, Momentum actual) {
        assertArrayEquals(expected.network().params().toDoubleVector(), actual.network().params().toDoubleVector(),
                1e-12, "online");
        assertArrayEquals(expected.<MultiLayerNetwork>target().params().toDoubleVector(),
                actual.<MultiLayerNetwork>target().params().toDoubleVector(), 1e-12, "target");
        assertArrayEquals(expected.bankRows().toDoubleMatrix(), actual.bankRows().toDoubleMatrix(), "bank");
        assertEquals(expected.iterations(), actual.iterations());
    }

    @Test
    void oneCopyStartedFromTheStateAndMergedBackContinuesTrainingExactly() {
        Momentum reference = Momentum.attach(net(), CONFIG);
        Momentum original = Momentum.attach(net(), CONFIG);
        for (int i = 0; i < 3; i++) {
            reference.<MultiLayerNetwork>network().fit(Dl4jFixtures.survivalBatch(8, i));
            original.<MultiLayerNetwork>network().fit(Dl4jFixtures.survivalBatch(8, i));
        }

        MomentumState start = MomentumState.of(original);
        MultiLayerNetwork copy = Dl4jFixtures.workerCopy(original.network());
        Momentum onCopy = start.attachTo(copy);
        for (int i = 3; i < 5; i++) {
            copy.fit(Dl4jFixtures.survivalBatch(8, i));
            reference.<MultiLayerNetwork>network().fit(Dl4jFixtures.survivalBatch(8, i));
        }
        original.<MultiLayerNetwork>network().setParams(copy.params()); // the trainer's average of one copy
        MomentumState.merge(start, List.of(MomentumState.of(onCopy))).copyTo(original);

        assertSame(reference, original);
    }

    @Test
    void copiesMergeIntoTheMeanTargetAndTheirBankRowsInOrder() {
        Momentum original = Momentum.attach(net(), CONFIG);
        original.<MultiLayerNetwork>network().fit(Dl4jFixtures.survivalBatch(8, 0));
        MomentumState start = MomentumState.of(original);
        INDArray startBank = original.bankRows();

        Momentum first = start.attachTo(Dl4jFixtures.workerCopy(original.network()));
        Momentum second = start.attachTo(Dl4jFixtures.workerCopy(original.network()));
        first.<MultiLayerNetwork>network().fit(Dl4jFixtures.survivalBatch(8, 1));
        second.<MultiLayerNetwork>network().fit(Dl4jFixtures.survivalBatch(8, 2));
        MomentumState.merge(start, List.of(MomentumState.of(first), MomentumState.of(second))).copyTo(original);

        double[] t1 = first.<MultiLayerNetwork>target().params().toDoubleVector();
        double[] t2 = second.<MultiLayerNetwork>target().params().toDoubleVector();
        double[] mean = new double[t1.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (t1[i] + t2[i]) / 2;
        }
        assertArrayEquals(mean, original.<MultiLayerNetwork>target().params().toDoubleVector(), 1e-12);
        double[][] bank = original.bankRows().toDoubleMatrix();
        assertEquals(24, bank.length); // capacity 3 * 8: 8 start rows, then 8 of each copy
        assertArrayEquals(startBank.toDoubleMatrix(), Arrays.copyOfRange(bank, 0, 8));
        assertArrayEquals(first.bankRows().toDoubleMatrix()[8], bank[8]);
        assertArrayEquals(second.bankRows().toDoubleMatrix()[8], bank[16]);
        assertEquals(2, original.iterations());
    }

    private static DataSet censored(long seed) {
        DataSet batch = Dl4jFixtures.survivalBatch(8, seed);
        batch.getLabels().getColumn(1).assign(0);
        return batch;
    }

    /** The steps without events travel with the state: a copy starts from the count, and the merge adds theirs. */
    @Test
    void stepsWithoutEventsAreCarriedAndAddedUp() {
        Momentum original = Momentum.attach(net(), CONFIG);
        original.<MultiLayerNetwork>network().fit(censored(0));
        MomentumState start = MomentumState.of(original);
        assertEquals(1, start.batchesWithoutEvents());

        Momentum first = start.attachTo(Dl4jFixtures.workerCopy(original.network()));
        Momentum second = start.attachTo(Dl4jFixtures.workerCopy(original.network()));
        assertEquals(1, first.batchesWithoutEvents());
        first.<MultiLayerNetwork>network().fit(censored(1));
        second.<MultiLayerNetwork>network().fit(censored(2));
        second.<MultiLayerNetwork>network().fit(Dl4jFixtures.survivalBatch(8, 3)); // has events: not counted
        MomentumState.merge(start, List.of(MomentumState.of(first), MomentumState.of(second))).copyTo(original);

        assertEquals(3, original.batchesWithoutEvents());
    }

    /**
     * {@code infer} from another thread while a state is copied into the momentum sees the target
     * before or after, never half of each (a Spark driver predicting while rounds are merged).
     */
    @Test
    void inferDuringCopyToSeesOneStateOrTheOther() throws InterruptedException {
        Momentum momentum = Momentum.attach(net(), CONFIG);
        MomentumState before = MomentumState.of(momentum);
        Momentum trained = Momentum.attach(net(), CONFIG);
        for (int i = 0; i < 20; i++) {
            trained.<MultiLayerNetwork>network().fit(Dl4jFixtures.survivalBatch(8, i));
        }
        MomentumState after = MomentumState.of(trained);
        INDArray query = Dl4jFixtures.features(64, 5);
        List<Double> old = values(momentum.infer(query));
        List<Double> updated = values(trained.infer(query));
        Set<List<Double>> seen = ConcurrentHashMap.newKeySet();

        ConcurrentReader.during(() -> {
            for (int i = 0; i < 2000; i++) {
                (i % 2 == 0 ? after : before).copyTo(momentum);
            }
        }, () -> seen.add(values(momentum.infer(query))));

        seen.remove(old);
        seen.remove(updated);
        assertTrue(seen.isEmpty(), seen.size() + " outputs of a target half-way between two states");
    }

    private static List<Double> values(INDArray output) {
        return Arrays.stream(output.toDoubleVector()).boxed().toList();
    }

    @Test
    void aStateOfOtherSettingsOrAnotherNetworkIsRefused() {
        Momentum original = Momentum.attach(net(), CONFIG);
        MomentumState state = MomentumState.of(original);
        Momentum other = Momentum.attach(net(), MomentumConfig.builder().batchSize(8).steps(4).build());

        assertThrows(IllegalArgumentException.class, () -> state.copyTo(other));
        assertThrows(IllegalArgumentException.class,
                () -> state.attachTo(Dl4jFixtures.mlp(new WeibullLossFunction(), 2, new Sgd(0.05))));
        assertThrows(IllegalArgumentException.class, () -> MomentumState.merge(state, List.of()));
    }
}
