package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.Printed;

/**
 * DL4J's ParallelWrapper trains replicas built from the configuration, whose survival loss has no
 * memory bank: with momentum attached, half the batches went to a replica without momentum and no
 * word (0.1). Training by a wrapper that momentum does not know, or in a mode data-parallel momentum
 * cannot reproduce, is refused with a clear error; a detached network trains in parallel as any other.
 */
class ParallelWrapperRefusalTest {
    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    private static ListDataSetIterator<DataSet> batches() {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batches.add(Dl4jFixtures.survivalBatch(8, 300 + i));
        }
        return new ListDataSetIterator<>(batches, 1);
    }

    private static ParallelWrapper wrapper(MultiLayerNetwork net) {
        return Dl4jFixtures.quiet(new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2).averagingFrequency(1)
                .build());
    }

    private static void assertRefused(ParallelWrapper wrapper, Runnable fit, String message) {
        try {
            RuntimeException e = assertThrows(RuntimeException.class, fit::run);
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
                cause = cause.getCause();
            }
            assertTrue(cause.getMessage().contains(message), cause.toString());
        } finally {
            wrapper.shutdown();
        }
    }

    private static MultiLayerNetwork net() {
        return Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
    }

    private static Momentum attach(MultiLayerNetwork net) {
        return Momentum.attach(net, MomentumConfig.builder().batchSize(16).steps(2).build());
    }

    @Test
    void aWrapperMomentumDoesNotKnowIsRefused() {
        MultiLayerNetwork net = net();
        Momentum momentum = attach(net);
        ParallelWrapper wrapper = wrapper(net);
        assertRefused(wrapper, () -> wrapper.fit(batches()), "a ParallelWrapper that momentum does not know");
        assertEquals(0, momentum.iterations());
    }

    /**
     * 0.1: each refused worker also logged an error and printed its stack trace on the console, some
     * after the test had ended (2 to 45 lines in another test's output); the refusal reaches the
     * caller of fit, with its trace, either way.
     */
    @Test
    void aRefusedWorkerPrintsNothing() throws Exception {
        String printed = Printed.onErr(() -> {
            MultiLayerNetwork net = net();
            attach(net);
            ParallelWrapper wrapper = wrapper(net);
            assertRefused(wrapper, () -> wrapper.fit(batches()), "a ParallelWrapper that momentum does not know");
            for (Thread t : Thread.getAllStackTraces().keySet()) { // the other worker may fail later
                if (t.getName().startsWith("ParallelWrapper training thread")) {
                    t.join(10_000);
                }
            }
        });
        assertEquals("", printed);
    }

    @Test
    void theWrappersOwnFitIsRefusedAfterDataParallel() {
        MultiLayerNetwork net = net();
        Momentum momentum = attach(net);
        ParallelWrapper wrapper = wrapper(net);
        momentum.dataParallel(wrapper);
        assertRefused(wrapper, () -> wrapper.fit(batches()), "trained by wrapper.fit(...) directly");
        assertEquals(0, momentum.iterations());
    }

    @Test
    void wrappersInModesMomentumCannotFollowAreRefused() {
        MultiLayerNetwork net = net();
        Momentum momentum = attach(net);
        List<ParallelWrapper> wrappers = List.of(
                new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(2).build(),
                new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(1).averageUpdaters(false).build(),
                new ParallelWrapper.Builder<>(net).workers(2)
                        .trainingMode(ParallelWrapper.TrainingMode.SHARED_GRADIENTS).build(),
                wrapper(net()));
        List<String> reasons =
                List.of("averagingFrequency(1)", "averageUpdaters(true)", "AVERAGING", "another network");
        for (int i = 0; i < wrappers.size(); i++) {
            ParallelWrapper wrapper = wrappers.get(i);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> momentum.dataParallel(wrapper));
            assertTrue(e.getMessage().contains(reasons.get(i)), e.getMessage());
            wrapper.shutdown();
        }
        momentum.detach();
        assertThrows(IllegalStateException.class, () -> momentum.dataParallel(wrapper(net)));
    }

    /** The configuration as Spark ships it to its workers: Java-serialized. */
    private static MultiLayerConfiguration javaSerializedCopy(MultiLayerConfiguration conf) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (MultiLayerConfiguration) in.readObject();
        }
    }

    /** As distributed trainers do: the network rebuilt from its configuration (JSON, Java serialization). */
    @Test
    void aCopyRebuiltFromTheConfigurationRefusesToTrainWithoutTheBankUntilAttachedOrDetached() throws Exception {
        MultiLayerNetwork net = net();
        attach(net);
        DataSet batch = Dl4jFixtures.survivalBatch(8, 1);
        MultiLayerNetwork serialized = new MultiLayerNetwork(javaSerializedCopy(net.getLayerWiseConfigurations()));
        serialized.init();
        assertThrows(IllegalStateException.class, () -> serialized.fit(batch));
        MultiLayerNetwork copy = new MultiLayerNetwork(
                MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
        copy.init();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> copy.fit(batch));
        assertTrue(e.getMessage().contains("trains without its memory bank"), e.getMessage());
        assertTrue(Double.isFinite(copy.score(batch)), "scoring is allowed");

        Momentum.attach(copy, MomentumConfig.builder().batchSize(8).steps(2).build()).detach();
        copy.fit(batch); // plain training, as asked
        Momentum again = attach(copy);
        copy.fit(batch);
        assertEquals(1, again.iterations());
    }

    @Test
    void aDetachedNetworkTrainsInParallel() {
        MultiLayerNetwork net = net();
        Momentum momentum = attach(net);
        momentum.detach();
        ParallelWrapper wrapper = wrapper(net);
        try {
            wrapper.fit(batches());
        } finally {
            wrapper.shutdown();
        }
        assertEquals(0, momentum.iterations());
    }
}
