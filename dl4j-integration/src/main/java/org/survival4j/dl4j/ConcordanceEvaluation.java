package org.survival4j.dl4j;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.evaluation.BaseEvaluation;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.IMetric;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.ConcordanceResult;
import org.survival4j.metrics.WeibullSurvival;

/**
 * A DL4J evaluation that collects a survival network's outputs over an evaluation set and reports
 * its concordance index: use it with {@code net.doEvaluation(iterator, new ConcordanceEvaluation())}
 * or {@code net.evaluate(iterator)}-style loops that call {@link #eval(INDArray, INDArray, INDArray, List)}.
 *
 * <p><b>Layout.</b> Labels are {@code [n, 2]} (time, event), as for the losses. A one-column output is
 * a Cox log hazard and is the risk score itself; a two-column output is a Weibull (log scale, log
 * shape) and its risk score is minus the predicted median time ({@link WeibullSurvival#medianTime}).
 * A labels mask ({@code [n, 1]} or {@code [n, 2]}) with 0 in a row's first column leaves the row out.
 *
 * <p><b>Metrics.</b> {@link Metric#HARRELL} and {@link Metric#UNO} (censoring weights from the
 * evaluation set itself) as computed by {@link ConcordanceIndex}; both are to be maximized. The C-index
 * compares rows across batches, so the evaluation keeps every row's risk, time and event (three
 * doubles per row, copied out of DL4J's arrays, never a reference to them) and computes the index
 * when asked. {@link #merge} appends another evaluation's rows.
 *
 * <p>An evaluation without events, or without a comparable pair, has no C-index: {@link #getValue}
 * then throws {@link org.survival4j.data.SurvivalArgumentException}. Not thread-safe (as DL4J's
 * evaluations): use one instance per thread and merge.
 *
 * <pre>{@code
 * ConcordanceEvaluation eval = net.doEvaluation(testIterator, new ConcordanceEvaluation())[0];
 * double c = eval.getValue(ConcordanceEvaluation.Metric.HARRELL);
 * System.out.println(eval.stats());
 * }</pre>
 *
 * @since 0.1
 */
public final class ConcordanceEvaluation extends BaseEvaluation<ConcordanceEvaluation> {
    private static final long serialVersionUID = 1L;

    /** The concordance indices this evaluation reports. */
    public enum Metric implements IMetric {
        /** Harrell's C. */
        HARRELL,
        /** Uno's C, with the censoring distribution of the evaluation set. */
        UNO;

        @Override
        public Class<? extends IEvaluation> getEvaluationClass() {
            return ConcordanceEvaluation.class;
        }

        @Override
        public boolean minimize() {
            return false;
        }
    }

    private double[] risk = new double[0];
    private double[] time = new double[0];
    private double[] event = new double[0];
    private int size;

    /** An empty evaluation. */
    public ConcordanceEvaluation() {
    }

    @Override
    public void eval(INDArray labels, INDArray networkPredictions, INDArray maskArray,
                     List<? extends Serializable> recordMetaData) {
        if (labels == null || labels.rank() != 2 || labels.size(1) != 2) {
            throw new IllegalArgumentException("labels must be [n, 2] (time, event), got "
                    + (labels == null ? "null" : Arrays.toString(labels.shape())));
        }
        int n = (int) labels.size(0);
        if (networkPredictions == null || networkPredictions.rank() != 2 || networkPredictions.size(0) != n
                || networkPredictions.size(1) < 1 || networkPredictions.size(1) > 2) {
            throw new IllegalArgumentException("predictions must be [" + n + ", 1] (log hazard) or [" + n
                    + ", 2] (Weibull log scale, log shape), got "
                    + (networkPredictions == null ? "null" : Arrays.toString(networkPredictions.shape())));
        }
        double[][] y = labels.toDoubleMatrix();
        double[] scores = riskScores(networkPredictions);
        double[][] mask = maskArray == null ? null : maskArray.reshape(n, -1).toDoubleMatrix();
        ensureCapacity(size + n);
        for (int i = 0; i < n; i++) {
            if (mask != null && mask[i][0] == 0) {
                continue;
            }
            risk[size] = scores[i];
            time[size] = y[i][0];
            event[size] = y[i][1];
            size++;
        }
    }

    /** Log hazard as is; Weibull: minus the median (a shorter median is a higher risk). */
    private static double[] riskScores(INDArray predictions) {
        if (predictions.size(1) == 1) {
            return predictions.reshape(predictions.size(0)).toDoubleVector();
        }
        return WeibullSurvival.medianTime(predictions.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).neg()
                .toDoubleVector();
    }

    @Override
    public void merge(ConcordanceEvaluation other) {
        if (other == null || other.size == 0) {
            return;
        }
        ensureCapacity(size + other.size);
        System.arraycopy(other.risk, 0, risk, size, other.size);
        System.arraycopy(other.time, 0, time, size, other.size);
        System.arraycopy(other.event, 0, event, size, other.size);
        size += other.size;
    }

    @Override
    public void reset() {
        risk = new double[0];
        time = new double[0];
        event = new double[0];
        size = 0;
    }

    /** Number of rows collected. */
    public int rows() {
        return size;
    }

    /** Harrell's C with standard errors and intervals (see {@link ConcordanceResult}). */
    public ConcordanceResult harrellResult() {
        return ConcordanceIndex.harrellResult(vector(risk), vector(time), vector(event));
    }

    @Override
    public double getValue(IMetric metric) {
        if (metric == Metric.HARRELL) {
            return ConcordanceIndex.harrell(vector(risk), vector(time), vector(event));
        }
        if (metric == Metric.UNO) {
            INDArray t = vector(time);
            INDArray e = vector(event);
            return ConcordanceIndex.uno(vector(risk), t, e, t, e);
        }
        throw new IllegalArgumentException("unsupported metric " + metric + ": use ConcordanceEvaluation.Metric");
    }

    @Override
    public String stats() {
        int events = 0;
        for (int i = 0; i < size; i++) {
            events += event[i] == 1 ? 1 : 0;
        }
        if (events == 0) {
            return String.format(Locale.ROOT, "Concordance: n = %d, no events, C-index undefined", size);
        }
        ConcordanceResult r = harrellResult();
        return String.format(Locale.ROOT, "Concordance: n = %d, events = %d, Harrell's C = %.4f (se %.4f), Uno's C = %.4f",
                size, events, r.estimate(), r.standardError(), getValue(Metric.UNO));
    }

    @Override
    public ConcordanceEvaluation newInstance() {
        return new ConcordanceEvaluation();
    }

    private INDArray vector(double[] values) {
        return Nd4j.createFromArray(Arrays.copyOf(values, size));
    }

    private void ensureCapacity(int needed) {
        if (needed > risk.length) {
            int capacity = Math.max(needed, 2 * risk.length);
            risk = Arrays.copyOf(risk, capacity);
            time = Arrays.copyOf(time, capacity);
            event = Arrays.copyOf(event, capacity);
        }
    }
}
