package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.survival4j.momentum.MomentumConfig;

/**
 * Momentum runs that the label layouts (counting-process, competing risks) check alike: a checkpoint
 * taken half-way that resumes bit for bit, the gradient cache against momentum on the merged
 * micro-batches, and momentum on a worker's copy merged back. Each asserts what holds for every
 * layout and returns the momenta for the caller's own checks.
 */
final class MomentumScenarios {
    /**
     * Parameters of a step on micro-batches against the step on their concatenation: the same
     * values summed in another order (per micro-batch, then across), a few ulps of the largest
     * term in double for the tiny networks; 1e-10 leaves room for that and catches any other step.
     */
    static final double SUMMATION_ORDER = 1e-10;

    private MomentumScenarios() {
    }

    /** The uninterrupted run, the run saved half-way, and the run restored from its checkpoint. */
    record Resumed(Momentum uninterrupted, Momentum interrupted, Momentum resumed) {
    }

    /**
     * Trains two copies of {@code net} on {@code batches}, one straight through, the other saved
     * after half of them, restored and trained on: online, target and bank are equal bit for bit.
     */
    static Resumed resumeHalfWay(MultiLayerNetwork net, MomentumConfig config, List<DataSet> batches, File dir)
            throws IOException {
        MultiLayerNetwork first = net.clone();
        Momentum uninterrupted = Momentum.attach(net, config);
        Momentum interrupted = Momentum.attach(first, config);
        int half = batches.size() / 2;
        batches.forEach(net::fit);
        batches.subList(0, half).forEach(first::fit);
        File checkpoint = new File(dir, "momentum.zip");
        interrupted.save(checkpoint);
        Momentum resumed = Momentum.restore(checkpoint);
        assertEquals(interrupted.bankRows(), resumed.bankRows(), "restored bank");
        MultiLayerNetwork second = resumed.network();
        batches.subList(half, batches.size()).forEach(second::fit);
        assertEquals(net.params(), second.params(), "online");
        assertEquals(uninterrupted.<MultiLayerNetwork>target().params(), resumed.<MultiLayerNetwork>target().params(),
                "target");
        assertEquals(uninterrupted.bankRows(), resumed.bankRows(), "bank");
        assertEquals(batches.size(), resumed.iterations());
        return new Resumed(uninterrupted, interrupted, resumed);
    }

    /**
     * Momentum with a gradient cache of 3 micro-batches against momentum on their concatenation,
     * 5 steps of batches of 12 rows ({@code microBatch.apply(seed)} gives one of 4 rows): online,
     * target and bank agree to {@link #SUMMATION_ORDER}. Returns {plain, cached}.
     */
    static Momentum[] cacheAgainstMerged(Supplier<MultiLayerNetwork> net, IntFunction<DataSet> microBatch) {
        MomentumConfig config = MomentumConfig.builder().batchSize(12).steps(3).rate(0.9).build();
        Momentum plain = Momentum.attach(net.get(), config);
        Momentum cached = Momentum.attach(net.get(), config);
        GradientCache cache = GradientCache.attach(cached, 3);
        for (int step = 0; step < 5; step++) {
            List<DataSet> micro = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                micro.add(microBatch.apply(3 * step + j));
            }
            plain.<MultiLayerNetwork>network().fit(DataSet.merge(micro));
            cache.step(micro);
        }
        assertArrayEquals(plain.<MultiLayerNetwork>network().params().toDoubleVector(),
                cached.<MultiLayerNetwork>network().params().toDoubleVector(), SUMMATION_ORDER, "online");
        assertArrayEquals(plain.<MultiLayerNetwork>target().params().toDoubleVector(),
                cached.<MultiLayerNetwork>target().params().toDoubleVector(), SUMMATION_ORDER, "target");
        assertArrayEquals(plain.bankRows().ravel().toDoubleVector(), cached.bankRows().ravel().toDoubleVector(),
                SUMMATION_ORDER, "bank");
        return new Momentum[] {plain, cached};
    }

    /**
     * Momentum on {@code net} for 3 batches, then one batch on a worker's copy started from its
     * state and merged back (the spark module's round): the original gets the copy's bank and
     * iterations. Returns {original, copy}.
     */
    static Momentum[] mergedOneCopy(MultiLayerNetwork net, MomentumConfig config, IntFunction<DataSet> batch) {
        Momentum momentum = Momentum.attach(net, config);
        for (int i = 0; i < 3; i++) {
            net.fit(batch.apply(i));
        }
        MomentumState start = MomentumState.of(momentum);
        Momentum copy = start.attachTo(Dl4jFixtures.workerCopy(net));
        copy.<MultiLayerNetwork>network().fit(batch.apply(3));
        MomentumState.merge(start, List.of(MomentumState.of(copy))).copyTo(momentum);
        assertEquals(copy.bankRows(), momentum.bankRows());
        assertEquals(4, momentum.iterations());
        return new Momentum[] {momentum, copy};
    }
}
