package org.survival4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One DL4J training iteration ({@code net.fit(batch)}) of a Cox MLP with and without momentum,
 * side by side in one run: the overhead of the EMA, the target forward pass, the bank and the
 * pooled loss.
 *
 * <pre>
 * mvn -B -DskipTests -Pbench package -pl benchmarks -am -Djmh.args="MomentumStepBenchmark"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MomentumStepBenchmark {
    /** hidden width : batch size; 32 features, steps 10. */
    @Param({"64:16", "256:64"})
    public String shape;

    @Param({"plain", "momentum"})
    public String training;

    private MultiLayerNetwork net;
    private DataSet[] batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        TrainingNetworks.singleThreaded();
        int hidden = Integer.parseInt(shape.split(":")[0]);
        int batch = Integer.parseInt(shape.split(":")[1]);
        net = TrainingNetworks.coxMlp(32, hidden, 7);
        batches = TrainingNetworks.batches(64, batch, 32, 11);
        if (training.equals("momentum")) {
            TrainingNetworks.withMomentum(net, batch);
        }
    }

    @Benchmark
    public double step() {
        net.fit(batches[next++ & 63]);
        return net.score();
    }
}
