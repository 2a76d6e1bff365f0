package org.survival4j.momentum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.survival4j.data.NDArrays;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.loss.WeibullLikelihood;
import org.survival4j.testing.MomentumTrace;
import org.survival4j.testing.TraceComparison;

/**
 * The momentum step of {@link MomentumEngine} on plain arrays ({@link PlainNetworks}): the pooling
 * of bank rows, the EMA after the optimizer step, the bank bookkeeping and the undo of a diverged
 * step. Both front ends run this engine; their own tests check only their framework hooks.
 */
class MomentumEngineTest {
    /**
     * The torchsurv traces (see {@code org/survival4j/traces/README.md}) reproduced with the engine
     * and nothing else: the loss on [bank rows ; batch rows] with a gradient for the batch rows, a
     * plain SGD step, then {@link MomentumEngine#stepDone}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cox_b16_s4", "weibull_b16_s4"})
    void reproducesTorchsurvTrace(String name) {
        MomentumTrace trace = MomentumTrace.load(name);
        int batch = trace.config("batch");
        boolean cox = trace.loss().equals("cox");
        PlainNetworks networks = new PlainNetworks(trace.init());
        MomentumEngine engine = new MomentumEngine(trace.momentumConfig(), networks, cox);

        double[] expected = trace.losses();
        for (int i = 0; i < expected.length; i++) {
            INDArray x = trace.x().get(NDArrayIndex.interval(i * batch, (i + 1) * batch), NDArrayIndex.all());
            INDArray labels = trace.labels().get(NDArrayIndex.interval(i * batch, (i + 1) * batch), NDArrayIndex.all());
            double[] time = labels.getColumn(0).toDoubleVector();
            double[] event = labels.getColumn(1).toDoubleVector();

            BankRows bank = engine.bankRowsFor(batch);
            double[][] pooled = bank.outputThen(NDArrays.rows(PlainNetworks.forward(networks.online, x)));
            ValueAndGradient vg = cox
                    ? CoxPartialLikelihood.efron().valueAndGradient(column(pooled), bank.timeThen(time),
                            bank.eventThen(event), null, bank.size())
                    : new WeibullLikelihood(Reduction.MEAN).valueAndGradient(pooled, bank.timeThen(time),
                            bank.eventThen(event), bank.size());
            networks.sgdStep(x, vg.gradient().reshape(batch, pooled[0].length), trace.configReal("lr"));
            networks.batch = x;
            engine.stepDone(time, event, vg::value);
            TraceComparison.assertLoss(expected[i], engine.lastLoss(), "iteration " + i);
        }

        String[] names = {"W0", "b0", "W1", "b1"};
        for (int i = 0; i < names.length; i++) {
            String w = names[i];
            TraceComparison.assertClose(trace.onlineFinal().get(w), networks.online.get(i), "online " + w);
            TraceComparison.assertClose(trace.targetFinal().get(w), networks.target.get(i), "target " + w);
        }
        TraceComparison.assertClose(trace.probeTargetOutput(), PlainNetworks.forward(networks.target,
                trace.x().get(NDArrayIndex.interval(0, 4 * batch), NDArrayIndex.all())), "probe target output");
        assertEquals(expected.length, engine.iterations());
        assertEquals(trace.bankSize(), engine.bankSize(), "bank size");
    }

    @Test
    void aBatchIsPooledWithTheNewestBankRowsUpToTheCapacity() {
        PlainNetworks networks = networks();
        MomentumEngine engine = new MomentumEngine(MomentumConfig.builder().batchSize(2).steps(3).rate(0.5).build(),
                networks, true);
        assertEquals(0, engine.bankRowsFor(2).size());
        for (int step = 0; step < 4; step++) {
            networks.batch = Nd4j.rand(DataType.FLOAT, 2, 8);
            engine.stepDone(new double[] {step, step + 0.5}, new double[] {1, 0}, () -> 0);
        }
        assertEquals(6, engine.bankSize());
        BankRows four = engine.bankRowsFor(2); // capacity 6 - batch 2
        assertEquals(4, four.size());
        assertEquals(List.of(2.0, 2.5, 3.0, 3.5), boxed(four.timeThen(new double[0])));
        assertTrue(four == engine.bankRowsFor(2), "the same snapshot while nothing changes");
        assertEquals(5, engine.bankRowsFor(1).size());
        assertEquals(6, engine.bankRowsFor(0).size());
    }

    @Test
    void stepsWithoutEventsInBankAndBatchAreCountedForCoxOnly() {
        for (boolean cox : new boolean[] {true, false}) {
            PlainNetworks networks = networks();
            MomentumEngine engine = new MomentumEngine(MomentumConfig.builder().batchSize(2).steps(2).build(),
                    networks, cox);
            networks.batch = Nd4j.rand(DataType.FLOAT, 2, 8);
            engine.stepDone(new double[] {1, 2}, new double[] {0, 0}, () -> 0); // empty bank, no event
            engine.stepDone(new double[] {3, 4}, new double[] {0, 0}, () -> 0); // bank without events
            engine.stepDone(new double[] {5, 6}, new double[] {1, 0}, () -> 1); // an event in the batch
            engine.stepDone(new double[] {7, 8}, new double[] {0, 0}, () -> 1); // an event in the bank
            assertEquals(cox ? 2 : 0, engine.batchesWithoutEvents(), "cox " + cox);
            assertEquals(4, engine.iterations());
        }
    }

    @Test
    void theLastLossIsEvaluatedOnceWhenAskedFor() {
        PlainNetworks networks = networks();
        MomentumEngine engine = new MomentumEngine(MomentumConfig.builder().batchSize(2).build(), networks, true);
        assertTrue(Double.isNaN(engine.lastLoss()));
        int[] calls = {0};
        networks.batch = Nd4j.rand(DataType.FLOAT, 2, 8);
        engine.stepDone(new double[] {1, 2}, new double[] {1, 0}, () -> ++calls[0]);
        assertEquals(0, calls[0]);
        assertEquals(1.0, engine.lastLoss());
        assertEquals(1.0, engine.lastLoss());
        assertEquals(1, calls[0]);
    }

    @Test
    void aDivergedStepLeavesTargetBankAndCountersAsTheyWere() {
        PlainNetworks networks = networks();
        MomentumEngine engine = new MomentumEngine(MomentumConfig.builder().batchSize(2).steps(2).rate(0).build(),
                networks, true);
        networks.batch = Nd4j.rand(DataType.FLOAT, 2, 8);
        engine.stepDone(new double[] {1, 2}, new double[] {1, 0}, () -> 1);
        List<INDArray> target = copies(networks.target);
        INDArray bank = engine.bankRows();

        networks.online.get(2).putScalar(1, Float.NaN); // an optimizer step that overflowed
        IllegalStateException nan = assertThrows(IllegalStateException.class,
                () -> engine.stepDone(new double[] {3, 4}, new double[] {1, 1}, () -> 2));
        assertTrue(nan.getMessage().contains("online parameter W1") && nan.getMessage().contains("iteration 2")
                && nan.getMessage().contains("diverged"), nan.getMessage());
        assertEquals(target, networks.target);
        assertEquals(bank, engine.bankRows());
        assertEquals(1, engine.iterations());
        assertEquals(2.0, engine.lastLoss(), "the loss the diverged step was taken on");

        networks.online.get(2).assign(Float.MAX_VALUE); // finite weights, infinite output
        IllegalStateException huge = assertThrows(IllegalStateException.class,
                () -> engine.stepDone(new double[] {3, 4}, new double[] {1, 1}, () -> 2));
        assertTrue(huge.getMessage().contains("target output[0, 0] = ") && huge.getMessage().contains("diverged"),
                huge.getMessage());
        assertEquals(target, networks.target, "the EMA step was undone");
        assertEquals(bank, engine.bankRows());
        assertEquals(1, engine.iterations());
    }

    @Test
    void rejectsLabelsThatAreNotSurvivalLabelsBeforeAnythingChanges() {
        PlainNetworks networks = networks();
        MomentumEngine engine = new MomentumEngine(MomentumConfig.builder().batchSize(2).rate(0).build(),
                networks, true);
        networks.online.get(0).addi(1);
        List<INDArray> target = copies(networks.target);
        assertThrows(IllegalArgumentException.class, () -> engine.stepDone(new double[] {1, -1},
                new double[] {1, 0}, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> engine.stepDone(new double[] {1, 1},
                new double[] {1, 2}, () -> 0));
        assertEquals(target, networks.target);
        assertEquals(0, engine.iterations());
    }

    /**
     * An engine for two causes keeps each row's cause in the bank (a pooled loss sees it) and
     * refuses codes above 2 before anything changes; the steps without an event of any cause are
     * counted as for Cox.
     */
    @Test
    void anEngineForCausesKeepsThemAndRefusesOthers() {
        PlainNetworks networks = networks();
        MomentumEngine engine = new MomentumEngine(MomentumConfig.builder().batchSize(2).steps(2).rate(0).build(),
                networks, true, 2);
        assertEquals(2, engine.causes());
        networks.batch = Nd4j.rand(DataType.FLOAT, 2, 8);
        engine.stepDone(new double[] {1, 2}, new double[] {2, 0}, () -> 1);
        engine.stepDone(new double[] {3, 4}, new double[] {0, 1}, () -> 1);
        assertEquals(List.of(2.0, 0.0, 0.0, 1.0), boxed(engine.bankRowsFor(0).eventThen(new double[0])));
        networks.online.get(0).addi(1);
        List<INDArray> target = copies(networks.target);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.stepDone(new double[] {5, 6}, new double[] {3, 0}, () -> 0));
        assertTrue(e.getMessage().startsWith("cause[0] = 3.0"), e.getMessage());
        assertEquals(target, networks.target);
        assertEquals(2, engine.iterations());
        assertThrows(IllegalArgumentException.class, () -> new MomentumEngine(MomentumConfig.builder().build(),
                networks, true, 0));
    }

    private static PlainNetworks networks() {
        return new PlainNetworks(MomentumTrace.load("cox_b16_s4").init());
    }

    private static List<INDArray> copies(List<INDArray> arrays) {
        List<INDArray> copies = new ArrayList<>();
        arrays.forEach(a -> copies.add(a.dup()));
        return copies;
    }

    private static List<Double> boxed(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    private static double[] column(double[][] rows) {
        double[] column = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            column[i] = rows[i][0];
        }
        return column;
    }
}
