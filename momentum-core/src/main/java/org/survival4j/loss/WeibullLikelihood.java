package org.survival4j.loss;

import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;

/**
 * The negative log-likelihood of a Weibull accelerated-failure-time model whose network outputs,
 * per row, the log scale \( a = \log\lambda \) and the log shape \( b = \log\rho \).
 *
 * <p>With hazard \( h(t) = \frac{\rho}{\lambda}(t/\lambda)^{\rho-1} \) and cumulative hazard
 * \( H(t) = (t/\lambda)^\rho \), a row with time \( t \) and event indicator \( \delta \) contributes
 * \[ -\big(\delta \log h(t) - H(t)\big) = -\delta\,(b + \rho z - \log t) + e^{\rho z},
 *    \qquad z = \log t - a, \]
 * with derivatives \( \partial/\partial a = \rho(\delta - H) \) and
 * \( \partial/\partial b = -\delta + \rho z (H - \delta) \) (derivation in {@code docs/math/weibull.md}).
 * These are the density and survival function of R's {@code dweibull(shape = rho, scale = lambda)}.
 * A one-column output means \( \rho = 1 \): the exponential model.
 *
 * <p>Every row counts, censored or not; an all-censored batch is fine. A censored row at time 0
 * contributes exactly 0 (\( H(0) = 0 \)). An event at time 0 has density 0 or infinity unless
 * \( \rho = 1 \); its time is raised to {@link #TIME_FLOOR} so that the loss stays finite. No row
 * is ever dropped. {@link Reduction#MEAN} divides by the number of rows.
 *
 * <p>Cost: \( O(n) \), a handful of {@code exp}/{@code log} per row. Immutable and thread-safe.
 *
 * <pre>{@code
 * WeibullLikelihood w = new WeibullLikelihood(Reduction.SUM);
 * INDArray logParams = Nd4j.createFromArray(new double[][] {{0.0, 0.0}}); // lambda = rho = 1
 * double v = w.value(logParams, Nd4j.createFromArray(2.0), Nd4j.createFromArray(1.0)); // 2.0 = -log(e^-2)
 * }</pre>
 *
 * @since 0.1
 */
public final class WeibullLikelihood {
    /**
     * Times below this (events at time 0, and any row with a time in {@code (0, 1e-10)}) are evaluated
     * at this time; a censored row at time 0 contributes exactly 0 instead. Only an event at time 0 is
     * affected in practice.
     */
    public static final double TIME_FLOOR = 1e-10;

    private final Reduction reduction;

    /** @param reduction SUM, or MEAN over rows */
    public WeibullLikelihood(Reduction reduction) {
        this.reduction = SurvivalArguments.checkNotNull(reduction, "reduction");
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss value.
     *
     * @param logParams {@code [n, 2]} = (log scale, log shape), or {@code [n, 1]} / {@code [n]} = log scale with shape 1
     * @param time observed times, {@code [n]}, finite and {@code >= 0}
     * @param event 1 = event, 0 = censored, {@code [n]}
     */
    public double value(INDArray logParams, INDArray time, INDArray event) {
        return compute(logParams, time, event, -1).value();
    }

    /** d value / d logParams, same shape and data type as {@code logParams}. */
    public INDArray gradient(INDArray logParams, INDArray time, INDArray event) {
        return compute(logParams, time, event, 0).gradient();
    }

    /** Value and gradient in one pass. */
    public ValueAndGradient valueAndGradient(INDArray logParams, INDArray time, INDArray event) {
        return compute(logParams, time, event, 0);
    }

    /** Value over all rows, gradient for rows {@code firstRow..n-1} only (the momentum path). */
    public ValueAndGradient valueAndGradient(INDArray logParams, INDArray time, INDArray event, int firstRow) {
        SurvivalArguments.checkNotNull(logParams, "logParams");
        SurvivalArguments.inRange(firstRow, "firstRow", 0, logParams.size(0), true);
        return compute(logParams, time, event, firstRow);
    }

    /**
     * As {@link #valueAndGradient(INDArray, INDArray, INDArray, int)} for Java arrays, one row of 1
     * or 2 columns per sample: no ND4J array is read or made (the gradient is
     * {@code [n - firstRow, columns]}, DOUBLE, built only if {@link ValueAndGradient#gradient()} is
     * called). The form a training loop uses per step.
     */
    public ValueAndGradient valueAndGradient(double[][] logParams, double[] time, double[] event, int firstRow) {
        double[][] p = SurvivalArguments.finiteCells(logParams, "logParams");
        int columns = p.length == 0 ? 1 : p[0].length;
        for (int i = 0; i < p.length; i++) {
            if (p[i].length != columns || columns < 1 || columns > 2) {
                throw new IllegalArgumentException("logParams row " + i + " has " + p[i].length + " columns: every"
                        + " row needs the same 1 (log scale) or 2 (log scale, log shape)");
            }
        }
        SurvivalArguments.inRange(firstRow, "firstRow", 0, p.length, true);
        return compute(p, SurvivalArguments.time(time, "time", p.length),
                SurvivalArguments.event(event, "event", p.length), firstRow, columns, DataType.DOUBLE, 2);
    }

    private ValueAndGradient compute(INDArray logParams, INDArray time, INDArray event, int firstRow) {
        double[][] p = SurvivalArguments.finiteColumns(logParams, "logParams", 2);
        int n = p.length;
        int columns = logParams.rank() == 1 ? 1 : (int) logParams.size(1);
        return compute(p, SurvivalArguments.time(time, "time", n), SurvivalArguments.event(event, "event", n),
                firstRow, columns, logParams.dataType(), logParams.rank());
    }

    /** The likelihood on checked inputs; the gradient gets the given data type and rank. */
    private ValueAndGradient compute(double[][] p, double[] t, boolean[] e, int firstRow, int columns,
                                     DataType type, int rank) {
        int n = p.length;
        double[] grad = firstRow < 0 ? null : new double[(n - firstRow) * columns];
        double sum = 0;
        int events = 0;
        for (int i = 0; i < n; i++) {
            double a = p[i][0];
            double b = columns == 2 ? p[i][1] : 0;
            double da;
            double db;
            if (e[i]) {
                events++;
            }
            if (t[i] == 0 && !e[i]) {
                da = 0; // H(0) = 0 whatever the parameters
                db = 0;
            } else {
                double rho = Math.exp(b);
                double logT = Math.log(Math.max(t[i], TIME_FLOOR));
                double z = logT - a;
                double cumHazard = Math.exp(rho * z);
                double delta = e[i] ? 1 : 0;
                sum += cumHazard - delta * (b + rho * z - logT);
                da = rho * (delta - cumHazard);
                db = -delta + rho * z * (cumHazard - delta);
                if (!Double.isFinite(sum) || !Double.isFinite(da) || !Double.isFinite(db)) {
                    throw overflow(i, a, b, t[i], rho * z);
                }
            }
            if (grad != null && i >= firstRow) {
                grad[(i - firstRow) * columns] = da;
                if (columns == 2) {
                    grad[(i - firstRow) * columns + 1] = db;
                }
            }
        }
        double scale = reduction == Reduction.MEAN && n > 0 ? 1.0 / n : 1.0;
        long[] shape = null;
        if (grad != null) {
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= scale;
            }
            shape = rank == 2 ? new long[] {n - firstRow, columns} : new long[] {n - firstRow};
        }
        return new ValueAndGradient(sum * scale, grad, type, shape, Math.max(firstRow, 0), events);
    }

    /**
     * Checks that no row's cumulative hazard exponent \( \rho (\log t - \log\lambda) \) exceeds
     * {@code maxExponent}: for a graph that computes the likelihood in a precision narrower than
     * double (float overflows above about 88), so that it is refused with the row named rather than
     * turning into an infinite loss and NaN gradients.
     *
     * @param logParams {@code [n][1 or 2]}: log scale, and log shape if present
     * @param time {@code n} times
     * @throws IllegalArgumentException naming the first row that exceeds it
     */
    public static void checkExponent(double[][] logParams, double[] time, double maxExponent) {
        for (int i = 0; i < logParams.length; i++) {
            double b = logParams[i].length == 2 ? logParams[i][1] : 0;
            double exponent = Math.exp(b) * (Math.log(Math.max(time[i], TIME_FLOOR)) - logParams[i][0]);
            if (time[i] > 0 && !(exponent <= maxExponent)) {
                throw overflow(i, logParams[i][0], b, time[i], exponent);
            }
        }
    }

    /**
     * The error for a row whose cumulative hazard \( (t/\lambda)^\rho = e^{\rho (\log t - \log\lambda)} \)
     * (or its gradient) overflows a double: the likelihood is infinite there, so there is nothing
     * stable to compute; such outputs come from a diverging network or an output layer started far
     * from plausible parameters.
     */
    private static IllegalArgumentException overflow(int row, double logScale, double logShape, double time,
                                             double exponent) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "logParams[%d] = (log scale %s,"
                + " log shape %s) at time %s: the Weibull cumulative hazard (t / scale)^shape = exp(%.4g) overflows,"
                + " so the loss is infinite. Outputs this extreme mean a diverging network, or an output layer"
                + " started far from a plausible scale and shape (start its biases at the marginal Weibull fit)",
                row, logScale, logShape, time, exponent));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeibullLikelihood w && w.reduction == reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reduction);
    }

    @Override
    public String toString() {
        return "WeibullLikelihood(reduction=" + reduction + ")";
    }
}
