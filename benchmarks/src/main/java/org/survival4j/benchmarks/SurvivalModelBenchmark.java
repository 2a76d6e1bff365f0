package org.survival4j.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.survival4j.model.SurvivalModel;

/**
 * Predictions of a deployed {@link SurvivalModel} for 100,000 rows in one call, on one core (ND4J
 * single-threaded): survival at 20 times from encoded inputs, the same from raw rows (through the
 * recipe), and the median survival time. Each call includes the forward pass of the whole batch
 * and the checks of the inputs and outputs. The models are those of {@link ServingModels}.
 *
 * <pre>
 * mvn -B -DskipTests -Pbench package -pl benchmarks -am -Djmh.args="SurvivalModelBenchmark -f 1 -wi 3 -i 5"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SurvivalModelBenchmark {
    private static final int ROWS = 100_000;
    private static final int TIMES = 20;

    @Param({"COX", "WEIBULL", "GRID"})
    public SurvivalModel.Kind kind;

    private SurvivalModel model;
    private List<Map<String, Object>> rows;
    private double[][] x;
    private double[] times;

    @Setup
    public void setUp() {
        TrainingNetworks.singleThreaded();
        model = ServingModels.build(kind);
        rows = ServingModels.rawRows(ROWS, 7);
        x = model.encode(rows);
        times = ServingModels.times(TIMES);
    }

    @Benchmark
    public double[][] survival() {
        return model.survival(x, times);
    }

    @Benchmark
    public double[][] survivalOfRawRows() {
        return model.survival(rows, times);
    }

    @Benchmark
    public double[] median() {
        return model.quantileTime(x, 0.5);
    }
}
