package org.survival4j.samediff;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.WeibullLikelihood;

/**
 * The negative log-likelihood of the Weibull accelerated-failure-time model as a SameDiff graph
 * function, differentiable by SameDiff's autodiff with respect to the log parameters.
 *
 * <p>It computes the same function as {@link WeibullLikelihood}: a row with log scale
 * \( a = \log\lambda \), log shape \( b = \log\rho \), time \( t \) and event indicator \( \delta \)
 * contributes
 * \[ e^{\rho z} - \delta\,(b + \rho z - \log t), \qquad z = \log t - a, \]
 * the negative log of R's {@code dweibull(t, shape = rho, scale = lambda)} for an event and of
 * {@code pweibull(t, ..., lower.tail = FALSE)} for a censored row (derivation in
 * {@code docs/math/weibull.md}). The {@link #exponential exponential} variant takes a one-column
 * output, the log scale, with \( \rho = 1 \). (The kernel reads the number of columns from the array;
 * a graph often does not know the shape of an op's output before it runs, so here it is chosen when
 * the loss is created.)
 * Time-0 conventions as {@link WeibullLikelihood}: a censored row at time 0 contributes exactly 0
 * with a zero gradient, an event time below {@link WeibullLikelihood#TIME_FLOOR} is evaluated at the
 * floor, and no row is dropped. SUM adds the rows; MEAN divides by the number of rows.
 *
 * <p>The graph is element-wise ({@code exp}, {@code log}, products with label-derived masks) plus
 * column slicing and one sum. The labels may be constants or a placeholder: the label-derived terms
 * (\( \log t \) with the floor, the time-0 mask) are computed in the graph, where no gradient flows
 * into them. A row contributes an infinite loss only where the kernel's does too
 * (\( \rho z \) above about 709 in double).
 *
 * <p>Instances are immutable and thread-safe; the methods add ops to the given {@code SameDiff}, which is not.
 *
 * <pre>{@code
 * SameDiff sd = SameDiff.create();
 * SDVariable logParams = sd.var("logParams", Nd4j.createFromArray(new double[][] {{0.0, 0.0}})); // lambda = rho = 1
 * INDArray labels = Nd4j.createFromArray(new double[][] {{2.0, 1.0}});                            // event at t = 2
 * SDVariable loss = new SameDiffWeibullLoss(Reduction.SUM).negativeLogLikelihood(sd, logParams, labels);
 * loss.eval(); // 2.0 = -log(e^-2)
 * }</pre>
 *
 * @since 0.1
 */
public final class SameDiffWeibullLoss {
    private final Reduction reduction;
    private final boolean exponential;

    /**
     * The Weibull loss on two output columns, (log scale, log shape).
     *
     * @param reduction SUM, or MEAN over rows
     */
    public SameDiffWeibullLoss(Reduction reduction) {
        this(reduction, false);
    }

    private SameDiffWeibullLoss(Reduction reduction, boolean exponential) {
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
        this.exponential = exponential;
    }

    /**
     * The exponential special case (\( \rho = 1 \)) on one output column, the log scale.
     *
     * @param reduction SUM, or MEAN over rows
     */
    public static SameDiffWeibullLoss exponential(Reduction reduction) {
        return new SameDiffWeibullLoss(reduction, true);
    }

    /** The number of output columns this loss reads: 2 (log scale, log shape), or 1 for the exponential model. */
    public int parameterColumns() {
        return exponential ? 1 : 2;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss for fixed labels, which are checked and enter the graph as a constant.
     *
     * @param sd the graph to add the ops to
     * @param logParams {@code [n, 2]} = (log scale, log shape); for the exponential model {@code [n, 1]}
     *                  or {@code [n]} = log scale
     * @param labels {@code [n, 2]}: time (finite, {@code >= 0}) and event (1 = event, 0 = censored)
     * @return a scalar variable of the parameters' type
     */
    public SDVariable negativeLogLikelihood(SameDiff sd, SDVariable logParams, INDArray labels) {
        SurvivalArguments.checkNotNull(sd, "sd");
        SurvivalArguments.checkNotNull(logParams, "logParams");
        return negativeLogLikelihood(sd, logParams, Labels.constant(sd, labels, logParams));
    }

    /**
     * The loss on labels already in the graph (a constant, or a placeholder fed each iteration). The
     * label values are not checked here: they must satisfy the rules of
     * {@link #negativeLogLikelihood(SameDiff, SDVariable, INDArray)}.
     *
     * @param sd the graph to add the ops to
     * @param logParams {@code [n, 2]}; for the exponential model {@code [n, 1]} or {@code [n]}
     * @param labels {@code [n, 2]} of the parameters' data type
     * @return a scalar variable of the parameters' type
     */
    public SDVariable negativeLogLikelihood(SameDiff sd, SDVariable logParams, SDVariable labels) {
        SurvivalArguments.checkNotNull(sd, "sd");
        SurvivalArguments.checkNotNull(logParams, "logParams");
        SurvivalArguments.checkNotNull(labels, "labels");
        SDVariable time = labels.get(SDIndex.all(), SDIndex.point(0));
        SDVariable event = labels.get(SDIndex.all(), SDIndex.point(1));
        SDVariable logTime = sd.math.log(sd.math.max(time,
                sd.constant(WeibullLikelihood.TIME_FLOOR).castTo(time.dataType())));
        // keep = 0 exactly for a censored row at time 0 (time + event = 0 there, > 0 elsewhere).
        SDVariable keep = sd.math.sign(time.add(event));

        checkColumns(logParams.getShape());
        SDVariable logScale = exponential ? sd.reshape(logParams, -1) : logParams.get(SDIndex.all(), SDIndex.point(0));
        // z is zeroed on kept-out rows so that exp(rho z) cannot overflow there (0 * inf would be NaN).
        SDVariable z = logTime.sub(logScale).mul(keep);
        SDVariable rows;
        if (!exponential) {
            SDVariable logShape = logParams.get(SDIndex.all(), SDIndex.point(1));
            SDVariable rhoZ = sd.math.exp(logShape).mul(z);
            rows = sd.math.exp(rhoZ).mul(keep).sub(event.mul(logShape.add(rhoZ).sub(logTime)));
        } else {
            rows = sd.math.exp(z).mul(keep).sub(event.mul(z.sub(logTime)));
        }
        return reduction == Reduction.MEAN ? rows.mean() : rows.sum();
    }

    /** Checks the output's shape where the graph knows it (op outputs often have no static shape). */
    private void checkColumns(long[] shape) {
        if (shape == null) {
            return;
        }
        long columns = shape.length == 1 ? 1 : shape.length == 2 ? shape[1] : -1;
        if (columns >= 0 || shape.length > 2) { // -1: unknown size of a placeholder
            SurvivalArguments.inRange(columns, "logParams columns (rank " + shape.length + ")", parameterColumns(),
                    parameterColumns(), true);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SameDiffWeibullLoss w && w.reduction == reduction && w.exponential == exponential;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reduction, exponential);
    }

    @Override
    public String toString() {
        return "SameDiffWeibullLoss(reduction=" + reduction + (exponential ? ", exponential" : "") + ")";
    }

    /**
     * Refuses pooled rows whose cumulative hazard would overflow in the graph's precision (in double
     * the closed-form kernel refuses them too), before the step: the graph would compute an
     * infinite loss and NaN gradients, and the step would be reported as diverged.
     *
     * @param logParams the pooled outputs {@code [n][1 or 2]}
     * @param time the pooled times
     * @param type the type the graph computes in
     */
    static void checkRange(double[][] logParams, double[] time, DataType type) {
        // exp(limit) stays finite: about 1e304, 2.2e38 (float max 3.4e38) and 2.2e4 (half max 6.5e4)
        double limit = type == DataType.DOUBLE ? 700 : type == DataType.HALF ? 10 : 88;
        WeibullLikelihood.checkExponent(logParams, time, limit);
    }
}
