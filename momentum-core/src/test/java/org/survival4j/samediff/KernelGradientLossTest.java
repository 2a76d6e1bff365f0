package org.survival4j.samediff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.listeners.records.History;
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
import org.survival4j.loss.DeepHit;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.testing.CompetingRisksGolden;
import org.survival4j.testing.GoldenData;
import org.survival4j.testing.GridGolden;
import org.survival4j.testing.MomentumTrace;
import org.survival4j.testing.RandomSurvivalData;

/**
 * {@link KernelGradientLoss} in plain {@code sd.fit} training: the parameter gradients of its
 * surrogate, taken by SameDiff's backward pass during {@code fit}, against those of the graph losses
 * ({@link SameDiffCoxLoss}, {@link SameDiffWeibullLoss}, {@link SameDiffGridHazardLoss}) on the same
 * network and rows, in double; then the loss it reports, and its rules.
 */
class KernelGradientLossTest {
    private static final String[] WEIGHTS = {"W0", "b0", "W1", "b1"};
    /**
     * The bound for the parameter gradients, relative to each gradient's largest entry: both
     * sides compute the same sums in double in another order (measured at most 7.5e-15, gbsg Efron).
     */
    private static final double REL = 1e-10;

    /** Labels as Java arrays: JUnit closes the arguments of each case, and an INDArray is AutoCloseable. */
    static Stream<Arguments> golden() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String c : GoldenData.CASES) {
            double[][] labels = GoldenData.rows(c).matrix("time", "event").toDoubleMatrix();
            for (Ties ties : Ties.values()) {
                for (Reduction reduction : Reduction.values()) {
                    cases.add(Arguments.of(c, SurvivalLoss.cox(ties, reduction), labels, null));
                }
            }
            cases.add(Arguments.of(c, SurvivalLoss.weibull(Reduction.MEAN), labels, null));
            cases.add(Arguments.of(c, SurvivalLoss.weibull(Reduction.SUM), labels, null));
            cases.add(Arguments.of(c, SurvivalLoss.exponential(Reduction.MEAN), labels, null));
        }
        for (String c : new String[] {"heart_sd1", "lung_entry_sd8"}) { // counting-process labels, R's cases
            GoldenData g = GoldenData.rows("counting/counting_" + c);
            double[][] labels = g.matrix("start", "stop", "event").toDoubleMatrix();
            for (Ties ties : Ties.values()) {
                cases.add(Arguments.of(c, SurvivalLoss.cox(ties, Reduction.MEAN), labels, null));
            }
        }
        for (long seed = 1; seed <= 2; seed++) { // strata with many ties, with and without entry times
            RandomSurvivalData data = RandomSurvivalData.generate(60, 8, 3, seed);
            INDArray timeEvent = Nd4j.hstack(data.time.reshape(-1, 1), data.event.reshape(-1, 1))
                    .castTo(DataType.DOUBLE);
            double[][] labels = timeEvent.toDoubleMatrix();
            double[][] counting = Nd4j.hstack(entryTimes(data.time, seed).reshape(-1, 1), timeEvent).toDoubleMatrix();
            for (Ties ties : Ties.values()) {
                cases.add(Arguments.of("strata " + seed, SurvivalLoss.cox(ties, Reduction.MEAN), labels, data.strata));
                cases.add(Arguments.of("strata, entry " + seed, SurvivalLoss.cox(ties, Reduction.SUM), counting,
                        data.strata));
            }
        }
        GridGolden.cases().forEach(c -> {
            GridGolden g = GridGolden.load(c);
            double[][] labels = Nd4j.hstack(Nd4j.createFromArray(g.vector("time")).reshape(-1, 1),
                    Nd4j.createFromArray(g.vector("event")).reshape(-1, 1)).toDoubleMatrix();
            for (Reduction reduction : Reduction.values()) {
                cases.add(Arguments.of(c, SurvivalLoss.gridHazard(g.vector("knots"), reduction), labels, null));
            }
        });
        for (String name : MomentumTrace.NAMES) {
            MomentumTrace trace = MomentumTrace.load(name);
            cases.add(Arguments.of(name, trace.loss().equals("cox") ? SurvivalLoss.cox(Ties.EFRON)
                    : SurvivalLoss.weibull(), trace.labels().castTo(DataType.DOUBLE).toDoubleMatrix(), null));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("golden")
    void parameterGradientsEqualTheGraphLoss(String caseName, SurvivalLoss loss, double[][] labelRows, int[] strata) {
        INDArray labels = Nd4j.createFromArray(labelRows);
        int n = labelRows.length;
        Random rng = new Random(caseName.hashCode());
        INDArray x = normal(rng, n, 4, 1);
        Network net = new Network(rng, 4, 8, loss.columns());

        SameDiff reference = net.graph(labels.size(1));
        SDVariable out = reference.getVariable("out");
        (loss.isCox() ? loss.coxGraph().negativeLogLikelihood(reference, out, labels, strata)
                : loss.rowGraph(reference, out, Labels.constant(reference, labels, out))).markAsLoss();
        Map<String, INDArray> expected = reference.calculateGradients(Map.of("in", x), WEIGHTS);

        SameDiff sd = net.graph(labels.size(1));
        GradientRecorder recorder = new GradientRecorder(WEIGHTS);
        KernelGradientLoss kernel = attach(sd, loss, strata != null);
        sd.fit(new SingletonMultiDataSetIterator(batch(x, labels, strata)), 1, recorder);

        GradientRecorder.assertSameGradients(doubles(expected), recorder.gradients.get(0), REL, caseName + " " + loss);
        double value = reference.output(Map.of("in", x), reference.getLossVariables().get(0))
                .get(reference.getLossVariables().get(0)).getDouble(0);
        assertEquals(value, kernel.lastLoss(), 1e-10 * Math.abs(value), "the reported loss is the likelihood");
    }

    static Stream<Arguments> competingRisks() {
        return CompetingRisksGolden.CASES.stream().flatMap(c -> Stream.of("efron", "breslow").flatMap(ties -> Stream.of(
                "csc", "csc_strata", "csc_counting", "fg", "fg_strata").map(term -> Arguments.of(c, ties, term))));
    }

    /**
     * The competing-risks losses through the graph, on R's cases (mgus2, Melanoma): with the output
     * {@code in + shift} and {@code shift = 0}, the gradient SameDiff's backward pass gives
     * {@code shift} is the loss's gradient with respect to the output: bit for bit the kernel's
     * ({@code reduce_dot_bp} multiplies G by 1, {@code add} passes it on), which matches R's
     * {@code coxph} and {@code finegray} (in {@code CauseSpecificCoxTest}, {@code FineGrayTest}); the
     * reported loss is R's minus log-likelihood.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("competingRisks")
    void competingRisksGradientsReachTheGraphExactly(String caseName, String tiesName, String term) {
        CompetingRisksGolden g = CompetingRisksGolden.of(caseName);
        GoldenData rows = g.rows();
        Ties ties = tiesName.equals("efron") ? Ties.EFRON : Ties.BRESLOW;
        boolean fineGray = term.startsWith("fg");
        int cause = term.equals("fg") ? 1 : 2; // Fine-Gray: one cause of interest each
        SurvivalLoss loss = fineGray ? SurvivalLoss.fineGray(cause, ties, Reduction.SUM)
                : SurvivalLoss.causeSpecificCox(2, ties, Reduction.SUM);
        INDArray logHz = fineGray ? rows.matrix("lp_" + cause) : g.logHz();
        INDArray labels = term.equals("csc_counting") ? rows.matrix("start", "time", "cause")
                : rows.matrix("time", "cause");
        int[] strata = term.endsWith("strata") ? g.strata() : null;

        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.DOUBLE, -1, loss.columns());
        sd.placeHolder("label", DataType.DOUBLE, -1, labels.size(1));
        in.add(sd.var("shift", Nd4j.zeros(DataType.DOUBLE, logHz.size(0), loss.columns()))).rename("out");
        KernelGradientLoss kernel = attach(sd, loss, strata != null);
        GradientRecorder recorder = new GradientRecorder("shift");
        sd.fit(new SingletonMultiDataSetIterator(batch(logHz, labels, strata)), 1, recorder);

        double[] time = labels.getColumn(labels.size(1) - 2).toDoubleVector();
        double[] start = labels.size(1) == 3 ? labels.getColumn(0).toDoubleVector() : null;
        ValueAndGradient expected = loss.valueAndGradient(logHz.reshape(-1).toDoubleVector(), start, time,
                rows.column("cause"), strata, 0);
        assertArrayEquals(expected.gradientValues(), recorder.gradients.get(0).get("shift"), "gradient");
        double r = fineGray ? g.nll(term, tiesName, cause) : g.nll(term, tiesName, 1) + g.nll(term, tiesName, 2);
        assertEquals(r, kernel.lastLoss(), 1e-10 * Math.abs(r), "R's minus log-likelihood"); // kernel vs R: 1e-11
    }

    /** DeepHit (no graph form, no R): the gradient reaching the graph is the kernel's, bit for bit. */
    @Test
    void deepHitGradientsReachTheGraphExactly() {
        int n = 40;
        int causes = 2;
        int intervals = 5;
        Random rng = new Random(11);
        INDArray logits = normal(rng, n, causes * intervals, 1);
        double[][] labels = new double[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = new double[] {rng.nextInt(intervals), rng.nextInt(causes + 1)};
        }
        SurvivalLoss loss = SurvivalLoss.deepHit(causes, intervals, 0.2, 0.1, Reduction.MEAN);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.DOUBLE, -1, loss.columns());
        sd.placeHolder("label", DataType.DOUBLE, -1, 2);
        in.add(sd.var("shift", Nd4j.zeros(DataType.DOUBLE, n, loss.columns()))).rename("out");
        KernelGradientLoss kernel = attach(sd, loss, false);
        GradientRecorder recorder = new GradientRecorder("shift");
        sd.fit(new SingletonMultiDataSetIterator(new MultiDataSet(logits, Nd4j.createFromArray(labels))), 1, recorder);

        INDArray l = Nd4j.createFromArray(labels);
        ValueAndGradient expected = new DeepHit(causes, 0.2, 0.1, Reduction.MEAN).valueAndGradient(logits,
                l.getColumn(0), l.getColumn(1));
        assertArrayEquals(expected.gradient().reshape(-1).toDoubleVector(), recorder.gradients.get(0).get("shift"));
        assertEquals(expected.value(), kernel.lastLoss());
    }

    /**
     * What listeners, {@code fit}'s history and {@link KernelGradientLoss#lastLoss()} report is the
     * kernel's likelihood of each batch, not the surrogate's value, nor SameDiff M2.1's 0.
     */
    @Test
    void listenersAndHistorySeeTheLikelihood() {
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        SameDiff sd = traceGraph(trace);
        KernelGradientLoss loss = attach(sd, SurvivalLoss.cox(Ties.EFRON), false);
        GradientRecorder onGraph = new GradientRecorder(WEIGHTS); // added after the loss: called after it
        sd.addListeners(onGraph);
        GradientRecorder passed = new GradientRecorder(WEIGHTS); // given to fit after loss.listener()
        List<Double> expected = new ArrayList<>();
        for (int b = 0; b < 4; b++) { // each batch's likelihood on the weights it is taken on
            DataSet batch = rows(trace, 16 * b, 16 * b + 16);
            INDArray logHz = sd.output(Map.of("in", batch.getFeatures()), "out").get("out");
            expected.add(CoxPartialLikelihood.efron().value(logHz.castTo(DataType.DOUBLE),
                    batch.getLabels().getColumn(0), batch.getLabels().getColumn(1)));
            History history = sd.fit(new ViewIterator(batch, 16), 1, loss.listener(), passed);
            // History keeps a float; the value written is the same double as below
            assertEquals(expected.get(b), history.lossCurve().lastMeanLoss(loss.lossName()), 1e-6 * expected.get(b),
                    "history");
        }
        assertEquals(4, loss.iterations());
        for (int b = 0; b < 4; b++) {
            // the outputs the test computes are the ones the step's forward pass computes: the same value
            assertEquals(expected.get(b), onGraph.losses.get(b)[0], 1e-12 * expected.get(b), "graph listener");
            assertEquals(expected.get(b), passed.losses.get(b)[0], 1e-12 * expected.get(b), "fit's listener");
        }
        assertEquals(expected.get(3), loss.lastLoss(), 1e-12 * expected.get(3));
        assertEquals(List.of(loss.lossName()), sd.getLossVariables());
    }

    @Test
    void badLabelsAndOutputsStopFitBeforeTheStep() {
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        SameDiff sd = traceGraph(trace);
        attach(sd, SurvivalLoss.cox(Ties.EFRON), false);
        INDArray w0 = sd.getArrForVarName("W0").dup();
        DataSet negative = rows(trace, 0, 16);
        negative.getLabels().putScalar(3, 0, -1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sd.fit(new ViewIterator(negative, 16), 1));
        assertTrue(e.getMessage().contains("time"), e.getMessage());
        DataSet nan = rows(trace, 0, 16);
        nan.getFeatures().putScalar(2, 1, Float.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> sd.fit(new ViewIterator(nan, 16), 1));
        assertTrue(e.getMessage().contains("online output out"), e.getMessage());
        assertEquals(w0, sd.getArrForVarName("W0"), "no step was taken");
    }

    @Test
    void calculateGradientsIsRefusedRatherThanGivenAStaleGradient() {
        MomentumTrace trace = MomentumTrace.load("cox_b16_s4");
        SameDiff sd = traceGraph(trace);
        attach(sd, SurvivalLoss.cox(Ties.EFRON), false);
        DataSet batch = rows(trace, 0, 16);
        sd.fit(new ViewIterator(batch, 16), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sd.calculateGradients(
                Map.of("in", batch.getFeatures(), "label", batch.getLabels()), "W0"));
        assertTrue(e.getMessage().contains("calculateGradients"), e.getMessage());
    }

    @Test
    void builderRejectsWhatCannotWork() {
        MomentumTrace trace = MomentumTrace.load("weibull_b16_s4");
        SameDiff sd = traceGraph(trace);
        sd.placeHolder("strata", DataType.FLOAT, -1);
        int variables = sd.variables().size();
        KernelGradientLoss.Builder weibull = KernelGradientLoss.builder(sd).output("out").labels("label")
                .loss(SurvivalLoss.weibull());
        assertThrows(IllegalArgumentException.class, () -> weibull.strata("strata").build()); // strata: Cox only
        assertThrows(IllegalArgumentException.class, () -> KernelGradientLoss.builder(sd).output("out").labels("label")
                .loss(null).build());
        assertThrows(IllegalArgumentException.class, () -> KernelGradientLoss.builder(sd).output("in").labels("label")
                .loss(SurvivalLoss.weibull()).build()); // not computed by an op
        assertThrows(IllegalArgumentException.class, () -> KernelGradientLoss.builder(sd).output("out").labels("W0")
                .loss(SurvivalLoss.weibull()).build()); // not a placeholder
        assertEquals(variables, sd.variables().size(), "nothing added");
        SameDiff counting = net3(trace);
        assertThrows(IllegalArgumentException.class, () -> KernelGradientLoss.builder(counting).output("out")
                .labels("label").loss(SurvivalLoss.weibull()).build()); // [n, 3] labels are Cox's
        SameDiff marked = traceGraph(trace);
        marked.getVariable("out").sum().markAsLoss();
        assertThrows(IllegalArgumentException.class, () -> attach(marked, SurvivalLoss.weibull(), false));
    }

    /**
     * {@code sd.save} keeps the surrogate; a {@code KernelGradientLoss} built on the loaded graph
     * attaches to it, and training goes on bit for bit as if it had not stopped (Adam's state
     * included).
     */
    @Test
    void aSavedGraphResumesBitForBit(@TempDir Path dir) throws Exception {
        MomentumTrace trace = MomentumTrace.load("weibull_b16_s4");
        SameDiff whole = traceGraph(trace);
        attach(whole, SurvivalLoss.weibull(), false);
        whole.getTrainingConfig().setUpdater(new Adam(1e-2));
        whole.fit(new ViewIterator(rows(trace, 0, 96), 16), 1);

        SameDiff first = traceGraph(trace);
        attach(first, SurvivalLoss.weibull(), false);
        first.getTrainingConfig().setUpdater(new Adam(1e-2));
        first.fit(new ViewIterator(rows(trace, 0, 48), 16), 1);
        File file = dir.resolve("graph.fb").toFile();
        first.save(file, true);
        SameDiff loaded = SameDiff.load(file, true); // its training configuration and Adam's state included
        KernelGradientLoss resumed = KernelGradientLoss.builder(loaded).output("out").labels("label")
                .loss(SurvivalLoss.weibull()).build();
        assertEquals(List.of("survival/loss"), loaded.getLossVariables(), "found, not added again");
        loaded.fit(new ViewIterator(rows(trace, 48, 96), 16), 1);
        assertEquals(3, resumed.iterations());
        assertTrue(Double.isFinite(resumed.lastLoss()));
        for (String w : WEIGHTS) {
            assertArrayEquals(whole.getArrForVarName(w).reshape(-1).toFloatVector(), loaded.getArrForVarName(w).reshape(-1)
                    .toFloatVector(), w);
        }
    }

    /** Attaches the loss with a fresh training configuration (Sgd), mapping "in", "label" and maybe "strata". */
    private static KernelGradientLoss attach(SameDiff sd, SurvivalLoss loss, boolean strata) {
        KernelGradientLoss.Builder b = KernelGradientLoss.builder(sd).output("out").labels("label").loss(loss);
        if (strata && !sd.hasVariable("strata")) {
            sd.placeHolder("strata", DataType.DOUBLE, -1);
        }
        KernelGradientLoss kernel = (strata ? b.strata("strata") : b).build();
        TrainingConfig.Builder config = TrainingConfig.builder().updater(new Sgd(0.01)).dataSetFeatureMapping("in");
        config = strata ? config.dataSetLabelMapping("label", "strata") : config.dataSetLabelMapping("label");
        sd.setTrainingConfig(config.build());
        return kernel;
    }

    private static MultiDataSet batch(INDArray x, INDArray labels, int[] strata) {
        if (strata == null) {
            return new MultiDataSet(x, labels);
        }
        INDArray s = Nd4j.createFromArray(strata).castTo(DataType.DOUBLE);
        return new MultiDataSet(new INDArray[] {x}, new INDArray[] {labels, s});
    }

    private static SameDiff traceGraph(MomentumTrace trace) {
        return TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"), trace.init().get("W1"),
                trace.init().get("b1"));
    }

    private static SameDiff net3(MomentumTrace trace) {
        return TwoLayerGraph.of(trace.init().get("W0"), trace.init().get("b0"), trace.init().get("W1"),
                trace.init().get("b1"), 3);
    }

    private static DataSet rows(MomentumTrace trace, int from, int to) {
        return new DataSet(trace.x().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
                trace.labels().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
    }

    /** Entry times below the stop times: 0 for half the rows, a fraction of the stop for the others. */
    private static INDArray entryTimes(INDArray stop, long seed) {
        Random rng = new Random(seed);
        double[] t = stop.castTo(DataType.DOUBLE).toDoubleVector();
        double[] s = new double[t.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextBoolean() ? 0 : t[i] * rng.nextDouble() * 0.9;
        }
        return Nd4j.createFromArray(s);
    }

    private static INDArray normal(Random rng, int rows, int columns, double sd) {
        double[][] m = new double[rows][columns];
        for (double[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = rng.nextGaussian() * sd;
            }
        }
        return Nd4j.createFromArray(m);
    }

    private static Map<String, double[]> doubles(Map<String, INDArray> arrays) {
        Map<String, double[]> out = new java.util.HashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector()));
        return out;
    }

    /** The weights of a double 4-8-k tanh network, to build equal graphs from. */
    private static final class Network {
        final INDArray w0;
        final INDArray b0;
        final INDArray w1;
        final INDArray b1;

        Network(Random rng, int in, int hidden, int out) {
            w0 = normal(rng, in, hidden, 0.5);
            b0 = normal(rng, 1, hidden, 0.1);
            w1 = normal(rng, hidden, out, 0.3);
            b1 = normal(rng, 1, out, 0.1);
        }

        SameDiff graph(long labelColumns) {
            return TwoLayerGraph.of(w0, b0, w1, b1, (int) labelColumns);
        }
    }
}
