package org.survival4j.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
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
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.TimeGroups;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;

/**
 * The stages of a loss call timed one by one, to see where the time of
 * {@link CoxKernelBenchmark} and {@link WeibullKernelBenchmark} goes: copying the INDArrays into
 * Java arrays, grouping by time, the value pass, and creating the gradient INDArray. Continuous
 * (untied) times, the case with the most groups.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LossBreakdownBenchmark {
    @Param({"176", "4096", "65536"})
    public int n;

    @Param({"DOUBLE", "FLOAT"})
    public DataType dtype;

    private final CoxPartialLikelihood cox = new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN);
    private INDArray logHz;
    private INDArray time;
    private INDArray event;
    private INDArray logParams;
    private double[] timeValues;
    private boolean[] eventValues;
    private double[] gradientValues;

    @Setup
    public void setUp() {
        SyntheticSurvival data = SyntheticSurvival.generate(n, 0, 20240601L);
        logHz = Nd4j.createFromArray(data.score).castTo(dtype).reshape(n, 1);
        time = Nd4j.createFromArray(data.time).castTo(dtype);
        event = Nd4j.createFromArray(data.event).castTo(dtype);
        Random rng = new Random(7L);
        double[][] params = new double[n][2];
        for (int i = 0; i < n; i++) {
            params[i][0] = 0.5 * data.score[i];
            params[i][1] = 0.3 * rng.nextGaussian();
        }
        logParams = Nd4j.createFromArray(params).castTo(dtype);
        timeValues = data.time.clone();
        eventValues = new boolean[n];
        for (int i = 0; i < n; i++) {
            eventValues[i] = data.event[i] == 1;
        }
        gradientValues = new double[n];
    }

    /** Stage 1 of a Cox call: the three INDArrays checked and copied into Java arrays. */
    @Benchmark
    public Object coxCopyInputs() {
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        double[] t = SurvivalArguments.time(time, "time", n);
        boolean[] e = SurvivalArguments.event(event, "event", n);
        return new Object[] {eta, t, e};
    }

    /** Stage 2: sort and group by time (Java arrays in, no INDArray). */
    @Benchmark
    public TimeGroups coxTimeGroups() {
        return TimeGroups.of(timeValues, eventValues, null);
    }

    /** Stages 1, 2 and the backward (value) pass, without the gradient. */
    @Benchmark
    public double coxValueOnly() {
        return cox.value(logHz, time, event);
    }

    /** The whole call, as in {@link CoxKernelBenchmark}. */
    @Benchmark
    public Object coxValueAndGradient() {
        return cox.valueAndGradient(logHz, time, event);
    }

    /** The last stage: a {@code double[]} turned into an INDArray of the output's type and shape. */
    @Benchmark
    public INDArray gradientToIndArray() {
        return Nd4j.createFromArray(gradientValues).castTo(dtype).reshape(n, 1);
    }

    /** Stage 1 of a Weibull call: the {@code [n, 2]} output checked and copied row by row. */
    @Benchmark
    public double[][] weibullCopyInputs() {
        return SurvivalArguments.finiteColumns(logParams, "logParams", 2);
    }

    /** A candidate replacement for that copy: one bulk copy of the whole buffer. */
    @Benchmark
    public double[] weibullCopyBulk() {
        return logParams.castTo(DataType.DOUBLE).dup('c').reshape(2L * n).toDoubleVector();
    }
}
