package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.ConcurrentReader;
import org.survival4j.testing.DoublePrecision;

/**
 * {@code momentum.infer} (and the other readers) from another thread while momentum trains leaves
 * the training as it would be undisturbed, bit for bit, on every DL4J path: {@code net.fit} of a
 * MultiLayerNetwork and a ComputationGraph, the gradient cache and data-parallel training. The
 * reference is the same training in the same process without the reader: same kernels, same
 * order of operations, so the comparison is exact. And what the reader gets is the target of a
 * completed step.
 */
@ExtendWith(DoublePrecision.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentInferenceTest {
    private static final int ROWS = 4;
    private static final int BATCHES = 24;
    private static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(2 * ROWS).steps(3).rate(0.9)
            .build();
    private static final INDArray QUERY = Dl4jFixtures.features(16, 99);

    /** What training left: both networks' parameters, the bank and the step count. */
    private record Trained(double[] online, double[] target, double[] bank, long iterations) {
        static Trained of(Momentum momentum) {
            return new Trained(momentum.network().params().toDoubleVector(),
                    momentum.<Model>target().params().toDoubleVector(), momentum.bankRows().ravel().toDoubleVector(),
                    momentum.iterations());
        }

        void assertIdentical(Trained undisturbed) {
            assertEquals(undisturbed.iterations, iterations, "iterations");
            assertArrayEquals(undisturbed.online, online, "online parameters");
            assertArrayEquals(undisturbed.target, target, "target parameters");
            assertArrayEquals(undisturbed.bank, bank, "bank");
        }
    }

    private static List<DataSet> batches() {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            batches.add(Dl4jFixtures.survivalBatch(ROWS, 300 + i));
        }
        return batches;
    }

    private static Momentum attach(boolean graph) {
        Model net = Dl4jFixtures.network(graph, new CoxLossFunction(), 1, new Sgd(0.1), DataType.DOUBLE);
        return graph ? Momentum.attach((ComputationGraph) net, CONFIG) : Momentum.attach((MultiLayerNetwork) net,
                CONFIG);
    }

    /** A way to train; {@code read}: while being read from another thread (the reference run: false). */
    private interface Training {
        void fit(Momentum momentum, boolean read);
    }

    /**
     * Trains a fresh momentum network with {@code training} twice, undisturbed and with a reader
     * calling {@code infer} and {@code iterations()} throughout, and compares the results.
     */
    private static void assertReaderChangesNothing(boolean graph, Training training) throws InterruptedException {
        Momentum undisturbed = attach(graph);
        training.fit(undisturbed, false);
        Momentum read = attach(graph);
        ConcurrentReader reader = ConcurrentReader.during(() -> training.fit(read, true), () -> {
            read.infer(QUERY);
            read.iterations();
        });
        assertTrue(reader.reads() > 0, "the reader ran alongside the training");
        Trained.of(read).assertIdentical(Trained.of(undisturbed));
    }

    private static void fit(Momentum momentum, boolean read) {
        Model net = momentum.network();
        for (DataSet batch : batches()) {
            if (net instanceof ComputationGraph g) {
                g.fit(batch);
            } else {
                ((MultiLayerNetwork) net).fit(batch);
            }
        }
    }

    @Test
    void inferDuringFitOfAMultiLayerNetworkChangesNothing() throws InterruptedException {
        assertReaderChangesNothing(false, ConcurrentInferenceTest::fit);
    }

    @Test
    void inferDuringFitOfAComputationGraphChangesNothing() throws InterruptedException {
        assertReaderChangesNothing(true, ConcurrentInferenceTest::fit);
    }

    /**
     * What {@code infer} returns while training runs is the target of a completed step, never one
     * half-way through the EMA: every output the reader saw is one of those the training thread saw
     * after each step (or before the first).
     */
    @Test
    void inferDuringFitSeesTheTargetOfACompletedStep() throws InterruptedException {
        Momentum momentum = attach(false);
        MultiLayerNetwork net = momentum.network();
        Set<List<Double>> completed = ConcurrentHashMap.newKeySet();
        Set<List<Double>> seen = ConcurrentHashMap.newKeySet();
        completed.add(values(momentum.infer(QUERY)));
        net.addListeners(new BaseTrainingListener() { // after the momentum listener: the step is complete
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                completed.add(values(momentum.infer(QUERY)));
            }
        });
        ConcurrentReader.during(() -> {
            for (int epoch = 0; epoch < 10; epoch++) {
                fit(momentum, true);
            }
        }, () -> seen.add(values(momentum.infer(QUERY))));
        seen.removeAll(completed);
        assertTrue(seen.isEmpty(), seen.size() + " outputs of a target that no completed step left");
    }

    private static List<Double> values(INDArray output) {
        return Arrays.stream(output.toDoubleVector()).boxed().toList();
    }

    @Test
    void inferDuringGradientCacheTrainingChangesNothing() throws InterruptedException {
        assertReaderChangesNothing(false, (momentum, read) -> GradientCache.attach(momentum, 2)
                .fit(new ListDataSetIterator<>(batches(), 1)));
    }

    /**
     * Reads {@code momentum} from another thread at each worker's {@code iterationDone}, after the
     * momentum listener's: the moment at which the last worker of a round has finished and DL4J
     * has not yet averaged the round's parameters. A reader hammering away hits it only sometimes.
     */
    private static final class WorstMomentReader extends BaseTrainingListener {
        private final Momentum momentum;

        WorstMomentReader(Momentum momentum) {
            this.momentum = momentum;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            CompletableFuture.runAsync(() -> {
                momentum.infer(QUERY);
                momentum.iterations();
            }).join();
        }
    }

    @Test
    void inferDuringDataParallelTrainingChangesNothing() throws InterruptedException {
        for (boolean graph : new boolean[] {false, true}) {
            assertReaderChangesNothing(graph, (momentum, read) -> {
                DataParallelTraining training = momentum.dataParallel(new ParallelWrapper.Builder<>(
                        momentum.<Model>network()).workers(2).prefetchBuffer(2).averagingFrequency(1).build());
                if (read) {
                    training.wrapper().getListeners().add(new WorstMomentReader(momentum));
                }
                try {
                    training.fit(new ListDataSetIterator<>(batches(), 1));
                } finally {
                    training.wrapper().shutdown();
                }
            });
        }
    }
}
