package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.momentum.MomentumConfig;

/**
 * DL4J's ParallelWrapper trains replicas built from the configuration, whose survival loss has no
 * memory bank: with momentum attached, half the batches went to a replica without momentum and no
 * word (0.1). Until data-parallel momentum exists, that training is refused with a clear error, and
 * a detached network trains in parallel as any other.
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
        return new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2).averagingFrequency(1).build();
    }

    @Test
    void aNetworkWithMomentumAttachedIsRefusedByParallelWrapper() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum.attach(net, MomentumConfig.builder().batchSize(8).steps(2).build());
        ParallelWrapper wrapper = wrapper(net);
        try {
            RuntimeException e = assertThrows(RuntimeException.class, () -> wrapper.fit(batches()));
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
                cause = cause.getCause();
            }
            assertTrue(cause.getMessage().contains("data-parallel momentum is not supported yet"), cause.toString());
        } finally {
            wrapper.shutdown();
        }
    }

    @Test
    void aDetachedNetworkTrainsInParallel() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(8).steps(2).build());
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
