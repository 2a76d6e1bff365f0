package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.momentum.BankRows;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.TestResources;
import org.survival4j.testing.ZipEntries;

/** Behaviour of momentum training on DL4J networks (double precision, tiny networks). */
class MomentumTest {
    static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(8).steps(5).rate(0.9).build();

    @BeforeAll
    static void doublePrecision() {
        Dl4jFixtures.useDoublePrecision();
    }

    @Test
    void scoreIsThePooledLossOfBankRowsAndBatch() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, CONFIG);
        for (int i = 0; i < 7; i++) {
            DataSet batch = Dl4jFixtures.survivalBatch(8, 100 + i);
            INDArray bank = momentum.bankRows();
            INDArray online = net.output(batch.getFeatures());
            net.fit(batch);
            // the pooled set: the newest (capacity - 8) bank rows, then the batch
            int keep = (int) Math.min(bank.rows(), CONFIG.bankCapacity() - 8);
            INDArray used = bank.rows() == 0 ? bank : bank.get(NDArrayIndex.interval(bank.rows() - keep, bank.rows()),
                    NDArrayIndex.all());
            INDArray logHz = keep == 0 ? online : Nd4j.vstack(used.getColumns(0), online);
            INDArray time = keep == 0 ? batch.getLabels().getColumn(0)
                    : Nd4j.concat(0, used.getColumn(1), batch.getLabels().getColumn(0));
            INDArray event = keep == 0 ? batch.getLabels().getColumn(1)
                    : Nd4j.concat(0, used.getColumn(2), batch.getLabels().getColumn(1));
            double expected = CoxPartialLikelihood.efron().value(logHz, time, event);
            assertEquals(expected, net.score(), 1e-12 * expected, "iteration " + i);
            assertEquals(Math.min(8 * (i + 1), CONFIG.bankCapacity()), momentum.bankSize());
        }
        assertEquals(7, momentum.iterations());
    }

    @Test
    void gradientCheckPassesWithAFixedPartlyFilledBank() {
        for (SurvivalLossFunction loss : new SurvivalLossFunction[] {new CoxLossFunction(), new WeibullLossFunction()}) {
            int columns = loss instanceof CoxLossFunction ? 1 : 2;
            DataSet banked = Dl4jFixtures.survivalBatch(20, 7);
            BankRows fixed = BankRows.of(Nd4j.rand(20, columns).subi(0.5).toDoubleMatrix(),
                    banked.getLabels().getColumn(0).toDoubleVector(), banked.getLabels().getColumn(1).toDoubleVector());
            loss.bankHook((batch, output) -> SurvivalLossFunction.Pooling.of(fixed));
            DataSet batch = Dl4jFixtures.survivalBatch(8, 8);
            assertTrue(Dl4jFixtures.gradientsMatch(Dl4jFixtures.mlp(loss, columns), batch), loss.toString());
            assertTrue(Dl4jFixtures.gradientsMatch(Dl4jFixtures.graph(loss, columns), batch), loss.toString());
        }
    }

    @Test
    void bankFollowsAShadowCopyUnderAPrefetchingIterator() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, CONFIG);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batches.add(Dl4jFixtures.survivalBatch(i == 49 ? 5 : 8, 1000 + i)); // a final partial batch
        }
        List<double[]> shadow = new ArrayList<>();
        int[] step = {0};
        // Registered after the momentum listener: sees the target after its update, and recomputes
        // the rows from our own copy of the batch, not from the arrays the iterator handed out.
        net.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                DataSet ds = batches.get(step[0]++ % batches.size());
                INDArray out = momentum.infer(ds.getFeatures());
                for (int r = 0; r < out.rows(); r++) {
                    shadow.add(new double[] {out.getDouble(r, 0), ds.getLabels().getDouble(r, 0),
                            ds.getLabels().getDouble(r, 1)});
                }
            }
        });
        for (int epoch = 0; epoch < 21; epoch++) {
            net.fit(new AsyncDataSetIterator(new ListDataSetIterator<>(batches, 1), 3, true));
        }
        assertEquals(21 * 50, momentum.iterations());
        double[][] expected = shadow.subList(shadow.size() - CONFIG.bankCapacity(), shadow.size())
                .toArray(new double[0][]);
        assertArrayEquals(expected, momentum.bankRows().toDoubleMatrix());
    }

    @Test
    void inferenceAndScoringLeaveBankTargetAndCountersUnchanged() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, CONFIG);
        for (int i = 0; i < 3; i++) {
            net.fit(Dl4jFixtures.survivalBatch(8, 200 + i));
        }
        INDArray bank = momentum.bankRows();
        MultiLayerNetwork target = momentum.target();
        INDArray targetParams = target.params().dup();
        INDArray onlineParams = net.params().dup();
        DataSet other = Dl4jFixtures.survivalBatch(12, 300);

        net.output(other.getFeatures());
        momentum.infer(other.getFeatures());
        net.score(other);
        target.output(other.getFeatures());

        assertEquals(bank, momentum.bankRows());
        assertEquals(targetParams, target.params());
        assertEquals(onlineParams, net.params());
        assertEquals(3, momentum.iterations());
    }

    /** The Cox MEAN loss of {@code net} on {@code batch} alone, computed by the core kernel. */
    private static double plainLoss(MultiLayerNetwork net, DataSet batch) {
        return CoxPartialLikelihood.efron().value(net.output(batch.getFeatures()), batch.getLabels().getColumn(0),
                batch.getLabels().getColumn(1));
    }

    @ParameterizedTest(name = "scored in {0}")
    @ValueSource(strings = {"iterationDone", "onBackwardPass"})
    void aValidationLossInAnotherListenerNeitherSeesNorFeedsTheBank(String hook) {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        DataSet validation = Dl4jFixtures.survivalBatch(5, 77);
        List<Double> validationLosses = new ArrayList<>();
        List<Double> expectedLosses = new ArrayList<>();
        // Registered first, so it runs before the momentum listener: the usual "log the validation
        // loss" listener, after the step or (still inside it) after its backward pass.
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (hook.equals("iterationDone")) {
                    score();
                }
            }

            @Override
            public void onBackwardPass(Model model) {
                if (hook.equals("onBackwardPass")) {
                    score();
                }
            }

            private void score() {
                validationLosses.add(net.score(validation));
                expectedLosses.add(plainLoss(net, validation));
            }
        });
        Momentum momentum = Momentum.attach(net, CONFIG);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batches.add(Dl4jFixtures.survivalBatch(8, 40 + i));
            net.fit(batches.get(i));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(expectedLosses.get(i), validationLosses.get(i), 1e-12 * expectedLosses.get(i));
        }
        INDArray times = Nd4j.concat(0, batches.stream().map(b -> b.getLabels().getColumn(0)).toArray(INDArray[]::new));
        assertEquals(times, momentum.bankRows().getColumn(1));
    }

    /** A Cox MLP with momentum, trained on three batches of 8 (seeds from {@code seed}): 24 bank rows. */
    private static MultiLayerNetwork trainedWithMomentum(long seed) {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum.attach(net, CONFIG);
        for (int i = 0; i < 3; i++) {
            net.fit(Dl4jFixtures.survivalBatch(8, seed + i));
        }
        return net;
    }

    @Test
    void aCloneScoresWithoutTheBank() {
        MultiLayerNetwork net = trainedWithMomentum(60);
        MultiLayerNetwork copy = net.clone(); // shares the loss instance and the listeners
        DataSet batch = Dl4jFixtures.survivalBatch(8, 70);
        double expected = plainLoss(copy, batch);
        assertEquals(expected, copy.score(batch), 1e-12 * expected);
        assertEquals(expected, net.score(batch), 1e-12 * expected);
    }

    @Test
    void aCloneSharingTheLossRefusesToTrainWithoutTheBank() {
        MultiLayerNetwork net = trainedWithMomentum(60);
        MultiLayerNetwork copy = net.clone(); // shares the loss instance: it would train without the bank
        INDArray before = copy.params().dup();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> copy.fit(Dl4jFixtures.survivalBatch(8, 71)));
        assertTrue(e.getMessage().contains("shares the loss of a network with momentum attached"), e.getMessage());
        assertEquals(before, copy.params());
    }

    @Test
    void replacingTheListenersStopsTrainingWithAClearError() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, CONFIG);
        net.fit(Dl4jFixtures.survivalBatch(8, 1));
        INDArray before = net.params().dup();
        net.setListeners(new BaseTrainingListener() { });

        assertFalse(momentum.isAttached());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> net.fit(Dl4jFixtures.survivalBatch(8, 2)));
        assertTrue(e.getMessage().contains("addListeners"), e.getMessage());
        assertEquals(before, net.params());
        assertEquals(1, momentum.iterations());
        momentum.detach();
        net.fit(Dl4jFixtures.survivalBatch(8, 2)); // plain training
        assertNotEquals(before, net.params());
    }

    @Test
    void detachingReturnsToPlainTraining() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, CONFIG);
        net.fit(Dl4jFixtures.survivalBatch(8, 1));
        net.fit(Dl4jFixtures.survivalBatch(8, 2));
        momentum.detach();
        INDArray bank = momentum.bankRows();
        DataSet batch = Dl4jFixtures.survivalBatch(8, 3);
        double plain = CoxPartialLikelihood.efron().value(net.output(batch.getFeatures()),
                batch.getLabels().getColumn(0), batch.getLabels().getColumn(1));
        net.fit(batch);
        assertEquals(plain, net.score(), 1e-12 * plain);
        assertEquals(bank, momentum.bankRows());
        assertEquals(2, momentum.iterations());
        assertTrue(net.getListeners().isEmpty());
    }

    @Test
    void networksWithoutWorkspacesTrainAsWithThem() {
        // The target's output is read inside DL4J's output workspace; a net configured without
        // workspaces must give the same steps.
        MultiLayerConfiguration conf = Dl4jFixtures.mlpConfig(new CoxLossFunction(), 1, new Sgd(0.01));
        MultiLayerConfiguration none = conf.clone();
        none.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        none.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        ComputationGraphConfiguration graphConf = Dl4jFixtures.graphConfig(new CoxLossFunction(), 1, new Sgd(0.01));
        ComputationGraphConfiguration graphNone = graphConf.clone();
        graphNone.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        graphNone.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        List<Model> nets = List.of(new MultiLayerNetwork(conf), new MultiLayerNetwork(none),
                new ComputationGraph(graphConf), new ComputationGraph(graphNone));
        List<Momentum> momenta = new ArrayList<>();
        for (Model net : nets) {
            net.init();
            momenta.add(net instanceof MultiLayerNetwork m ? Momentum.attach(m, CONFIG)
                    : Momentum.attach((ComputationGraph) net, CONFIG));
        }
        for (int i = 0; i < 8; i++) {
            DataSet batch = Dl4jFixtures.survivalBatch(8, 300 + i);
            for (Model net : nets) {
                if (net instanceof MultiLayerNetwork m) {
                    m.fit(batch);
                } else {
                    ((ComputationGraph) net).fit(batch);
                }
            }
        }
        for (int k : new int[] {1, 3}) {
            assertEquals(nets.get(k - 1).params(), nets.get(k).params());
            assertEquals(momenta.get(k - 1).bankRows(), momenta.get(k).bankRows());
        }
    }

    @ParameterizedTest(name = "graph = {0}")
    @ValueSource(booleans = {false, true})
    void theTargetSeesTheFeaturesMaskOfASequenceBatch(boolean graph) {
        // Sequences of different lengths, padded and masked; LastTimeStep reads the last unmasked step.
        // Rate 0 makes the target a copy of the online net after the step, so the bank must hold what
        // the online net outputs for the masked batch, and infer must agree.
        Model net = Dl4jFixtures.sequenceNet(graph);
        MomentumConfig config = MomentumConfig.builder().batchSize(6).steps(2).rate(0).build();
        Momentum momentum = graph ? Momentum.attach((ComputationGraph) net, config)
                : Momentum.attach((MultiLayerNetwork) net, config);
        DataSet batch = Dl4jFixtures.sequenceBatch(6, 9);
        if (graph) {
            ((ComputationGraph) net).fit(batch);
        } else {
            ((MultiLayerNetwork) net).fit(batch);
        }

        INDArray expected = Dl4jFixtures.maskedOutput(net, batch);
        assertEquals(expected.reshape(6), momentum.bankRows().getColumn(0));
        assertEquals(expected, momentum.infer(batch.getFeatures(), batch.getFeaturesMaskArray()));
        assertNotEquals(expected, momentum.infer(batch.getFeatures()), "without the mask the padded steps count");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RNNFormat.class)
    void aFeaturesMaskReshapedByTheFirstLayersPreprocessorReachesTheTarget(RNNFormat format) {
        // A dense layer on sequences: DL4J adds an RnnToFeedForward preprocessor, which turns the
        // first layer's mask into [n * T, 1]; the target must still get the [n, T] features mask.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build())
                .layer(new LastTimeStep(new LSTM.Builder().nOut(4).dataFormat(format).build()))
                .layer(new OutputLayer.Builder(new CoxLossFunction()).nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(2, format)).build());
        net.init();
        assertTrue(net.getLayerWiseConfigurations().getInputPreProcess(0) instanceof RnnToFeedForwardPreProcessor);
        Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(6).steps(2).rate(0).build());
        DataSet ncw = Dl4jFixtures.sequenceBatch(6, 9);
        DataSet batch = format == RNNFormat.NCW ? ncw : new DataSet(ncw.getFeatures().permute(0, 2, 1).dup(),
                ncw.getLabels(), ncw.getFeaturesMaskArray(), null);
        net.fit(batch);

        INDArray expected = Dl4jFixtures.maskedOutput(net, batch);
        assertEquals(expected.reshape(6), momentum.bankRows().getColumn(0));
        assertNotEquals(expected, net.output(batch.getFeatures()), "without the mask the padded steps count");
    }

    @Test
    void aMaskFromAnEarlierBatchOrCallDoesNotReachTheTarget() {
        MultiLayerNetwork net = (MultiLayerNetwork) Dl4jFixtures.sequenceNet(false);
        Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(6).steps(2).rate(0).build());
        DataSet masked = Dl4jFixtures.sequenceBatch(6, 9);
        net.fit(masked);
        net.output(masked.getFeatures(), false, masked.getFeaturesMaskArray(), null);
        DataSet whole = new DataSet(masked.getFeatures(), masked.getLabels()); // every step real
        net.fit(whole);

        INDArray expected = net.output(whole.getFeatures(), false);
        INDArray bank = momentum.bankRows();
        assertEquals(expected.reshape(6), bank.get(NDArrayIndex.interval(6, 12), NDArrayIndex.point(0)));
    }

    @Test
    void aGraphWithTwoInputsTrainsInfersAndResumes(@TempDir File dir) throws Exception {
        // Two inputs merged before the hidden layer, trained from MultiDataSets. Rate 0 makes the
        // target a copy of the online net after each step: the bank must hold its outputs.
        ComputationGraph net = Dl4jFixtures.twoInputGraph();
        Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(8).steps(3).rate(0).build());
        MultiDataSet batch = null;
        for (int i = 0; i < 4; i++) {
            batch = Dl4jFixtures.twoInputBatch(8, 700 + i);
            net.fit(batch);
        }
        INDArray[] last = batch.getFeatures();
        INDArray expected = net.output(false, last, null)[0];
        INDArray bank = momentum.bankRows();
        assertEquals(expected.reshape(8), bank.get(NDArrayIndex.interval(bank.rows() - 8, bank.rows()),
                NDArrayIndex.point(0)));
        assertEquals(expected, momentum.infer(last, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> momentum.infer(last[0]));
        assertTrue(e.getMessage().startsWith("the network has 2 input(s) (clinical, omics); got 1 arrays"),
                e.getMessage());

        File checkpoint = new File(dir, "two-inputs.zip");
        momentum.save(checkpoint);
        Momentum restored = Momentum.restore(checkpoint);
        assertEquals(expected, restored.infer(last, null));
        assertEquals(bank, restored.bankRows());
    }

    @Test
    void batchesSmallerAndLargerThanConfiguredFillTheRing() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new WeibullLossFunction(), 2, new Sgd(1e-4));
        Momentum momentum = Momentum.attach(net, CONFIG);
        net.fit(Dl4jFixtures.survivalBatch(5, 1));
        assertEquals(5, momentum.bankSize());
        DataSet big = Dl4jFixtures.survivalBatch(100, 2);
        net.fit(big);
        assertEquals(CONFIG.bankCapacity(), momentum.bankSize());
        // only the newest rows of the large batch are kept
        INDArray lastTimes = big.getLabels().getColumn(1).get(NDArrayIndex.interval(60, 100));
        assertEquals(lastTimes, momentum.bankRows().getColumn(3));
    }

    @Test
    void aRejectedStepLeavesWeightsTargetAndBankAsTheyWere() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, CONFIG);
        net.fit(Dl4jFixtures.survivalBatch(8, 1));
        INDArray online = net.params().dup();
        INDArray target = ((MultiLayerNetwork) momentum.target()).params().dup();
        INDArray bank = momentum.bankRows();
        DataSet bad = Dl4jFixtures.survivalBatch(8, 2);
        bad.getLabels().putScalar(4, 0, -1.0);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(bad));
        assertTrue(e.getMessage().contains("time[4] = -1.0"), e.getMessage());
        assertEquals(online, net.params());
        assertEquals(target, ((MultiLayerNetwork) momentum.target()).params());
        assertEquals(bank, momentum.bankRows());
        assertEquals(1, momentum.iterations());
        DataSet other = Dl4jFixtures.survivalBatch(8, 3); // the failed step is over: no bank
        assertEquals(plainLoss(net, other), net.score(other), 1e-12 * plainLoss(net, other));

        // A non-finite feature, refused before the step: a tanh layer would keep the output finite,
        // and the step would make the weights NaN (0.1 then blamed the learning rate)
        DataSet infinite = Dl4jFixtures.survivalBatch(8, 2);
        infinite.getFeatures().putScalar(2, 1, Double.POSITIVE_INFINITY);
        e = assertThrows(IllegalArgumentException.class, () -> net.fit(infinite));
        assertTrue(e.getMessage().startsWith("features[2, 1] = Infinity"), e.getMessage());
        assertEquals(online, net.params());
        assertEquals(target, ((MultiLayerNetwork) momentum.target()).params());
        assertEquals(bank, momentum.bankRows());
        assertEquals(1, momentum.iterations());
    }

    @Test
    void lossesAfterCalculateGradientsSeeTheBankOnlyForItsBatch() {
        // calculateGradients runs a forward pass with listeners but no backward-pass callback
        MultiLayerNetwork net = trainedWithMomentum(10);
        DataSet batch = Dl4jFixtures.survivalBatch(8, 20);
        net.calculateGradients(batch.getFeatures(), batch.getLabels(), null, null);
        DataSet other = Dl4jFixtures.survivalBatch(8, 21);
        assertEquals(plainLoss(net, other), net.score(other), 1e-12 * plainLoss(net, other));
        net.fit(Dl4jFixtures.survivalBatch(8, 22)); // and training goes on as before
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NaN weight, the step diverged", "huge finite weights, target output[0, 0] = "})
    void aDivergedStepNeverReachesTargetOrBank(String divergence, String message) {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.01));
        boolean[] diverge = {false};
        // Registered before the momentum listener, so it runs first after each step: plays the role
        // of an optimizer step that overflowed, or one that left finite weights so large that the
        // target's output overflows (rate 0: the target takes the online weights as they are).
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (diverge[0] && divergence.startsWith("NaN")) {
                    net.params().putScalar(3, Double.NaN);
                } else if (diverge[0]) {
                    net.params().assign(1e308);
                }
            }
        });
        Momentum momentum = Momentum.attach(net, MomentumConfig.builder().batchSize(8).steps(5).rate(0).build());
        net.fit(Dl4jFixtures.survivalBatch(8, 1));
        INDArray target = ((MultiLayerNetwork) momentum.target()).params().dup();
        INDArray bank = momentum.bankRows();

        diverge[0] = true;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> net.fit(Dl4jFixtures.survivalBatch(8, 2)));

        assertTrue(e.getMessage().contains(message.strip()), e.getMessage());
        assertEquals(target, ((MultiLayerNetwork) momentum.target()).params());
        assertEquals(bank, momentum.bankRows());
        assertEquals(1, momentum.iterations());
    }

    /** Cox, and the cause-specific Cox loss when no row has an event of any cause. */
    @Test
    void aPooledSetWithoutEventsGivesAZeroStepAndIsCounted() {
        for (SurvivalLossFunction loss : List.of(new CoxLossFunction(), new CauseSpecificCoxLossFunction(2))) {
            int outputs = loss instanceof CoxLossFunction ? 1 : 2;
            MultiLayerNetwork net = Dl4jFixtures.mlp(loss, outputs, new Sgd(0.1));
            Momentum momentum = Momentum.attach(net, CONFIG);
            DataSet censored = Dl4jFixtures.survivalBatch(8, 1);
            censored.getLabels().getColumn(1).assign(0);
            INDArray before = net.params().dup();
            net.fit(censored);
            assertEquals(0.0, net.score(), loss.toString());
            assertEquals(before, net.params(), loss.toString());
            assertEquals(1, momentum.batchesWithoutEvents(), loss.toString());
            assertEquals(8, momentum.bankSize(), loss.toString());
        }
    }

    @Test
    void scoringAnAllCensoredSetOutsideTrainingIsNotCountedAsAStepWithoutEvents() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.1));
        Momentum momentum = Momentum.attach(net, CONFIG);
        net.fit(Dl4jFixtures.survivalBatch(8, 1));
        DataSet censored = Dl4jFixtures.survivalBatch(8, 2);
        censored.getLabels().getColumn(1).assign(0);
        assertEquals(0.0, net.score(censored));
        assertEquals(0, momentum.batchesWithoutEvents());
        assertEquals(1, momentum.iterations());
    }

    @Test
    void damagedPartsOfACheckpointAreIOExceptionsNamingFileAndPart(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.1));
        Momentum momentum = Momentum.attach(net, CONFIG);
        net.fit(Dl4jFixtures.survivalBatch(8, 1));
        File file = new File(dir, "momentum.zip");
        momentum.save(file);
        byte[] target = ZipEntries.read(file).get("target.bin");
        byte[] online = ZipEntries.read(file).get("online.zip");
        byte[] random = new byte[64];
        new Random(1).nextBytes(random);
        String[][] parts = {{"target.bin", "half"}, {"target.bin", "random"}, {"online.zip", "half"}};
        for (String[] part : parts) {
            byte[] original = part[0].equals("target.bin") ? target : online;
            byte[] bytes = part[1].equals("half") ? Arrays.copyOf(original, original.length / 2) : random;
            File damaged = new File(dir, part[0] + "-" + part[1] + ".zip");
            ZipEntries.rewrite(file, damaged, part[0], bytes);
            IOException e = assertThrows(IOException.class, () -> Momentum.restore(damaged));
            assertTrue(e.getMessage().startsWith(damaged + " is damaged: its entry " + part[0]), e.getMessage());
        }
        MultiLayerNetwork weibull = Dl4jFixtures.mlp(new WeibullLossFunction(), 2, new Sgd(0.01));
        Momentum weibullMomentum = Momentum.attach(weibull, CONFIG);
        weibull.fit(Dl4jFixtures.survivalBatch(8, 1));
        File weibullFile = new File(dir, "weibull.zip");
        weibullMomentum.save(weibullFile);
        File wide = new File(dir, "wide-bank.zip"); // a Weibull bank under a Cox network
        ZipEntries.rewrite(file, wide, "bank.bin", ZipEntries.read(weibullFile).get("bank.bin"));
        IOException width = assertThrows(IOException.class, () -> Momentum.restore(wide));
        assertTrue(width.getMessage().endsWith("bank.bin has 2 output columns but the loss reads 1"),
                width.getMessage());
        assertThrows(IOException.class, () -> momentum.save(dir)); // a directory is not replaced
        assertTrue(dir.isDirectory());
    }

    /**
     * A checkpoint written by release 0.1.0 (checkpoint format 1: an MLP with a Cox loss, Adam, after
     * 4 steps of 8 rows, bank of 3 * 8 rows); the values it must give back were recorded by that
     * release when it wrote the file.
     */
    @Test
    void restoresACheckpointOfRelease010(@TempDir File dir) throws Exception {
        Momentum restored = Momentum.restore(TestResources.file(MomentumTest.class, "momentum-checkpoint-0.1.0.zip",
                dir));
        Map<String, String> expected = TestResources.properties(MomentumTest.class,
                "momentum-checkpoint-0.1.0.expected.txt");
        INDArray x = Dl4jFixtures.features(5, 99);
        assertEquals(Long.parseLong(expected.get("iterations")), restored.iterations());
        assertEquals(Double.parseDouble(expected.get("lastLoss")), restored.lastLoss());
        assertArrayEquals(TestResources.matrix(expected.get("bankRows")), restored.bankRows().toDoubleMatrix());
        // The counters, the loss and the bank are stored in the file: exact. The outputs are computed
        // here, through OpenBLAS, whose kernel (chosen by CPU) sums each dot product in its own order.
        // Worst case for this double 4-5-1 tanh network (standard normal x, |x| <= 5; |w| <= 2): a dot
        // product of length k is off by at most k * 2^-53 * sum|x_i w_i| (Higham 2002, section 3.1),
        // 2e-14 for a hidden unit, times sum|w_out| <= 10 through the output layer; two orders: 4e-13.
        double rounding = 1e-12;
        assertArrayEquals(TestResources.vector(expected.get("infer")), restored.infer(x).reshape(-1).toDoubleVector(),
                rounding);
        MultiLayerNetwork online = restored.network();
        assertArrayEquals(TestResources.vector(expected.get("online")), online.output(x).reshape(-1).toDoubleVector(),
                rounding);
        online.fit(Dl4jFixtures.survivalBatch(8, 104)); // and training goes on
        assertEquals(5, restored.iterations());
    }

    @Test
    void resumingFromACheckpointGivesTheSameWeightsBitForBit(@TempDir File dir) throws Exception {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batches.add(Dl4jFixtures.survivalBatch(8, 500 + i));
        }
        ComputationGraph straight = new ComputationGraph(Dl4jFixtures.graphConfig(new CoxLossFunction(), 1,
                new Adam(0.01)));
        straight.init();
        ComputationGraph first = straight.clone();
        Momentum uninterrupted = Momentum.attach(straight, CONFIG);
        Momentum interrupted = Momentum.attach(first, CONFIG);
        for (int i = 0; i < 20; i++) {
            straight.fit(batches.get(i));
        }
        for (int i = 0; i < 10; i++) {
            first.fit(batches.get(i));
        }
        File checkpoint = new File(dir, "momentum.zip");
        interrupted.save(checkpoint);
        Momentum resumed = Momentum.restore(checkpoint);
        ComputationGraph second = resumed.network();
        assertEquals(10, resumed.iterations());
        for (int i = 10; i < 20; i++) {
            second.fit(batches.get(i));
        }
        assertEquals(straight.params(), second.params());
        assertEquals(((ComputationGraph) uninterrupted.target()).params(), ((ComputationGraph) resumed.target()).params());
        assertEquals(uninterrupted.bankRows(), resumed.bankRows());
        assertEquals(20, resumed.iterations());
        assertNotEquals(first.params(), second.params());
    }

    @Test
    void attachingRejectsOtherLossesAndDoubleAttachment() {
        MultiLayerNetwork mse = new MultiLayerNetwork(Dl4jFixtures.mlpConfig(
                new org.nd4j.linalg.lossfunctions.impl.LossMSE(), 1, new Sgd(0.1)));
        mse.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Momentum.attach(mse, CONFIG));
        assertTrue(e.getMessage().contains("a survival loss (CoxLossFunction, WeibullLossFunction,"
                + " GridHazardLossFunction, CauseSpecificCoxLossFunction, FineGrayLossFunction or DeepHitLossFunction)"),
                e.getMessage());

        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.1));
        Momentum.attach(net, CONFIG);
        assertThrows(IllegalStateException.class, () -> Momentum.attach(net, CONFIG));
    }

    @Test
    void attachingRejectsUninitialisedAndNonMiniBatchNetworks() {
        MultiLayerNetwork uninitialised = new MultiLayerNetwork(Dl4jFixtures.mlpConfig(new CoxLossFunction(), 1,
                new Sgd(0.1)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Momentum.attach(uninitialised, CONFIG));
        assertTrue(e.getMessage().contains("net.init()"), e.getMessage());

        MultiLayerConfiguration conf = Dl4jFixtures.mlpConfig(new CoxLossFunction(), 1, new Sgd(0.1));
        conf.getConfs().forEach(c -> c.setMiniBatch(false));
        MultiLayerNetwork whole = new MultiLayerNetwork(conf);
        whole.init();
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Momentum.attach(whole, CONFIG));
        assertTrue(e2.getMessage().contains("miniBatch(false)"), e2.getMessage());
        assertTrue(whole.getListeners().isEmpty());
    }

    @Test
    void aCloneOfAnAttachedNetworkCanBeAttachedOnItsOwn() {
        MultiLayerNetwork net = Dl4jFixtures.mlp(new CoxLossFunction(), 1, new Sgd(0.1));
        Momentum original = Momentum.attach(net, CONFIG);
        MultiLayerNetwork copy = net.clone(); // DL4J shares the listener collection with the clone
        Momentum second = Momentum.attach(copy, CONFIG);
        copy.fit(Dl4jFixtures.survivalBatch(8, 1));
        copy.fit(Dl4jFixtures.survivalBatch(8, 2));
        net.fit(Dl4jFixtures.survivalBatch(8, 3));
        assertEquals(2, second.iterations());
        assertEquals(16, second.bankSize());
        assertEquals(1, original.iterations());
        assertEquals(8, original.bankSize());
        assertTrue(((MultiLayerNetwork) original.target()).getListeners().isEmpty());
    }
}
