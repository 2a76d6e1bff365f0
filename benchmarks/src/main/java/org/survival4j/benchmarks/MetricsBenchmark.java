package org.survival4j.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.survival4j.metrics.BrierScore;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.TimeDependentAuc;

/**
 * Evaluation metrics at 10^4, 10^5 and 10^6 rows: Harrell's and Uno's C (one Fenwick-tree sweep; the
 * {@code ...Result} variant adds the per-row sweep behind the standard errors), the IPCW Brier score
 * and the time-dependent AUC at one time, the last two also with their influence-function standard
 * errors ({@code ...WithStandardError}). Each call includes the validation and copy of the INDArray
 * inputs and, for the IPCW metrics, the censoring Kaplan-Meier of the training set (here the test
 * set itself). Results and the command are in {@code docs/metrics-benchmarks.md}.
 *
 * <p>Data: a Cox model with a standard normal risk score, exponential event times (rounded to
 * 1/100, so some times tie), uniform censoring giving about 35% censored rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MetricsBenchmark {
    @Param({"10000", "100000", "1000000"})
    public int n;

    private INDArray risk;
    private INDArray time;
    private INDArray event;
    private INDArray survivalAtMedian;
    private double medianTime;

    @Setup
    public void setUp() {
        Random rng = new Random(20240601L);
        double[] r = new double[n];
        double[] t = new double[n];
        double[] e = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = rng.nextGaussian();
            double eventTime = -Math.log(rng.nextDouble()) * Math.exp(-r[i]);
            double censorTime = 3 * rng.nextDouble();
            t[i] = Math.round(Math.min(eventTime, censorTime) * 100) / 100.0;
            e[i] = eventTime <= censorTime ? 1 : 0;
        }
        double[] sorted = t.clone();
        java.util.Arrays.sort(sorted);
        medianTime = sorted[n / 2];
        for (int i = 0; i < n; i++) {
            s[i] = Math.exp(-medianTime * Math.exp(r[i])); // the true survival at the median time
        }
        risk = Nd4j.createFromArray(r);
        time = Nd4j.createFromArray(t);
        event = Nd4j.createFromArray(e);
        survivalAtMedian = Nd4j.createFromArray(s);
    }

    @Benchmark
    public double harrell() {
        return ConcordanceIndex.harrell(risk, time, event);
    }

    @Benchmark
    public double harrellWithStandardErrors() {
        return ConcordanceIndex.harrellResult(risk, time, event).standardError();
    }

    @Benchmark
    public double uno() {
        return ConcordanceIndex.uno(risk, time, event, time, event);
    }

    @Benchmark
    public double brierScore() {
        return BrierScore.at(survivalAtMedian, medianTime, time, event, time, event);
    }

    @Benchmark
    public double timeDependentAuc() {
        return TimeDependentAuc.at(risk, medianTime, time, event, time, event);
    }

    @Benchmark
    public double brierScoreWithStandardError() {
        return BrierScore.inference(survivalAtMedian, medianTime, time, event).standardError();
    }

    @Benchmark
    public double timeDependentAucWithStandardError() {
        return TimeDependentAuc.inference(risk, medianTime, time, event).standardError();
    }
}
