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
import org.survival4j.loss.Reduction;
import org.survival4j.loss.ValueAndGradient;
import org.survival4j.loss.WeibullLikelihood;

/**
 * Value and gradient of the Weibull AFT likelihood with two output columns (log scale, log shape),
 * through {@link WeibullLikelihood#valueAndGradient}, validation and array copies included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WeibullKernelBenchmark {
    @Param({"176", "4096", "65536"})
    public int n;

    @Param({"DOUBLE", "FLOAT"})
    public DataType dtype;

    private WeibullLikelihood loss;
    private INDArray logParams;
    private INDArray time;
    private INDArray event;

    @Setup
    public void setUp() {
        SyntheticSurvival data = SyntheticSurvival.generate(n, 0, 20240601L);
        Random rng = new Random(7L);
        double[][] params = new double[n][2];
        for (int i = 0; i < n; i++) {
            params[i][0] = 0.5 * data.score[i];          // log scale
            params[i][1] = 0.3 * rng.nextGaussian();     // log shape
        }
        loss = new WeibullLikelihood(Reduction.MEAN);
        logParams = Nd4j.createFromArray(params).castTo(dtype);
        time = Nd4j.createFromArray(data.time).castTo(dtype);
        event = Nd4j.createFromArray(data.event).castTo(dtype);
    }

    @Benchmark
    public ValueAndGradient valueAndGradient() {
        return loss.valueAndGradient(logParams, time, event);
    }
}
