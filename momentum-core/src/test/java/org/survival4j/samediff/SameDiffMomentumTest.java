package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.MomentumTrace;
import org.survival4j.testing.ReusingIterator;

/** Behaviour of {@link SameDiffMomentum} beyond the trace parity: configuration, bad batches, buffers, inference. */
class SameDiffMomentumTest {
    private static final String[] WEIGHTS = {"W0", "b0", "W1", "b1"};

    private final MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
    private final DataSet data = new DataSet(trace.x(), trace.labels());

    private SameDiff graph() {
        return TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"), trace.init().get("W1"),
                trace.init().get("b1"));
    }

    /** Batches of at most 16 rows, a bank of 4 batches. */
    private static MomentumConfig config(double rate) {
        return MomentumConfig.builder().batchSize(16).steps(4).rate(rate).build();
    }

    private SameDiffMomentum.Builder builder(SameDiff sd) {
        return SameDiffMomentum.builder(sd).features("in").output("out").labels("label")
                .loss(SurvivalLoss.cox(Ties.EFRON)).config(config(0.99)).updater(new Sgd(0.05));
    }

    @Test
    void builderRejectsWhatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).features("nope").build());
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).labels("out").build());
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).output("nope").build());
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).loss(null).build());
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).config(null).build());
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).config(config(1.5)).build());
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).updater(null).build()); // no config
        SameDiff sd = graph();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3)).dataSetFeatureMapping("in")
                .markLabelsUnused().build());
        assertThrows(IllegalArgumentException.class, () -> builder(sd).updater(null).build()); // labels unmapped
        SameDiff twice = graph();
        builder(twice).build();
        assertThrows(IllegalArgumentException.class, () -> builder(twice).build());
        // The output must be computed by an op: not a placeholder, a variable or a constant.
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).output("in").build());
        IllegalArgumentException causes = assertThrows(IllegalArgumentException.class, () -> builder(graph())
                .loss(SurvivalLoss.fineGray(1, Ties.EFRON, Reduction.MEAN)).graphLoss(true).build());
        assertTrue(causes.getMessage().contains("no graph form"), causes.getMessage()); // the kernel gradient only
        assertThrows(IllegalArgumentException.class, () -> builder(graph()).output("W1").build());
        SameDiff constant = graph();
        constant.constant("fixed", Nd4j.zeros(DataType.FLOAT, 16, 1));
        assertThrows(IllegalArgumentException.class, () -> builder(constant).output("fixed").build());
        // counting-process labels [n, 3] are for the Cox loss
        SameDiff counting = TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"), trace.init().get("W1"),
                trace.init().get("b1"), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder(counting).loss(SurvivalLoss.exponential()).build());
        assertTrue(e.getMessage().contains("counting-process labels are for the Cox"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SurvivalLoss.gridHazard(new double[] {0, 2, 1}));
    }

    @Test
    void graphWithALossAlreadyMarkedIsRejectedUnchanged() {
        SameDiff sd = graph();
        sd.getVariable("out").markAsLoss();
        int variables = sd.variables().size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder(sd).build());
        assertTrue(e.getMessage().contains("[out]") && e.getMessage().contains("setLossVariables"), e.getMessage());
        assertEquals(variables, sd.variables().size(), "nothing added to the graph");
        assertEquals(List.of("out"), sd.getLossVariables());
        sd.setLossVariables(new String[0]); // as the message says
        builder(sd).build();
        assertEquals(List.of("momentum/loss"), sd.getLossVariables());

        SameDiff kept = graph(); // a kept training configuration that lists a loss
        kept.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3)).dataSetFeatureMapping("in")
                .dataSetLabelMapping("label").minimize("out").build());
        assertThrows(IllegalArgumentException.class, () -> builder(kept).updater(null).build());
    }

    @Test
    void keepsTheGraphsTrainingConfigurationWithoutUpdater() {
        SameDiff sd = graph();
        TrainingConfig config = TrainingConfig.builder().updater(new Adam(1e-3)).dataSetFeatureMapping("in")
                .dataSetLabelMapping("label").build();
        sd.setTrainingConfig(config);
        SameDiffMomentum momentum = builder(sd).updater(null).build();
        assertTrue(sd.getTrainingConfig().getUpdater() instanceof Adam);
        assertEquals(List.of(momentum.lossName()), sd.getLossVariables());
        INDArray w0 = sd.getArrForVarName("W0").dup();
        sd.fit(new ViewIterator(rows(0, 16), 16), 1, momentum.listener());
        assertEquals(1, momentum.iterations());
        assertFalse(w0.equalsWithEps(sd.getArrForVarName("W0"), 1e-7), "one Adam step changes W0");
    }

    @Test
    void batchLargerThanBatchSizeIsRejectedBeforeAnythingChanges() {
        SameDiffMomentum momentum = builder(graph()).build();
        momentum.online().fit(new ViewIterator(rows(0, 32), 16), 1, momentum.listener());
        Snapshot before = new Snapshot(momentum);
        assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(rows(32, 64), 32), 1, momentum.listener()));
        before.assertUnchanged(momentum);
    }

    @Test
    void outputWithTheWrongNumberOfColumnsIsRejectedBeforeAnythingChanges() {
        // The graph does not know the output's shape before it runs: the first forward pass checks it.
        SameDiffMomentum momentum = builder(graph()).loss(SurvivalLoss.weibull()).build();
        Snapshot before = new Snapshot(momentum);
        assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(rows(0, 16), 16), 1, momentum.listener()));
        before.assertUnchanged(momentum);
    }

    @Test
    void badLabelsAreRejectedBeforeAnythingChanges() {
        SameDiffMomentum momentum = builder(graph()).build();
        momentum.online().fit(new ViewIterator(rows(0, 32), 16), 1, momentum.listener());
        Snapshot before = new Snapshot(momentum);
        DataSet bad = rows(32, 48);
        bad.getLabels().putScalar(3, 0, -1.0); // negative time
        assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(bad, 16), 1, momentum.listener()));
        before.assertUnchanged(momentum);
        DataSet event = rows(32, 48);
        event.getLabels().putScalar(3, 1, 2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(event, 16), 1));
        // 0.1 named it "labels[:, 1] (event)[3]"
        assertEquals("event[3] = 2.0: events must be 0 (censored) or 1 (event)", e.getMessage());
        before.assertUnchanged(momentum);
    }

    @Test
    void nonFiniteFeaturesAreRejectedBeforeAnythingChanges() {
        SameDiffMomentum momentum = builder(graph()).build();
        momentum.online().fit(new ViewIterator(rows(0, 16), 16), 1);
        Snapshot before = new Snapshot(momentum);
        DataSet bad = rows(16, 32);
        bad.getFeatures().putScalar(3, 2, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(bad, 16), 1));
        assertTrue(e.getMessage().startsWith("features in[3, 2] = NaN"), e.getMessage());
        before.assertUnchanged(momentum);
    }

    /** In float the graph's cumulative hazard overflows above exp(88): refused, not a NaN step. */
    @Test
    void weibullOutputsWhoseCumulativeHazardOverflowsAreRejectedBeforeAnythingChanges() {
        MomentumTrace w = MomentumTrace.load("weibull_b16_s4");
        SameDiff sd = TwoLayerGraph.of(w.init().get("W0"), w.init().get("b0"), w.init().get("W1"),
                w.init().get("b1"));
        SameDiffMomentum momentum = builder(sd).loss(SurvivalLoss.weibull()).build();
        DataSet rows = new DataSet(w.x().get(NDArrayIndex.interval(0, 16), NDArrayIndex.all()).dup(),
                w.labels().get(NDArrayIndex.interval(0, 16), NDArrayIndex.all()).dup());
        sd.getArrForVarName("b1").putScalar(1, 6f); // log shape about 6: exponents of several hundred
        Snapshot before = new Snapshot(momentum);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(rows, 16), 1));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
        before.assertUnchanged(momentum);
    }

    @Test
    void nonFiniteOutputIsRejectedBeforeAnythingChanges() {
        SameDiffMomentum momentum = builder(graph()).build();
        momentum.online().fit(new ViewIterator(rows(0, 32), 16), 1, momentum.listener());
        Snapshot before = new Snapshot(momentum);
        DataSet bad = rows(32, 48);
        bad.getFeatures().putScalar(5, 2, Float.NaN);
        assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(bad, 16), 1, momentum.listener()));
        before.assertUnchanged(momentum);
    }

    @Test
    void coxLogHazardsTooFarApartForTheGraphAreRejectedBeforeAnythingChanges() {
        SameDiffMomentum momentum = builder(graph()).graphLoss(true).build();
        momentum.online().fit(new ViewIterator(rows(0, 32), 16), 1, momentum.listener());
        momentum.online().getArrForVarName("W1").muli(1e4); // outputs thousands apart: the graph would give NaN
        Snapshot before = new Snapshot(momentum);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(rows(32, 48), 16), 1, momentum.listener()));
        assertTrue(e.getMessage().contains("too far apart for the SameDiff Cox graph"), e.getMessage());
        before.assertUnchanged(momentum);
    }

    /**
     * The kernel-gradient form has no such limit: the same outputs thousands apart give the exact
     * loss of the kernel and a finite step (the Cox gradient of each row is bounded by the events).
     */
    @Test
    void theKernelGradientTakesCoxLogHazardsAnyDistanceApart() {
        SameDiffMomentum momentum = builder(graph()).build();
        momentum.online().fit(new ViewIterator(rows(0, 32), 16), 1, momentum.listener());
        momentum.online().getArrForVarName("W1").muli(1e4);
        double[][] bank = momentum.bankRows().toDoubleMatrix(); // [output, time, event], oldest first
        DataSet batch = rows(32, 48);
        double[] online = momentum.online().output(Map.of("in", batch.getFeatures()), "out").get("out")
                .castTo(DataType.DOUBLE).reshape(16).toDoubleVector();
        double[] out = new double[48];
        double[] time = new double[48];
        double[] event = new double[48];
        double[][] labels = batch.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < 48; i++) {
            out[i] = i < 32 ? bank[i][0] : online[i - 32];
            time[i] = i < 32 ? bank[i][1] : labels[i - 32][0];
            event[i] = i < 32 ? bank[i][2] : labels[i - 32][1];
        }
        double expected = new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN).value(Nd4j.createFromArray(out),
                Nd4j.createFromArray(time), Nd4j.createFromArray(event));
        double spread = Nd4j.createFromArray(online).maxNumber().doubleValue()
                - Nd4j.createFromArray(online).minNumber().doubleValue();
        assertTrue(spread > 1000, "log hazards " + spread + " apart, past the float graph's 80");

        momentum.online().fit(new ViewIterator(batch, 16), 1, momentum.listener());
        assertEquals(3, momentum.iterations());
        assertEquals(expected, momentum.lastLoss(), 1e-12 * Math.abs(expected)); // the same kernel on the same values
        for (String w : WEIGHTS) {
            assertTrue(org.survival4j.data.NDArrays.allFinite(momentum.online().getArrForVarName(w)), w);
        }
    }

    @Test
    void reusedIteratorBuffersDoNotLeakIntoTheBank() {
        SameDiffMomentum fresh = builder(graph()).build();
        fresh.online().fit(new ViewIterator(rows(0, 160), 16), 1, fresh.listener());
        SameDiffMomentum reused = builder(graph()).build();
        reused.online().fit(new ReusingIterator(rows(0, 160), 16), 1, reused.listener());
        assertArrayEquals(fresh.bankRows().toDoubleMatrix(), reused.bankRows().toDoubleMatrix());
        assertEquals(fresh.lastLoss(), reused.lastLoss());
    }

    @Test
    void partialLastBatchAndBankFilling() {
        SameDiffMomentum momentum = builder(graph()).build();
        assertEquals(0, momentum.bankSize());
        assertTrue(Double.isNaN(momentum.lastLoss()));
        List<Double> losses = new ArrayList<>();
        momentum.online().fit(new ViewIterator(rows(0, 40), 16), 1, momentum.listener(),
                TwoLayerGraph.lossRecorder(momentum, losses));
        assertEquals(3, momentum.iterations());
        assertEquals(40, momentum.bankSize());
        assertEquals(3, losses.size());
        losses.forEach(l -> assertTrue(Double.isFinite(l), "loss " + l));
        // The bank holds the labels of the rows it saw, oldest first.
        assertArrayEquals(data.getLabels().get(NDArrayIndex.interval(0, 40), NDArrayIndex.all()).toDoubleMatrix(),
                momentum.bankRows().get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3)).toDoubleMatrix());
    }

    @Test
    void partialBatchWithAFullBankPoolsTheNewestCapacityMinusNBankRows() {
        SameDiffMomentum momentum = builder(graph()).build(); // capacity 4 * 16 = 64
        momentum.online().fit(new ViewIterator(rows(0, 80), 16), 1, momentum.listener());
        assertEquals(64, momentum.bankSize());
        // Independently of the listener: the bank before the step, and the online outputs of the batch
        // before the step (what the loss of the step is taken on).
        double[][] bank = momentum.bankRows().toDoubleMatrix(); // [output, time, event], oldest first
        DataSet batch = rows(80, 88); // 8 rows: m = 64 - 8 = 56 bank rows, more than (steps - 1) * 16 = 48
        double[] online = momentum.online().output(Map.of("in", batch.getFeatures()), "out").get("out")
                .castTo(DataType.DOUBLE).reshape(8).toDoubleVector();
        int m = 56;
        double[] out = new double[m + 8];
        double[] time = new double[m + 8];
        double[] event = new double[m + 8];
        for (int i = 0; i < m; i++) {
            double[] row = bank[64 - m + i];
            out[i] = row[0];
            time[i] = row[1];
            event[i] = row[2];
        }
        double[][] labels = batch.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < 8; i++) {
            out[m + i] = online[i];
            time[m + i] = labels[i][0];
            event[m + i] = labels[i][1];
        }
        CoxPartialLikelihood kernel = new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN);
        double expected = kernel.value(Nd4j.createFromArray(out), Nd4j.createFromArray(time),
                Nd4j.createFromArray(event));

        momentum.online().fit(new ViewIterator(batch, 16), 1, momentum.listener());
        assertEquals(6, momentum.iterations());
        assertEquals(expected, momentum.lastLoss(), 1e-9 * Math.abs(expected));
        // The test tells the pooling rules apart: only 48 bank rows give another loss.
        double fewer = kernel.value(Nd4j.createFromArray(java.util.Arrays.copyOfRange(out, 8, m + 8)),
                Nd4j.createFromArray(java.util.Arrays.copyOfRange(time, 8, m + 8)),
                Nd4j.createFromArray(java.util.Arrays.copyOfRange(event, 8, m + 8)));
        assertTrue(Math.abs(fewer - expected) > 1e-6 * Math.abs(expected), expected + " vs " + fewer);
    }

    /**
     * The grid-hazard loss (one log hazard per knot): each step's loss is the closed-form likelihood
     * of [bank rows ; batch rows], and a checkpoint keeps the knots.
     */
    @Test
    void gridHazardMomentumTakesTheLossOfBankAndBatchAndResumesWithItsKnots(@TempDir Path dir) throws IOException {
        double[] knots = {0, 0.5, 1.5};
        INDArray w1 = Nd4j.rand(DataType.FLOAT, trace.init().get("W1").rows(), knots.length).subi(0.5).muli(0.1);
        SameDiff sd = TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"), w1,
                Nd4j.zeros(DataType.FLOAT, 1, knots.length));
        SameDiffMomentum momentum = builder(sd).loss(SurvivalLoss.gridHazard(knots)).build();
        momentum.online().fit(new ViewIterator(rows(0, 48), 16), 1);
        double[][] bank = momentum.bankRows().toDoubleMatrix(); // [3 log hazards, time, event], oldest first
        DataSet batch = rows(48, 64);
        double[][] online = momentum.online().output(Map.of("in", batch.getFeatures()), "out").get("out")
                .castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] labels = batch.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        int n = bank.length + 16; // 48 bank rows: capacity 64 - 16
        double[][] out = new double[n][];
        double[] time = new double[n];
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            boolean banked = i < bank.length;
            double[] row = banked ? bank[i] : labels[i - bank.length];
            out[i] = banked ? java.util.Arrays.copyOf(row, 3) : online[i - bank.length];
            time[i] = banked ? row[3] : row[0];
            event[i] = banked ? row[4] : row[1];
        }
        double expected = new GridHazardLikelihood(knots, Reduction.MEAN).value(Nd4j.createFromArray(out),
                Nd4j.createFromArray(time), Nd4j.createFromArray(event));
        momentum.online().fit(new ViewIterator(batch, 16), 1);
        assertEquals(expected, momentum.lastLoss(), 1e-6 * Math.abs(expected)); // the graph runs in float

        File file = dir.resolve("grid.zip").toFile();
        momentum.save(file);
        SameDiffMomentum restored = SameDiffMomentum.restore(file);
        DataSet next = rows(64, 80);
        momentum.online().fit(new ViewIterator(next, 16), 1);
        restored.online().fit(new ViewIterator(next, 16), 1);
        assertEquals(momentum.lastLoss(), restored.lastLoss());
        assertArrayEquals(momentum.bankRows().toDoubleMatrix(), restored.bankRows().toDoubleMatrix());
    }

    /**
     * More knots than a memory bank holds (1,024 columns): refused when momentum is built, before
     * the graph changes, rather than at the first step, after SameDiff's updater has changed the weights.
     */
    @Test
    void gridHazardWithMoreKnotsThanABankHoldsIsRefusedBeforeAnythingChanges() {
        double[] knots = new double[1025];
        for (int k = 1; k < knots.length; k++) {
            knots[k] = k / 100.0;
        }
        Nd4j.getRandom().setSeed(12);
        INDArray w1 = Nd4j.rand(DataType.FLOAT, trace.init().get("W1").rows(), knots.length).subi(0.5).muli(0.1);
        SameDiff sd = TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"), w1,
                Nd4j.zeros(DataType.FLOAT, 1, knots.length));
        INDArray w0 = sd.getArrForVarName("W0").dup();
        int variables = sd.variables().size();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            builder(sd).loss(SurvivalLoss.gridHazard(knots)).build();
            sd.fit(new ViewIterator(rows(0, 16), 16), 1);
        });

        assertTrue(e.getMessage().contains("1025") && e.getMessage().contains("1024"), e.getMessage());
        assertArrayEquals(w0.toFloatMatrix(), sd.getArrForVarName("W0").toFloatMatrix(), "weights");
        assertEquals(variables, sd.variables().size(), "nothing added to the graph");
        assertTrue(sd.getListeners().isEmpty(), "no momentum listener");
    }

    /**
     * Counting-process labels (start, stop, event) on a graph whose labels placeholder has 3 columns:
     * each step's loss is the counting-process likelihood of [bank rows with their entry times ; batch].
     */
    @Test
    void countingProcessLabelsPoolWithTheBanksEntryTimesAndResume(@TempDir Path dir) throws IOException {
        SameDiff sd = TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"), trace.init().get("W1"),
                trace.init().get("b1"), 3);
        SameDiffMomentum momentum = builder(sd).build();
        for (int step = 0; step < 5; step++) {
            DataSet batch = countingRows(16 * step, 16 * step + 16);
            double[][] bank = momentum.bankSize() == 0 ? new double[0][] : momentum.bankRows().toDoubleMatrix();
            double[] bankStart = momentum.bankEntryTimes();
            int keep = Math.min(bank.length, 64 - 16);
            double[] online = momentum.online().output(Map.of("in", batch.getFeatures()), "out").get("out")
                    .castTo(DataType.DOUBLE).reshape(16).toDoubleVector();
            double[][] labels = batch.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[][] pooled = new double[keep + 16][]; // log hazard, start, stop, event
            for (int i = 0; i < keep; i++) {
                int b = bank.length - keep + i;
                pooled[i] = new double[] {bank[b][0], bankStart[b], bank[b][1], bank[b][2]};
            }
            for (int i = 0; i < 16; i++) {
                pooled[keep + i] = new double[] {online[i], labels[i][0], labels[i][1], labels[i][2]};
            }
            INDArray p = Nd4j.createFromArray(pooled);
            double expected = CoxPartialLikelihood.efron().value(p.getColumn(0), p.getColumn(1), p.getColumn(2),
                    p.getColumn(3));
            double ignoringEntry = CoxPartialLikelihood.efron().value(p.getColumn(0), p.getColumn(2), p.getColumn(3));
            assertTrue(Math.abs(ignoringEntry - expected) > 1e-4 * Math.abs(expected), "step " + step);
            momentum.online().fit(new ViewIterator(batch, 16), 1);
            assertEquals(expected, momentum.lastLoss(), 1e-5 * Math.abs(expected), "step " + step); // float graph
        }
        File file = dir.resolve("counting.zip").toFile();
        momentum.save(file);
        SameDiffMomentum restored = SameDiffMomentum.restore(file);
        assertArrayEquals(momentum.bankEntryTimes(), restored.bankEntryTimes(), 0);
        momentum.online().fit(new ViewIterator(countingRows(80, 96), 16), 1);
        restored.online().fit(new ViewIterator(countingRows(80, 96), 16), 1);
        assertEquals(momentum.lastLoss(), restored.lastLoss());
        double[] entry = momentum.bankEntryTimes();
        assertEquals(64, entry.length);
        assertArrayEquals(countingRows(32, 96).getLabels().getColumn(0).castTo(DataType.DOUBLE).toDoubleVector(),
                entry, 0);
        DataSet withoutEntry = rows(96, 112);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> momentum.online().fit(new ViewIterator(withoutEntry, 16), 1));
        assertTrue(e.getMessage().contains("[n, 3]"), e.getMessage());
    }

    /** Rows of the trace with labels (start, stop, event): about half enter late, within their interval. */
    private DataSet countingRows(int from, int to) {
        return TwoLayerGraph.withEntryTimes(rows(from, to), from);
    }

    @Test
    void divergedStepLeavesTargetBankAndIterationAsTheyWere() {
        // NaN and infinity in a weight; or finite weights so large that the target's output overflows
        // (rate 0: the target takes the online weights as they are).
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.MAX_VALUE}) {
            SameDiffMomentum momentum = builder(graph()).config(config(bad == Float.MAX_VALUE ? 0 : 0.99)).build();
            momentum.online().fit(new ViewIterator(rows(0, 32), 16), 1, momentum.listener());
            Snapshot before = new Snapshot(momentum);
            INDArray w1 = momentum.online().getArrForVarName("W1").dup();
            // Runs before the momentum listener's iterationDone: as if the optimizer step had diverged.
            BaseListener diverge = new BaseListener() {
                @Override
                public boolean isActive(Operation operation) {
                    return operation == Operation.TRAINING;
                }

                @Override
                public void iterationDone(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet d, Loss l) {
                    if (bad == Float.MAX_VALUE) {
                        sd.getArrForVarName("W1").assign(bad);
                    } else {
                        sd.getArrForVarName("W1").putScalar(3, 0, bad);
                    }
                }
            };
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> momentum.online()
                    .fit(new ViewIterator(rows(32, 48), 16), 1, diverge, momentum.listener()));
            assertTrue(e.getMessage().contains(bad == Float.MAX_VALUE ? "target output" : "W1")
                    && e.getMessage().contains("diverged"), e.getMessage());
            before.assertTargetAndBankUnchanged(momentum);
            assertTrue(Double.isFinite(momentum.lastLoss()), "the loss the diverged step was taken on");

            // Bookkeeping stays consistent: with the weights repaired, training goes on.
            momentum.online().getArrForVarName("W1").assign(w1);
            momentum.online().fit(new ViewIterator(rows(48, 64), 16), 1, momentum.listener());
            assertEquals(3, momentum.iterations());
            assertEquals(48, momentum.bankSize());
        }
    }

    @Test
    void pooledSetsWithoutEventsAreCounted() {
        DataSet censored = rows(0, 32);
        censored.getLabels().getColumn(1).assign(0);
        SameDiffMomentum cox = builder(graph()).build();
        cox.online().fit(new ViewIterator(censored, 16), 1, cox.listener());
        assertEquals(2, cox.batchesWithoutEvents());
        assertEquals(0.0, cox.lastLoss());
        cox.online().fit(new ViewIterator(rows(32, 48), 16), 1, cox.listener()); // this batch has events
        assertTrue(Nd4j.createFromArray(rows(32, 48).getLabels().getColumn(1).toDoubleVector()).sumNumber()
                .doubleValue() > 0);
        assertEquals(2, cox.batchesWithoutEvents());
        assertEquals(3, cox.iterations());

        MomentumTrace w = MomentumTrace.load("weibull_b16_s4");
        SameDiff sd = TwoLayerGraph.of(w.init().get("W0"), w.init().get("b0"), w.init().get("W1"), w.init().get("b1"));
        SameDiffMomentum weibull = builder(sd).loss(SurvivalLoss.weibull()).build();
        DataSet weibullCensored = new DataSet(w.x().get(NDArrayIndex.interval(0, 32), NDArrayIndex.all()).dup(),
                w.labels().get(NDArrayIndex.interval(0, 32), NDArrayIndex.all()).dup());
        weibullCensored.getLabels().getColumn(1).assign(0);
        weibull.online().fit(new ViewIterator(weibullCensored, 16), 1, weibull.listener());
        assertEquals(2, weibull.iterations());
        assertEquals(0, weibull.batchesWithoutEvents());
    }

    @Test
    void evaluatingAnAllCensoredSetOutsideTrainingIsNotCountedAsAStepWithoutEvents() {
        SameDiffMomentum momentum = builder(graph()).build();
        momentum.online().fit(new ViewIterator(rows(0, 16), 16), 1, momentum.listener());
        DataSet censored = rows(16, 32);
        censored.getLabels().getColumn(1).assign(0);
        momentum.online().output(Map.of("in", censored.getFeatures(), "label", censored.getLabels()), "out");
        momentum.infer(censored.getFeatures());
        assertEquals(0, momentum.batchesWithoutEvents());
        assertEquals(1, momentum.iterations());
    }

    @Test
    void emptyBatchIsRejectedWithAClearMessage() {
        SameDiffMomentum momentum = builder(graph()).build();
        MultiDataSet empty = new MultiDataSet(Nd4j.empty(DataType.FLOAT), Nd4j.empty(DataType.FLOAT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> momentum.online()
                .fit(new SingletonMultiDataSetIterator(empty), 1, momentum.listener()));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("ViewIterator"), e.getMessage());
        assertEquals(0, momentum.iterations());
    }

    @Test
    void inferUsesTheTargetGraph() {
        SameDiffMomentum momentum = builder(graph()).build();
        momentum.online().fit(new ViewIterator(rows(0, 64), 16), 1, momentum.listener());
        INDArray x = rows(0, 16).getFeatures();
        INDArray target = momentum.target().output(Map.of("in", x), "out").get("out");
        INDArray online = momentum.online().output(Map.of("in", x), "out").get("out");
        assertEquals(target, momentum.infer(x));
        assertFalse(online.equalsWithEps(target, 1e-6), "online and target should differ after training");
    }

    @Test
    void graphWithTwoFeaturesPlaceholdersTrainsAndInfers() {
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.placeHolder("a", DataType.FLOAT, -1, 5);
        SDVariable b = sd.placeHolder("b", DataType.FLOAT, -1, 3);
        sd.placeHolder("label", DataType.FLOAT, -1, 2);
        SDVariable joined = sd.concat(1, a, b);
        joined.mmul(sd.var("W", Nd4j.rand(DataType.FLOAT, 8, 1).subi(0.5))).rename("logHz");
        SameDiffMomentum momentum = SameDiffMomentum.builder(sd).features("a", "b").output("logHz").labels("label")
                .loss(SurvivalLoss.cox(Ties.BRESLOW)).config(MomentumConfig.builder().batchSize(16).steps(2).build())
                .updater(new Sgd(0.01)).build();
        INDArray x = data.getFeatures().get(NDArrayIndex.interval(0, 16), NDArrayIndex.all());
        MultiDataSet batch = new MultiDataSet(new INDArray[] {x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 5)).dup(),
                x.get(NDArrayIndex.all(), NDArrayIndex.interval(5, 8)).dup()},
                new INDArray[] {data.getLabels().get(NDArrayIndex.interval(0, 16), NDArrayIndex.all()).dup()});
        sd.fit(new SingletonMultiDataSetIterator(batch), 3, momentum.listener());
        assertEquals(3, momentum.iterations());
        assertEquals(32, momentum.bankSize());
        assertThrows(IllegalArgumentException.class, () -> momentum.infer(x));
        INDArray out = momentum.infer(Map.of("a", batch.getFeatures(0), "b", batch.getFeatures(1)));
        assertArrayEquals(new long[] {16, 1}, out.shape());
    }

    @Test
    void javadocExampleRunsWithAdamLoggingAndSave(@TempDir Path dir) throws IOException {
        SameDiff sd = graph();
        SameDiffMomentum momentum = SameDiffMomentum.builder(sd)
                .features("in").output("out").labels("label")
                .loss(SurvivalLoss.cox(Ties.EFRON))
                .config(MomentumConfig.builder().batchSize(16).steps(10).rate(0.999).build())
                .updater(new Adam(1e-3))
                .logEvery(5)
                .build();
        sd.fit(new ViewIterator(rows(0, 160), 16), 2, momentum.listener());
        INDArray logHz = momentum.infer(rows(0, 32).getFeatures());
        momentum.save(dir.resolve("model.zip").toFile());
        assertEquals(20, momentum.iterations());
        assertEquals(160, momentum.bankSize());
        assertArrayEquals(new long[] {32, 1}, logHz.shape());
        assertTrue(Double.isFinite(momentum.lastLoss()));
        assertTrue(momentum.toString().contains("iteration=20"), momentum.toString());
    }

    /**
     * The graph carries the momentum listener: {@code sd.fit} without it in the arguments trains with
     * momentum exactly as with it (0.1 trained on the previous batch's constants, or crashed the JVM
     * in native code on the first call). After a restore too.
     */
    @Test
    void fitWithoutTheListenerArgumentTrainsWithMomentumTheSame(@TempDir Path dir) throws IOException {
        SameDiffMomentum with = builder(graph()).build();
        SameDiffMomentum without = builder(graph()).build();
        with.online().fit(new ViewIterator(rows(0, 48), 16), 1, with.listener());
        without.online().fit(new ViewIterator(rows(0, 48), 16), 1);
        assertEquals(3, without.iterations());
        new Snapshot(with).assertUnchanged(without);

        File file = dir.resolve("saved.zip").toFile();
        without.save(file);
        SameDiffMomentum restored = SameDiffMomentum.restore(file);
        restored.online().fit(new ViewIterator(rows(48, 64), 16), 1);
        with.online().fit(new ViewIterator(rows(48, 64), 16), 1);
        assertEquals(4, restored.iterations());
        new Snapshot(with).assertUnchanged(restored);
    }

    @Test
    void buildingAndTrainingPrintNothingToStandardOutput() {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            SameDiffMomentum momentum = builder(graph()).build();
            momentum.online().fit(new ViewIterator(rows(0, 32), 16), 1);
        } finally {
            System.setOut(out);
        }
        assertEquals("", printed.toString(StandardCharsets.UTF_8)); // SameDiff prints "Added differentiated op"
    }

    @Test
    void listenerRefusesAnotherGraph() {
        SameDiffMomentum momentum = builder(graph()).build();
        SameDiff other = graph();
        other.setTrainingConfig(momentum.online().getTrainingConfig());
        other.getVariable("out").markAsLoss();
        GradientFunction.createQuietly(other);
        assertThrows(IllegalStateException.class,
                () -> other.fit(new ViewIterator(rows(0, 16), 16), 1, momentum.listener()));
    }

    private DataSet rows(int from, int to) {
        return new DataSet(data.getFeatures().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
                data.getLabels().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
    }

    /** Weights of both graphs and the bank at one moment. */
    private static final class Snapshot {
        private final List<INDArray> online = new ArrayList<>();
        private final List<INDArray> target = new ArrayList<>();
        private final double[][] bank;
        private final long iteration;

        Snapshot(SameDiffMomentum m) {
            for (String w : WEIGHTS) {
                online.add(m.online().getArrForVarName(w).dup());
                target.add(m.target().getArrForVarName(w).dup());
            }
            bank = m.bankRows().toDoubleMatrix();
            iteration = m.iterations();
        }

        void assertUnchanged(SameDiffMomentum m) {
            for (int i = 0; i < WEIGHTS.length; i++) {
                assertEquals(online.get(i), m.online().getArrForVarName(WEIGHTS[i]), "online " + WEIGHTS[i]);
                assertEquals(target.get(i), m.target().getArrForVarName(WEIGHTS[i]), "target " + WEIGHTS[i]);
            }
            assertArrayEquals(bank, m.bankRows().toDoubleMatrix(), "bank");
            assertEquals(iteration, m.iterations(), "iteration");
        }

        void assertTargetAndBankUnchanged(SameDiffMomentum m) {
            for (int i = 0; i < WEIGHTS.length; i++) {
                assertEquals(target.get(i), m.target().getArrForVarName(WEIGHTS[i]), "target " + WEIGHTS[i]);
            }
            assertArrayEquals(bank, m.bankRows().toDoubleMatrix(), "bank");
            assertEquals(iteration, m.iterations(), "iteration");
        }
    }
}
