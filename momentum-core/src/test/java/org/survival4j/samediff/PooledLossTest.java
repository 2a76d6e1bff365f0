package org.survival4j.samediff;

import static org.survival4j.samediff.GraphResult.assertClose;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.loss.WeibullLikelihood;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.GoldenData;

/**
 * The loss that momentum training differentiates, on [bank ; batch] with a partly filled bank,
 * against the closed-form kernels with {@code firstRow} = the number of bank rows: the first
 * {@value #BANK} rows of a golden case (R's lung and gbsg data, survival 3.5.3, with tied times)
 * fill the bank and the next {@value #BATCH} rows are the batch. Everything in double.
 */
class PooledLossTest {
    private static final int BANK = 100;
    private static final int BATCH = 16;
    /** Value and gradient in double: the graph and the kernel sum the same terms in another order. */
    private static final double REL = 1e-9;
    /** Gradient entries that cancel to almost 0 keep an absolute rounding error of a few 1e-16. */
    private static final double ABS = 1e-12;

    static Stream<Arguments> cases() {
        return GoldenData.CASES.stream().flatMap(c -> Stream.of(
                Arguments.of(c, SurvivalLoss.cox(Ties.EFRON, Reduction.MEAN)),
                Arguments.of(c, SurvivalLoss.cox(Ties.EFRON, Reduction.SUM)),
                Arguments.of(c, SurvivalLoss.cox(Ties.BRESLOW, Reduction.MEAN)),
                Arguments.of(c, SurvivalLoss.weibull(Reduction.MEAN)),
                Arguments.of(c, SurvivalLoss.weibull(Reduction.SUM)),
                Arguments.of(c, SurvivalLoss.exponential(Reduction.MEAN))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void valueAndBatchGradientMatchKernelWithPartlyFilledBank(String caseName, SurvivalLoss loss) {
        GoldenData rows = GoldenData.rows(caseName);
        int n = BANK + BATCH;
        INDArray outputs = (loss.columns() == 1
                ? rows.matrix(loss.isCox() ? "log_hz" : "log_scale")
                : rows.matrix("log_scale", "log_shape")).get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        INDArray labels = rows.matrix("time", "event").get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        INDArray bankOut = outputs.get(NDArrayIndex.interval(0, BANK), NDArrayIndex.all());
        INDArray batchOut = outputs.get(NDArrayIndex.interval(BANK, n), NDArrayIndex.all()).dup();
        INDArray batchLabels = labels.get(NDArrayIndex.interval(BANK, n), NDArrayIndex.all()).dup();

        // The batch output is "in + shift" with shift = 0, so d loss / d shift = d loss / d output.
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.DOUBLE, -1, loss.columns());
        sd.placeHolder("label", DataType.DOUBLE, -1, 2);
        in.add(sd.var("shift", Nd4j.zeros(DataType.DOUBLE, BATCH, loss.columns()))).rename("out");
        SameDiffMomentum momentum = SameDiffMomentum.builder(sd).features("in").output("out").labels("label")
                .loss(loss).config(MomentumConfig.builder().batchSize(BATCH).steps(8).build()).updater(new Sgd(0.1))
                .graphLoss(true).build();
        // What the listener does before the forward pass: set the bank constants and the pooled labels.
        // Fed twice with the same shapes: the second feed overwrites the constants' arrays in place,
        // and the graph must see its values, not the first ones.
        PooledLoss pooled = PooledLoss.find(sd, GraphBinding.PREFIX, loss, momentum.config().bankCapacity());
        Map<String, INDArray> feed = Map.of("in", batchOut, "label", batchLabels);
        String lossName = pooled.lossName();
        pooled.feed(bankOut.add(1).reshape(-1).toDoubleVector(), null, labels.getColumn(0).add(3).toDoubleVector(),
                labels.getColumn(1).rsub(1).toDoubleVector());
        sd.output(feed, lossName);
        pooled.feed(bankOut.dup().reshape(-1).toDoubleVector(), null, labels.getColumn(0).toDoubleVector(),
                labels.getColumn(1).toDoubleVector());
        double value = sd.output(feed, lossName).get(lossName).getDouble(0);
        double[] gradient = sd.calculateGradients(feed, "shift").get("shift").reshape(-1).toDoubleVector();

        ValueAndGradient expected = loss.isCox()
                ? new CoxPartialLikelihood(loss.ties(), loss.reduction()).valueAndGradient(outputs,
                        labels.getColumn(0), labels.getColumn(1), null, BANK)
                : new WeibullLikelihood(loss.reduction()).valueAndGradient(outputs, labels.getColumn(0),
                        labels.getColumn(1), BANK);
        assertClose(expected.value(), value, REL, 0, "value");
        assertClose(expected.gradient().reshape(-1).toDoubleVector(), gradient, REL, ABS, "gradient");
    }
}
