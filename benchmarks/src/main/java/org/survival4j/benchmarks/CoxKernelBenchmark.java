package org.survival4j.benchmarks;

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
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.loss.ValueAndGradient;

/**
 * Value and gradient of the Cox partial likelihood through the public entry point
 * ({@link CoxPartialLikelihood#valueAndGradient}), so the time includes input validation, the
 * copy out of the INDArrays, the grouping by time and the creation of the gradient array.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CoxKernelBenchmark {
    /** Rows per call: a lung-sized set, a large pooled momentum set, a very large one. */
    @Param({"176", "4096", "65536"})
    public int n;

    @Param({"EFRON", "BRESLOW"})
    public Ties ties;

    /** CONTINUOUS: no tied times; TIED50: times drawn from 50 values. */
    @Param({"CONTINUOUS", "TIED50"})
    public String times;

    @Param({"DOUBLE", "FLOAT"})
    public DataType dtype;

    private CoxPartialLikelihood loss;
    private INDArray logHz;
    private INDArray time;
    private INDArray event;

    @Setup
    public void setUp() {
        SyntheticSurvival data = SyntheticSurvival.generate(n, times.equals("TIED50") ? 50 : 0, 20240601L);
        loss = new CoxPartialLikelihood(ties, Reduction.MEAN);
        logHz = Nd4j.createFromArray(data.score).castTo(dtype).reshape(n, 1);
        time = Nd4j.createFromArray(data.time).castTo(dtype);
        event = Nd4j.createFromArray(data.event).castTo(dtype);
    }

    @Benchmark
    public ValueAndGradient valueAndGradient() {
        return loss.valueAndGradient(logHz, time, event);
    }
}
