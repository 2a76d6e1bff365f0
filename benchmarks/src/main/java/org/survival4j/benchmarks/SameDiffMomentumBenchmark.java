package org.survival4j.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.survival4j.loss.CoxPartialLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.samediff.KernelGradientLoss;
import org.survival4j.samediff.SameDiffCoxLoss;
import org.survival4j.samediff.SameDiffMomentum;
import org.survival4j.samediff.SurvivalLoss;

/**
 * One SameDiff training iteration with momentum ({@link SameDiffMomentum}, Cox loss on
 * [bank ; batch], steps = 10) against a plain SameDiff iteration (the same MLP, the Cox loss on the
 * batch alone), float32, Adam, on two MLPs: 32-64-64-1 with batches of 16 and 32-256-256-1 with
 * batches of 64; each with the loss as the kernel's gradient ({@link KernelGradientLoss}, the
 * default of momentum: modes {@code plain-kernel}, {@code momentum}) and as a graph function
 * ({@link SameDiffCoxLoss}: {@code plain}, {@code momentum-graph}). The {@code component*}
 * benchmarks time the parts momentum adds, to show where the extra time goes. Results and
 * discussion: {@code docs/samediff-momentum.md}.
 *
 * <pre>
 * mvn -B -o -DskipTests -Pbench package -pl benchmarks -am -Djmh.args="SameDiffMomentumBenchmark -f 1 -wi 3 -i 5"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(time = 2)
@Measurement(time = 3)
public class SameDiffMomentumBenchmark {
    /** Batches per {@code sd.fit} call: amortizes the per-call setup of SameDiff's training session. */
    static final int BATCHES = 40;
    static final int STEPS = 10;
    static final int FEATURES = 32;

    /** The network shape and batch size: "hidden/batch". */
    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"64/16", "256/64"})
        public String mlp;

        int hidden;
        int batch;
        DataSet data;

        @Setup(Level.Trial)
        public void setUp() {
            hidden = Integer.parseInt(mlp.split("/")[0]);
            batch = Integer.parseInt(mlp.split("/")[1]);
            data = TrainingNetworks.batches(1, BATCHES * batch, FEATURES, 42)[0];
        }

        SameDiff mlp(long seed) {
            return SameDiffMomentumBenchmark.mlp(hidden, seed);
        }
    }

    /** A graph trained plainly or with momentum. */
    @State(Scope.Benchmark)
    public static class Training {
        @Param({"plain", "plain-kernel", "momentum", "momentum-graph"})
        public String mode;

        SameDiff sd;
        SameDiffMomentum momentum;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            sd = shape.mlp(7);
            switch (mode) {
                case "momentum" -> momentum = withMomentum(sd, shape.batch, false);
                case "momentum-graph" -> momentum = withMomentum(sd, shape.batch, true);
                case "plain-kernel" -> withPlainKernel(sd);
                default -> withPlainCox(sd, shape.data, shape.batch);
            }
        }
    }

    /** Arrays for the component benchmarks, at the sizes of one momentum iteration. */
    @State(Scope.Benchmark)
    public static class Parts {
        SameDiffMomentum momentum;
        INDArray batchFeatures;
        INDArray pooledLabels;
        INDArray pooledLogHz;
        INDArray[] target;
        INDArray[] online;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            SameDiff sd = shape.mlp(7);
            momentum = withMomentum(sd, shape.batch, false);
            batchFeatures = shape.data.getFeatures().get(NDArrayIndex.interval(0, shape.batch), NDArrayIndex.all()).dup();
            int pooled = STEPS * shape.batch;
            DataSet rows = TrainingNetworks.batches(1, pooled, FEATURES, 3)[0];
            pooledLabels = rows.getLabels();
            pooledLogHz = rows.getFeatures().getColumn(0).reshape(pooled, 1).dup();
            String[] names = {"W0", "b0", "W1", "b1", "W2", "b2"};
            target = new INDArray[names.length];
            online = new INDArray[names.length];
            for (int i = 0; i < names.length; i++) {
                target[i] = momentum.target().getArrForVarName(names[i]).dup();
                online[i] = sd.getArrForVarName(names[i]).dup();
            }
        }
    }

    /** One iteration of {@code sd.fit}, plain or with momentum (whose graph carries its listener). */
    @Benchmark
    @OperationsPerInvocation(BATCHES)
    public void iteration(Shape shape, Training training) {
        training.sd.fit(new ViewIterator(shape.data, shape.batch), 1);
    }

    /** Part of momentum: the target network's forward pass on the batch. */
    @Benchmark
    public INDArray componentTargetForward(Parts parts) {
        return parts.momentum.infer(parts.batchFeatures);
    }

    /** Part of momentum: the EMA of every trainable variable, in place, as the engine does it (scal, axpy). */
    @Benchmark
    public void componentEma(Parts parts) {
        for (int i = 0; i < parts.target.length; i++) {
            parts.target[i].muli(0.999);
            Nd4j.exec(new Axpy(parts.online[i], parts.target[i], parts.target[i], 1 - 0.999));
        }
    }

    /** Part of momentum: the Cox risk-set arrays of the pooled labels, built in Java. */
    @Benchmark
    public Object componentRiskSets(Parts parts, Shape shape) {
        return SameDiffCoxLoss.efron().riskSets(parts.pooledLabels, null, 1, STEPS * shape.batch);
    }

    /** Part of momentum: the reported loss, by the closed-form kernel on the pooled rows. */
    @Benchmark
    public double componentReportedLoss(Parts parts) {
        return new CoxPartialLikelihood(Ties.EFRON, Reduction.MEAN).value(parts.pooledLogHz,
                parts.pooledLabels.getColumn(0), parts.pooledLabels.getColumn(1));
    }

    /** The MLP 32-hidden-hidden-1 (tanh) as a float32 graph: "in" [-1, 32], "label" [-1, 2], output "logHz". */
    static SameDiff mlp(int hidden, long seed) {
        return mlp(hidden, seed, false);
    }

    /** As {@link #mlp(int, long)}, with ReLU hidden layers if {@code relu} (as the DL4J benchmark networks). */
    static SameDiff mlp(int hidden, long seed, boolean relu) {
        Random rng = new Random(seed);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, FEATURES);
        sd.placeHolder("label", DataType.FLOAT, -1, 2);
        SDVariable h = in;
        int[] widths = {FEATURES, hidden, hidden};
        for (int l = 0; l < 2; l++) {
            SDVariable z = h.mmul(weight(sd, "W" + l, widths[l], widths[l + 1], rng)).add(
                    sd.var("b" + l, Nd4j.zeros(DataType.FLOAT, widths[l + 1])));
            h = relu ? sd.nn.relu(z, 0) : sd.math.tanh(z);
        }
        h.mmul(weight(sd, "W2", hidden, 1, rng)).add(sd.var("b2", Nd4j.zeros(DataType.FLOAT, 1))).rename("logHz");
        return sd;
    }

    /**
     * Momentum training of {@link #mlp}: Cox (Efron, MEAN), steps 10, rate 0.999, Adam; the loss as
     * the kernel's gradient (the default) or as a graph function.
     */
    static SameDiffMomentum withMomentum(SameDiff sd, int batch, boolean graphLoss) {
        return SameDiffMomentum.builder(sd).features("in").output("logHz").labels("label")
                .loss(SurvivalLoss.cox(Ties.EFRON))
                .config(MomentumConfig.builder().batchSize(batch).steps(STEPS).build())
                .updater(new Adam(1e-3)).graphLoss(graphLoss).build();
    }

    /** Plain training of {@link #mlp} with the Cox loss (Efron, MEAN) of each batch as the kernel's gradient, Adam. */
    static KernelGradientLoss withPlainKernel(SameDiff sd) {
        KernelGradientLoss loss = KernelGradientLoss.builder(sd).output("logHz").labels("label")
                .loss(SurvivalLoss.cox(Ties.EFRON)).build();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3)).dataSetFeatureMapping("in")
                .dataSetLabelMapping("label").build());
        return loss;
    }

    /**
     * Plain training of {@link #mlp}: the Cox loss of the batch alone, with the labels of the first
     * batch as constants (every batch costs what any batch costs), Adam.
     */
    static void withPlainCox(SameDiff sd, DataSet data, int batch) {
        INDArray labels = data.getLabels().get(NDArrayIndex.interval(0, batch), NDArrayIndex.all());
        SameDiffCoxLoss.efron().negativeLogLikelihood(sd, sd.getVariable("logHz"), labels).markAsLoss();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3)).dataSetFeatureMapping("in")
                .dataSetLabelMapping("label").build());
    }

    /** Glorot-like normal weights {@code [in, out]} from a seeded generator. */
    static SDVariable weight(SameDiff sd, String name, int in, int out, Random rng) {
        float[][] w = new float[in][out];
        for (float[] row : w) {
            for (int j = 0; j < out; j++) {
                row[j] = (float) (rng.nextGaussian() / Math.sqrt(in));
            }
        }
        return sd.var(name, Nd4j.createFromArray(w));
    }
}
