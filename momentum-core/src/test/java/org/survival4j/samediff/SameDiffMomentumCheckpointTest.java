package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.testing.MomentumTrace;
import org.survival4j.testing.TestResources;
import org.survival4j.testing.ZipEntries;

/**
 * Save and restore of {@link SameDiffMomentum}: training stopped after {@code k} iterations, saved,
 * restored and continued must end bit for bit where an uninterrupted run ends (CPU backend).
 */
class SameDiffMomentumCheckpointTest {
    private static final String[] WEIGHTS = {"W0", "b0", "W1", "b1"};

    @TempDir
    Path dir;

    static Stream<Arguments> runs() {
        // k = 13 stops with a full, wrapped bank (capacity 4 batches); k = 2 with a partly filled one.
        // The kernel-gradient form (the default), and the graph loss once; the competing-risks losses
        // on the Cox trace's rows with causes 1 and 2 (their banks keep the causes: layout MBK3).
        return Stream.of(Arguments.of("cox_b16_s4", null, new Sgd(0.05), 13, false),
                Arguments.of("cox_b16_s4", null, new Adam(1e-2), 13, false),
                Arguments.of("weibull_b16_s4", null, new Adam(1e-2), 2, false),
                Arguments.of("cox_b16_s4", null, new Adam(1e-2), 13, true),
                Arguments.of("cox_b16_s4", SurvivalLoss.causeSpecificCox(2, Ties.EFRON, Reduction.MEAN), new Adam(1e-2),
                        13, false),
                Arguments.of("cox_b16_s4", SurvivalLoss.fineGray(2, Ties.BRESLOW, Reduction.MEAN), new Adam(1e-2), 13,
                        false),
                Arguments.of("cox_b16_s4", SurvivalLoss.deepHit(2, 4, 0.2, 0.1, Reduction.MEAN), new Adam(1e-2), 2,
                        false));
    }

    /** {@code loss} null: the trace's own loss. */
    @ParameterizedTest
    @MethodSource("runs")
    void resumedRunEndsBitwiseWhereUninterruptedRunEnds(String traceName, SurvivalLoss loss, IUpdater updater, int k,
                                                        boolean graphLoss) throws IOException {
        MomentumTrace trace = MomentumTrace.load(traceName);
        int batch = trace.config("batch");
        SurvivalLoss survivalLoss = loss != null ? loss : traceLoss(trace);
        DataSet data = TwoLayerGraph.forLoss(new DataSet(trace.x(), trace.labels()), survivalLoss);

        SameDiffMomentum whole = momentum(trace, survivalLoss, updater, graphLoss);
        List<Double> wholeLosses = new ArrayList<>();
        whole.online().fit(new ViewIterator(data, batch), 1, whole.listener(),
                TwoLayerGraph.lossRecorder(whole, wholeLosses));

        SameDiffMomentum first = momentum(trace, survivalLoss, updater, graphLoss);
        List<Double> losses = new ArrayList<>();
        first.online().fit(new ViewIterator(rows(data, 0, k * batch), batch), 1, first.listener(),
                TwoLayerGraph.lossRecorder(first, losses));
        File file = dir.resolve("momentum.zip").toFile();
        first.save(file);
        SameDiffMomentum resumed = SameDiffMomentum.restore(file);
        assertEquals(k, resumed.iterations(), "iteration after restore");
        assertEquals(List.of(resumed.lossName()), resumed.online().getLossVariables(), "the same form, found");
        assertEquals(graphLoss, resumed.online().hasVariable("momentum/bankOutputs"), "the graph form's constants");
        assertEquals(first.lastLoss(), resumed.lastLoss(), "last loss after restore");
        resumed.online().fit(new ViewIterator(rows(data, k * batch, data.numExamples()), batch), 1,
                resumed.listener(), TwoLayerGraph.lossRecorder(resumed, losses));

        assertEquals(whole.iterations(), resumed.iterations(), "iterations");
        assertArrayEquals(wholeLosses.stream().mapToDouble(Double::doubleValue).toArray(),
                losses.stream().mapToDouble(Double::doubleValue).toArray(), "losses");
        for (String w : WEIGHTS) {
            assertArrayEquals(floats(whole.online(), w), floats(resumed.online(), w), "online " + w);
            assertArrayEquals(floats(whole.target(), w), floats(resumed.target(), w), "target " + w);
        }
        assertArrayEquals(whole.bankRows().toDoubleMatrix(), resumed.bankRows().toDoubleMatrix(), "bank");
        assertEquals(survivalLoss, resumed.loss(), "the loss, rebuilt from the checkpoint's settings");
    }

    @Test
    void restoredModelInfersLikeTheSavedOne() throws IOException {
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        SameDiffMomentum momentum = momentum(trace, new Sgd(0.05));
        File file = dir.resolve("fresh.zip").toFile();
        momentum.save(file); // empty bank, no training yet
        SameDiffMomentum restored = SameDiffMomentum.restore(file);
        assertEquals(0, restored.bankSize());
        assertEquals(0, restored.iterations());
        assertEquals(Double.NaN, restored.lastLoss());
        assertEquals(momentum.loss(), restored.loss());
        assertArrayEquals(momentum.infer(trace.x()).toFloatMatrix(), restored.infer(trace.x()).toFloatMatrix());
    }

    /**
     * A checkpoint written by release 0.1.0 (checkpoint format 1: the Cox trace's graph, Adam, after
     * 5 iterations of 16 rows); the values it must give back were recorded by that release when it
     * wrote the file.
     */
    @Test
    void restoresACheckpointOfRelease010() throws IOException {
        SameDiffMomentum restored = SameDiffMomentum.restore(TestResources.file(getClass(),
                "momentum-checkpoint-0.1.0.zip", dir.toFile()));
        Map<String, String> expected = TestResources.properties(getClass(), "momentum-checkpoint-0.1.0.expected.txt");
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        DataSet data = new DataSet(trace.x(), trace.labels());
        assertEquals(Long.parseLong(expected.get("iterations")), restored.iterations());
        assertEquals(Double.parseDouble(expected.get("lastLoss")), restored.lastLoss());
        assertArrayEquals(TestResources.matrix(expected.get("bankRows")), restored.bankRows().toDoubleMatrix());
        // The counters, the loss and the bank are stored in the file: exact. The target's outputs are
        // computed here, through OpenBLAS, whose float kernel (chosen by CPU) sums each dot product in
        // its own order: 4.5e-8 apart between the Haswell and SkylakeX kernels. Worst case for this
        // 8-16-1 tanh network (|x| <= 4.3, |w| <= 0.36): a dot product of length k is off by at most
        // k * 2^-24 * sum|x_i w_i| (Higham 2002, section 3.1): 6e-6 for a hidden unit, times
        // sum|w_out| <= 2.3 through the output layer, plus the output's own 2.4e-6; two orders: 3.4e-5.
        assertArrayEquals(TestResources.vector(expected.get("infer")),
                restored.infer(rows(data, 100, 105).getFeatures()).reshape(-1).toDoubleVector(), 5e-5);
        restored.online().fit(new ViewIterator(rows(data, 80, 96), 16), 1, restored.listener()); // training goes on
        assertEquals(6, restored.iterations());
    }

    @Test
    void aDamagedGraphIsAnIOExceptionNamingFileAndEntry() throws IOException {
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        File file = dir.resolve("saved.zip").toFile();
        momentum(trace, new Sgd(0.05)).save(file);
        for (String entry : new String[] {"online.fb", "target.fb"}) {
            byte[] graph = ZipEntries.read(file).get(entry);
            File damaged = dir.resolve("damaged-" + entry + ".zip").toFile();
            ZipEntries.rewrite(file, damaged, entry, java.util.Arrays.copyOf(graph, graph.length / 3));
            IOException e = assertThrows(IOException.class, () -> SameDiffMomentum.restore(damaged));
            assertTrue(e.getMessage().startsWith(damaged + " is damaged: its entry " + entry), e.getMessage());
        }
    }

    @Test
    void rejectsFilesThatAreNotCheckpoints() throws IOException {
        Path notZip = dir.resolve("plain.zip");
        Files.writeString(notZip, "not a zip");
        assertThrows(IOException.class, () -> SameDiffMomentum.restore(notZip.toFile()));
    }

    @Test
    void rejectsABankThatDoesNotMatchTheSettings() throws IOException {
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        SameDiffMomentum momentum = momentum(trace, new Sgd(0.05));
        momentum.online().fit(new ViewIterator(rows(new DataSet(trace.x(), trace.labels()), 0, 32), 16), 1,
                momentum.listener());
        File file = dir.resolve("saved.zip").toFile();
        momentum.save(file);

        File rows = dir.resolve("rows.zip").toFile(); // momentum.json claims another row count
        String json = new String(ZipEntries.read(file).get("momentum.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"bankRows\" : 32"), json);
        ZipEntries.rewrite(file, rows, "momentum.json", json.replace("\"bankRows\" : 32", "\"bankRows\" : 31")
                .getBytes(StandardCharsets.UTF_8));
        assertThrows(IOException.class, () -> SameDiffMomentum.restore(rows));

        File columns = dir.resolve("columns.zip").toFile(); // a Weibull-shaped bank under a Cox loss
        MomentumTrace weibullTrace = MomentumTrace.load("weibull_b16_s4");
        SameDiffMomentum weibull = momentum(weibullTrace, new Sgd(0.05));
        weibull.online().fit(new ViewIterator(rows(new DataSet(weibullTrace.x(), weibullTrace.labels()), 0, 32), 16),
                1, weibull.listener());
        File weibullFile = dir.resolve("weibull.zip").toFile();
        weibull.save(weibullFile);
        ZipEntries.rewrite(file, columns, "bank.bin", ZipEntries.read(weibullFile).get("bank.bin"));
        assertThrows(IOException.class, () -> SameDiffMomentum.restore(columns));

        File output = dir.resolve("output.zip").toFile(); // a name the graphs do not have: refused now, not at fit
        ZipEntries.rewrite(file, output, "momentum.json",
                json.replace("\"output\" : \"out\"", "\"output\" : \"nope\"").getBytes(StandardCharsets.UTF_8));
        IOException name = assertThrows(IOException.class, () -> SameDiffMomentum.restore(output));
        assertTrue(name.getMessage().endsWith("is damaged: the graphs have no variable nope"), name.getMessage());

        File noSteps = dir.resolve("no-steps.zip").toFile(); // a setting missing: named, not read as 0
        assertTrue(json.contains("\"steps\" : 4,"), json);
        ZipEntries.rewrite(file, noSteps, "momentum.json",
                json.replace("\"steps\" : 4,", "").getBytes(StandardCharsets.UTF_8));
        IOException missing = assertThrows(IOException.class, () -> SameDiffMomentum.restore(noSteps));
        assertTrue(missing.getMessage().endsWith("momentum.json has no \"steps\""), missing.getMessage());
    }


    static SameDiffMomentum momentum(MomentumTrace trace, IUpdater updater) {
        return momentum(trace, updater, false);
    }

    static SameDiffMomentum momentum(MomentumTrace trace, IUpdater updater, boolean graphLoss) {
        return momentum(trace, traceLoss(trace), updater, graphLoss);
    }

    /** The trace's network (float32) with an output layer for {@code loss}, the trace's momentum settings. */
    private static SameDiffMomentum momentum(MomentumTrace trace, SurvivalLoss loss, IUpdater updater,
                                             boolean graphLoss) {
        SameDiff sd = TwoLayerGraph.of(trace, loss, DataType.FLOAT, 2);
        return SameDiffMomentum.builder(sd).features("in").output("out").labels("label").loss(loss)
                .config(trace.momentumConfig())
                .updater(updater).graphLoss(graphLoss).build();
    }

    private static SurvivalLoss traceLoss(MomentumTrace trace) {
        return trace.loss().equals("cox") ? SurvivalLoss.cox(Ties.EFRON) : SurvivalLoss.weibull();
    }

    /** Copies: in M2.1 a ViewIterator over row views that start past row 0 runs out of rows early. */
    private static DataSet rows(DataSet data, int from, int to) {
        return new DataSet(data.getFeatures().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
                data.getLabels().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
    }

    private static float[] floats(SameDiff sd, String name) {
        return sd.getArrForVarName(name).castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    }
}
