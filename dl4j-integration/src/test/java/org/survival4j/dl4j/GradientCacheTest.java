package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.learning.config.IUpdater;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.ReusingIterator;

/**
 * One step of the gradient cache on k micro-batches is the step of net.fit on their concatenation:
 * parameters to 1e-10 in double precision, for MultiLayerNetwork and ComputationGraph, Cox (Efron,
 * tied times) and Weibull, with and without L2, also with a short last micro-batch.
 */
class GradientCacheTest {
    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    private static Model net(boolean graph, ILossFunction loss, IUpdater updater, double l2) {
        int outputs = loss instanceof CoxLossFunction ? 1 : 2;
        Model net;
        if (graph) {
            ComputationGraphConfiguration conf = Dl4jFixtures.graphConfig(loss, outputs, updater);
            for (var vertex : conf.getVertices().values()) {
                if (vertex instanceof LayerVertex v && l2 > 0) {
                    ((BaseLayer) v.getLayerConf().getLayer()).setRegularization(List.of(new L2Regularization(l2)));
                }
            }
            net = new ComputationGraph(conf);
        } else {
            MultiLayerConfiguration conf = Dl4jFixtures.mlpConfig(loss, outputs, updater);
            for (NeuralNetConfiguration layer : conf.getConfs()) {
                if (l2 > 0) {
                    ((BaseLayer) layer.getLayer()).setRegularization(List.of(new L2Regularization(l2)));
                }
            }
            net = new MultiLayerNetwork(conf);
        }
        net.init();
        return net;
    }

    private static GradientCache attach(Model net, int k) {
        return net instanceof ComputationGraph g ? GradientCache.attach(g, k)
                : GradientCache.attach((MultiLayerNetwork) net, k);
    }

    private static void fit(Model net, DataSet batch) {
        if (net instanceof ComputationGraph g) {
            g.fit(batch);
        } else {
            ((MultiLayerNetwork) net).fit(batch);
        }
    }

    private static void assertOneStepEqualsTheConcatenatedBatch(boolean graph, ILossFunction loss, IUpdater updater,
                                                                double l2, int... sizes) {
        List<DataSet> micro = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            micro.add(Dl4jFixtures.survivalBatch(sizes[i], 40 + i));
        }
        String what = (graph ? "graph " : "mlp ") + loss + " l2 " + l2 + " " + updater.getClass().getSimpleName();
        Model plain = net(graph, loss, updater, l2);
        Model cached = net(graph, loss, updater, l2);
        GradientCache cache = attach(cached, sizes.length);
        for (int step = 0; step < 2; step++) { // a second step also checks the updater's state
            fit(plain, DataSet.merge(micro));
            cache.step(micro);
            assertArrayEquals(plain.params().toDoubleVector(), cached.params().toDoubleVector(), 1e-10, what);
            assertEquals(plain.score(), cached.score(), 1e-10 * Math.abs(plain.score()), what + ": score");
        }
    }

    @Test
    void aStepOnMicroBatchesIsTheStepOnTheirConcatenation() {
        for (boolean graph : new boolean[] {false, true}) {
            for (ILossFunction loss : List.of(new CoxLossFunction(Ties.EFRON), new WeibullLossFunction())) {
                for (double l2 : new double[] {0, 1e-2}) {
                    assertOneStepEqualsTheConcatenatedBatch(graph, loss, new Sgd(0.1), l2, 4, 4, 4);
                }
            }
        }
    }

    @Test
    void aShortLastMicroBatchAndAdamStillGiveTheConcatenatedStep() {
        assertOneStepEqualsTheConcatenatedBatch(false, new CoxLossFunction(Ties.BRESLOW), new Adam(0.01), 1e-3,
                5, 4, 2);
        assertOneStepEqualsTheConcatenatedBatch(true, new WeibullLossFunction(), new Adam(0.01), 0, 3, 5);
    }

    @Test
    void fitGroupsTheIteratorsBatchesIntoSteps() {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batches.add(Dl4jFixtures.survivalBatch(4, 60 + i));
        }
        Model plain = net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        Model cached = net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        attach(cached, 2).fit(new ListDataSetIterator<>(batches, 1));
        fit(plain, DataSet.merge(batches.subList(0, 2)));
        fit(plain, DataSet.merge(batches.subList(2, 4)));
        fit(plain, batches.get(4));

        assertArrayEquals(plain.params().toDoubleVector(), cached.params().toDoubleVector(), 1e-10);
        assertEquals(3, ((MultiLayerNetwork) cached).getIterationCount());
    }

    /**
     * An iterator may refill one DataSet's arrays on every {@code next()} (net.fit allows it): the
     * cache copies each micro-batch when it reads it, so the steps are those of fresh batches, bit
     * for bit (same process, same kernels, same values), plainly and with momentum.
     */
    @Test
    void anIteratorThatRefillsOneBufferTrainsAsFreshBatches() {
        DataSet data = Dl4jFixtures.survivalBatch(20, 70); // 5 micro-batches of 4: steps of 2, 2, 1
        MomentumConfig config = MomentumConfig.builder().batchSize(8).steps(2).rate(0.9).build();
        for (boolean withMomentum : new boolean[] {false, true}) {
            Model fresh = net(false, new CoxLossFunction(), new Sgd(0.1), 0);
            Model reused = net(false, new CoxLossFunction(), new Sgd(0.1), 0);
            if (withMomentum) {
                GradientCache.attach(momentum(fresh, config), 2).fit(new ViewIterator(data, 4));
                GradientCache.attach(momentum(reused, config), 2).fit(new ReusingIterator(data, 4));
            } else {
                attach(fresh, 2).fit(new ViewIterator(data, 4));
                attach(reused, 2).fit(new ReusingIterator(data, 4));
            }
            assertArrayEquals(fresh.params().toDoubleVector(), reused.params().toDoubleVector(), 0,
                    "momentum " + withMomentum);
        }
    }

    @Test
    void aBadMicroBatchIsNamedAndNothingIsUpdated() {
        Model net = net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        GradientCache cache = attach(net, 3);
        INDArray before = net.params().dup();
        DataSet nanFeature = Dl4jFixtures.survivalBatch(4, 81);
        nanFeature.getFeatures().putScalar(0, 0, Double.NaN);
        DataSet negativeTime = Dl4jFixtures.survivalBatch(4, 82);
        negativeTime.getLabels().putScalar(1, 0, -2.0);

        for (List<DataSet> step : List.of(List.of(Dl4jFixtures.survivalBatch(4, 80), nanFeature),
                List.of(Dl4jFixtures.survivalBatch(4, 80), Dl4jFixtures.survivalBatch(4, 83), negativeTime))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.step(step));
            assertTrue(e.getMessage().startsWith("micro-batch " + (step.size() - 1) + " of the step: "),
                    e.getMessage());
            assertEquals(before, net.params());
        }
        assertThrows(IllegalArgumentException.class, () -> cache.step(List.of()));
        cache.step(List.of(Dl4jFixtures.survivalBatch(4, 80))); // still usable
        assertEquals(1, ((MultiLayerNetwork) net).getIterationCount());
    }

    private static Momentum momentum(Model net, MomentumConfig config) {
        return net instanceof ComputationGraph g ? Momentum.attach(g, config)
                : Momentum.attach((MultiLayerNetwork) net, config);
    }

    /** Momentum on top: each step is the momentum step of the union (one EMA, the bank in micro-batch order). */
    @Test
    void withMomentumAStepOnMicroBatchesIsTheMomentumStepOnTheirConcatenation() {
        MomentumConfig config = MomentumConfig.builder().batchSize(12).steps(3).rate(0.9).build();
        for (boolean graph : new boolean[] {false, true}) {
            for (ILossFunction loss : List.of(new CoxLossFunction(Ties.EFRON), new WeibullLossFunction())) {
                Momentum plain = momentum(net(graph, loss, new Sgd(0.1), 0), config);
                Momentum cached = momentum(net(graph, loss, new Sgd(0.1), 0), config);
                GradientCache cache = GradientCache.attach(cached, 3);
                for (int step = 0; step < 5; step++) {
                    List<DataSet> micro = new ArrayList<>();
                    for (int j = 0; j < 3; j++) {
                        micro.add(Dl4jFixtures.survivalBatch(4, 100 + 3 * step + j));
                    }
                    fit(plain.network(), DataSet.merge(micro));
                    cache.step(micro);
                }
                String what = (graph ? "graph " : "mlp ") + loss;
                assertArrayEquals(plain.network().params().toDoubleVector(),
                        cached.network().params().toDoubleVector(), 1e-10, what + ": online");
                assertArrayEquals(plain.<Model>target().params().toDoubleVector(),
                        cached.<Model>target().params().toDoubleVector(), 1e-10, what + ": target");
                double[][] expectedBank = plain.bankRows().toDoubleMatrix();
                double[][] bank = cached.bankRows().toDoubleMatrix();
                assertEquals(expectedBank.length, bank.length, what);
                for (int i = 0; i < bank.length; i++) {
                    assertArrayEquals(expectedBank[i], bank[i], 1e-10, what + ": bank row " + i);
                }
                assertEquals(5, cached.iterations(), what);
            }
        }
    }

    @Test
    void theCacheOnANetworkWithMomentumGoesThroughTheMomentum() {
        MultiLayerNetwork net = (MultiLayerNetwork) net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(8).steps(2).build());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradientCache.attach(net, 2));
        assertTrue(e.getMessage().contains("GradientCache.attach(momentum, k)"), e.getMessage());
        momentum.detach();
        assertThrows(IllegalStateException.class, () -> GradientCache.attach(momentum, 2));
        MultiLayerNetwork other = (MultiLayerNetwork) net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        assertThrows(IllegalArgumentException.class, () -> GradientCache.attach(other, 0));
    }

    /**
     * The other order, a plain cache and then momentum, is refused before anything changes, with
     * the order that works: the cache keeps training plainly (its step is still the concatenated
     * batch's), and after cache.detach() the documented combination attaches.
     */
    @Test
    void momentumOnANetworkWithAPlainCacheIsRefusedWithTheOrderThatWorks() {
        MultiLayerNetwork net = (MultiLayerNetwork) net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        MultiLayerNetwork plain = (MultiLayerNetwork) net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        GradientCache cache = GradientCache.attach(net, 2);
        var listeners = List.copyOf(net.getListeners());
        ILossFunction loss = ((BaseOutputLayer) net.getOutputLayer().conf().getLayer()).getLossFn();
        MomentumConfig config = MomentumConfig.builder().batchSize(8).steps(2).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Momentum.attach(net, config));
        assertTrue(e.getMessage().contains("cache.detach()") && e.getMessage().contains(
                "Momentum.attach(net, config), then GradientCache.attach(momentum, k)"), e.getMessage());
        assertEquals(listeners, List.copyOf(net.getListeners()));
        assertTrue(loss == ((BaseOutputLayer) net.getOutputLayer().conf().getLayer()).getLossFn());

        List<DataSet> micro = List.of(Dl4jFixtures.survivalBatch(4, 90), Dl4jFixtures.survivalBatch(4, 91));
        cache.step(micro);
        plain.fit(DataSet.merge(micro));
        assertArrayEquals(plain.params().toDoubleVector(), net.params().toDoubleVector(), 1e-10);

        cache.detach();
        Momentum momentum = Momentum.attach(net, config);
        GradientCache.attach(momentum, 2).step(micro);
        assertEquals(8, momentum.bankSize()); // one momentum step of the union: both micro-batches' rows
    }

    /** A second plain cache on one network is refused, and the message says what is attached. */
    @Test
    void aSecondCacheIsRefusedAsACacheNotAsMomentum() {
        MultiLayerNetwork net = (MultiLayerNetwork) net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        GradientCache first = GradientCache.attach(net, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradientCache.attach(net, 3));
        assertTrue(e.getMessage().contains("a gradient cache is already attached to this network"), e.getMessage());
        assertTrue(!e.getMessage().contains("momentum"), e.getMessage());
        first.detach();
        GradientCache.attach(net, 3); // free again
    }

    /** A clone shares its original's loss instance (and so the cache's hook), yet takes a cache of its own. */
    @Test
    void aCloneOfANetworkWithACacheTakesItsOwnCache() {
        MultiLayerNetwork net = (MultiLayerNetwork) net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        MultiLayerNetwork plain = (MultiLayerNetwork) net(false, new CoxLossFunction(), new Sgd(0.1), 0);
        GradientCache original = GradientCache.attach(net, 2);
        MultiLayerNetwork copy = net.clone();
        GradientCache cloned = GradientCache.attach(copy, 2);
        List<DataSet> micro = List.of(Dl4jFixtures.survivalBatch(4, 92), Dl4jFixtures.survivalBatch(4, 93));
        cloned.step(micro);
        original.step(micro);
        plain.fit(DataSet.merge(micro));
        assertArrayEquals(plain.params().toDoubleVector(), copy.params().toDoubleVector(), 1e-10);
        assertArrayEquals(plain.params().toDoubleVector(), net.params().toDoubleVector(), 1e-10);
    }
}
