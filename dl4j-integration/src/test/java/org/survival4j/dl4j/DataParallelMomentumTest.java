package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;

/**
 * Data-parallel momentum on DL4J's ParallelWrapper: W workers with batches of b rows train exactly
 * as one network with batches of W * b rows (the round's batches concatenated in worker order), the
 * reference being ordinary single-process momentum training side by side on the same rows. Per
 * round the loss, the online parameters, the target parameters and the bank agree.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DataParallelMomentumTest {
    private static final int ROWS = 4; // b, per worker

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    @AfterAll
    static void restoreDefaults() {
        Dl4jFixtures.useDoublePrecision();
    }

    /** What one round left: the loss DL4J reports, both networks' parameters and the bank. */
    private record State(double loss, INDArray online, INDArray target, INDArray bank) {
        void assertClose(State other, double tolerance, String round) {
            assertEquals(loss, other.loss, tolerance * Math.max(1, Math.abs(loss)), round + ": loss");
            assertArrayEquals(online.toDoubleVector(), other.online.toDoubleVector(), tolerance, round + ": online");
            assertArrayEquals(target.toDoubleVector(), other.target.toDoubleVector(), tolerance, round + ": target");
            assertArrayEquals(bank.shape(), other.bank.shape(), round + ": bank shape");
            assertArrayEquals(bank.ravel().toDoubleVector(), other.bank.ravel().toDoubleVector(), tolerance,
                    round + ": bank");
        }
    }

    private static Momentum attach(Model net, MomentumConfig config) {
        return net instanceof ComputationGraph g ? Momentum.attach(g, config)
                : Momentum.attach((MultiLayerNetwork) net, config);
    }

    private static State state(Model net, Momentum momentum) {
        return new State(net.score(), net.params().dup(), momentum.<Model>target().params().dup(), momentum.bankRows());
    }

    private static List<List<DataSet>> rounds(int workers, int batches, IntFunction<DataSet> batch) {
        List<List<DataSet>> rounds = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            if (i % workers == 0) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(rounds.size() - 1).add(batch.apply(i));
        }
        return rounds;
    }

    /**
     * Trains {@code net()} twice side by side, single-process with each round's batches merged and
     * data-parallel on {@code workers} workers, and compares the state after every round.
     */
    private static void assertSameTraining(Supplier<Model> net, int workers, int batches,
                                           IntFunction<DataSet> batch, double tolerance) {
        MomentumConfig config = MomentumConfig.builder().batchSize(workers * ROWS).steps(2).rate(0.9).build();
        List<List<DataSet>> rounds = rounds(workers, batches, batch);

        Model single = net.get();
        Momentum singleMomentum = attach(single, config);
        Model parallel = net.get();
        Momentum parallelMomentum = attach(parallel, config);
        DataParallelTraining training = parallelMomentum.dataParallel(new ParallelWrapper.Builder<>(parallel)
                .workers(workers).prefetchBuffer(2).averagingFrequency(1).build());
        try {
            for (int r = 0; r < rounds.size(); r++) {
                DataSet merged = DataSet.merge(rounds.get(r));
                if (single instanceof MultiLayerNetwork m) {
                    m.fit(merged);
                } else {
                    ((ComputationGraph) single).fit(merged);
                }
                training.fit(new ListDataSetIterator<>(rounds.get(r), 1));
                state(single, singleMomentum).assertClose(state(parallel, parallelMomentum), tolerance, "round " + r);
            }
        } finally {
            training.wrapper().shutdown();
        }
        assertEquals(rounds.size(), parallelMomentum.iterations());
        assertTrue(parallelMomentum.bankSize() > 0);
    }

    private static DataSet batch(int i, DataType type) {
        DataSet d = Dl4jFixtures.survivalBatch(ROWS, 500 + i);
        return new DataSet(d.getFeatures().castTo(type), d.getLabels().castTo(type));
    }

    private static void assertSameTrainingForAll(int workers, int batches, IUpdater updater, DataType type,
                                                 double tolerance) {
        Nd4j.setDefaultDataTypes(type, type);
        for (boolean graph : new boolean[] {false, true}) {
            for (ILossFunction loss : List.of(new CoxLossFunction(Ties.EFRON), new WeibullLossFunction())) {
                int outputs = loss instanceof CoxLossFunction ? 1 : 2;
                assertSameTraining(() -> Dl4jFixtures.network(graph, loss, outputs, updater, type), workers,
                        batches, i -> batch(i, type), tolerance);
            }
        }
    }

    /** Nesterov momentum is linear in the gradient too, and its state must survive between fits. */
    @Test
    void twoWorkersTrainAsOneNetworkWithDoubleBatchesInDoublePrecision() {
        assertSameTrainingForAll(2, 8, new Nesterovs(0.05, 0.9), DataType.DOUBLE, 1e-9);
    }

    @Test
    void twoWorkersTrainAsOneNetworkWithDoubleBatchesInSinglePrecision() {
        assertSameTrainingForAll(2, 8, new Sgd(0.05), DataType.FLOAT, 1e-5);
    }

    @Test
    void threeWorkersWithAShortLastRoundTrainAsOneNetwork() {
        assertSameTrainingForAll(3, 7, new Sgd(0.05), DataType.DOUBLE, 1e-9); // rounds of 3, 3 and 1 batches
    }

    /** Counting-process labels: the entry times travel with the other workers' rows and into the bank. */
    @Test
    void countingProcessLabelsTrainAsOneNetwork() {
        for (boolean graph : new boolean[] {false, true}) {
            assertSameTraining(() -> Dl4jFixtures.network(graph, new CoxLossFunction(Ties.EFRON), 1, new Sgd(0.05),
                    DataType.DOUBLE), 2, 6, i -> Dl4jFixtures.countingBatch(ROWS, 800 + i), 1e-9);
        }
    }

    /** Competing risks: the other workers' rows bring their causes, and every cause pools all of them. */
    @Test
    void competingRisksLossesTrainAsOneNetwork() {
        List<ILossFunction> losses = List.of(new CauseSpecificCoxLossFunction(2), new FineGrayLossFunction(1,
                Ties.EFRON), new DeepHitLossFunction(2, 3, 0.3, 0.5)); // the batches' grid indices are 1 or 2
        for (ILossFunction loss : losses) {
            int outputs = loss instanceof DeepHitLossFunction ? 6 : loss instanceof FineGrayLossFunction ? 1 : 2;
            for (boolean graph : new boolean[] {false, true}) {
                assertSameTraining(() -> Dl4jFixtures.network(graph, loss, outputs, new Sgd(0.05), DataType.DOUBLE),
                        2, 6, i -> Dl4jFixtures.competingBatch(ROWS, 900 + i), 1e-9);
            }
        }
    }

    @Test
    void maskedSequencesTrainAsOneNetwork() {
        for (boolean graph : new boolean[] {false, true}) {
            assertSameTraining(() -> Dl4jFixtures.sequenceNet(graph), 2, 6,
                    i -> Dl4jFixtures.sequenceBatch(ROWS, 700 + i), 1e-9);
        }
    }

    private static DataParallelTraining twoWorkers(MultiLayerNetwork net, Momentum momentum) {
        return momentum.dataParallel(Dl4jFixtures.quiet(new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                .averagingFrequency(1).build()));
    }

    @Test
    void aWorkerFailingLeavesNetworkTargetAndBankAsTheyWere() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.05));
        Momentum momentum = attach(net, MomentumConfig.builder().batchSize(2 * ROWS).steps(2).build());
        DataParallelTraining training = twoWorkers(net, momentum);
        try {
            training.fit(new ListDataSetIterator<>(List.of(batch(0, DataType.DOUBLE), batch(1, DataType.DOUBLE)), 1));
            State before = state(net, momentum);
            DataSet bad = batch(3, DataType.DOUBLE);
            bad.getLabels().putScalar(2, 0, -1.0); // a negative time in the second worker's batch

            RuntimeException e = assertThrows(RuntimeException.class, () -> training.fit(
                    new ListDataSetIterator<>(List.of(batch(2, DataType.DOUBLE), bad), 1)));

            assertTrue(causes(e).contains("time[2] = -1.0"), causes(e));
            before.assertClose(state(net, momentum), 0, "after the failed round");
            assertEquals(1, momentum.iterations());
        } finally {
            training.wrapper().shutdown();
        }
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    @Test
    void aCheckpointAfterDataParallelTrainingRestoresTargetAndBank(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.05));
        Momentum momentum = attach(net, MomentumConfig.builder().batchSize(2 * ROWS).steps(2).build());
        DataParallelTraining training = twoWorkers(net, momentum);
        try {
            training.fit(new ListDataSetIterator<>(rounds(2, 6, i -> batch(i, DataType.DOUBLE)).stream()
                    .flatMap(List::stream).toList(), 1));
        } finally {
            training.wrapper().shutdown();
        }
        File file = dir.resolve("momentum.zip").toFile();
        momentum.save(file);
        Momentum restored = Momentum.restore(file);

        State expected = state(net, momentum);
        State actual = state(restored.network(), restored);
        State restoredWithLoss = new State(expected.loss(), actual.online(), actual.target(), actual.bank());
        expected.assertClose(restoredWithLoss, 0, "restored"); // the checkpoint keeps no score
        assertEquals(3, restored.iterations());
    }
}
