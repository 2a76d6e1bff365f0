package org.survival4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.util.SparkUtils;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.dl4j.Momentum;
import org.survival4j.dl4j.MomentumState;
import org.survival4j.momentum.MomentumConfig;

/**
 * Momentum training on Spark, with DL4J's {@code ParameterAveragingTrainingMaster}
 * (docs/distributed.md). Training goes in rounds, one per averaging of the master ({@code W}
 * workers, each {@code averagingFrequency} minibatches of {@code batchSizePerWorker} rows):
 * <ul>
 *   <li>every worker starts the round from the driver's memory bank and target network and trains
 *   its minibatches with ordinary momentum (its batches pooled with that bank and the rows it added
 *   itself; its own target updated after each step);</li>
 *   <li>the master averages the online parameters; the driver's target becomes the mean of the
 *   workers' targets, and its bank takes the rows each worker added, in partition order.</li>
 * </ul>
 * With one worker this is exactly momentum training on one machine; with averaging frequency 1
 * the target is the EMA of the averaged network, as on one machine.
 *
 * <pre>{@code
 * ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1)
 *         .batchSizePerWorker(16).averagingFrequency(1)
 *         .rddTrainingApproach(RDDTrainingApproach.Direct).build();
 * SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
 * SparkMomentum momentum = SparkMomentum.attach(sparkNet,
 *         MomentumConfig.builder().batchSize(16).steps(10).build());
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     momentum.fit(trainRdd);                  // instead of sparkNet.fit(trainRdd)
 * }
 * momentum.momentum().save(new File("cox.momentum.zip"));   // Momentum.restore reads it
 * }</pre>
 */
public final class SparkMomentum {
    private final JavaSparkContext sc;
    private final ParameterAveragingTrainingMaster master;
    private final Momentum momentum;
    private final Consumer<JavaRDD<DataSet>> fitDataSets;
    private final Consumer<JavaRDD<MultiDataSet>> fitMultiDataSets; // null for a MultiLayerNetwork
    private final Random splitSeeds = new Random(1);

    private SparkMomentum(JavaSparkContext sc, TrainingMaster<?, ?> master, Momentum momentum,
                          Consumer<JavaRDD<DataSet>> fitDataSets, Consumer<JavaRDD<MultiDataSet>> fitMultiDataSets) {
        this.sc = sc;
        this.master = (ParameterAveragingTrainingMaster) master;
        this.momentum = momentum;
        this.fitDataSets = fitDataSets;
        this.fitMultiDataSets = fitMultiDataSets;
    }

    private static void checkMaster(TrainingMaster<?, ?> master) {
        if (!(master instanceof ParameterAveragingTrainingMaster)) {
            throw new IllegalArgumentException("momentum on Spark needs DL4J's ParameterAveragingTrainingMaster;"
                    + " got " + (master == null ? "none" : master.getClass().getSimpleName()) + ", whose workers"
                    + " apply each other's updates inside their steps (SharedTrainingMaster), so no bank and target"
                    + " could follow one network (docs/distributed.md)");
        }
    }

    /**
     * Attaches momentum to the network of {@code net}. {@code config} as on one machine: the bank
     * holds {@code steps * batchSize} rows, {@code batchSize} being the rows a worker trains at a time.
     *
     * @throws IllegalArgumentException if {@code net} does not train with a ParameterAveragingTrainingMaster
     */
    public static SparkMomentum attach(SparkDl4jMultiLayer net, MomentumConfig config) {
        SurvivalArguments.checkNotNull(net, "net");
        checkMaster(net.getTrainingMaster());
        return new SparkMomentum(net.getSparkContext(), net.getTrainingMaster(),
                Momentum.attach(net.getNetwork(), config), net::fit, null);
    }

    /** As {@link #attach(SparkDl4jMultiLayer, MomentumConfig)} for a {@code SparkComputationGraph}. */
    public static SparkMomentum attach(SparkComputationGraph net, MomentumConfig config) {
        SurvivalArguments.checkNotNull(net, "net");
        checkMaster(net.getTrainingMaster());
        return new SparkMomentum(net.getSparkContext(), net.getTrainingMaster(),
                Momentum.attach(net.getNetwork(), config), net::fit, net::fitMultiDataSet);
    }

    /** One pass over {@code data}, as the network's {@code fit}, round by round. */
    public void fit(JavaRDD<DataSet> data) {
        SurvivalArguments.checkNotNull(data, "data");
        for (JavaRDD<DataSet> round : rounds(data)) {
            train(() -> fitDataSets.accept(round));
        }
    }

    /** As {@link #fit(JavaRDD)} for a {@code ComputationGraph} trained on {@code MultiDataSet}s. */
    public void fitMultiDataSet(JavaRDD<MultiDataSet> data) {
        SurvivalArguments.checkNotNull(data, "data");
        if (fitMultiDataSets == null) {
            throw new IllegalStateException("a MultiLayerNetwork trains on DataSets: call fit(JavaRDD<DataSet>)");
        }
        for (JavaRDD<MultiDataSet> round : rounds(data)) {
            train(() -> fitMultiDataSets.accept(round));
        }
    }

    /** The driver's momentum: its online network, target, bank; {@code infer}, {@code save}. */
    public Momentum momentum() {
        return momentum;
    }

    /**
     * {@code data} cut into rounds as the master would cut it (one averaging each), with DL4J's
     * balanced random split.
     */
    private <T> List<JavaRDD<T>> rounds(JavaRDD<T> data) {
        int workers = master.getNumWorkers() != null ? master.getNumWorkers() : sc.defaultParallelism();
        int perRdd = master.getRddDataSetNumExamples();
        int perWorker = Math.max(1, batchSizePerWorker() * master.getAveragingFrequency() / perRdd);
        int perRound = workers * perWorker;
        long count = data.count();
        if (count <= perRound) {
            return List.of(data);
        }
        return List.of(SparkUtils.balancedRandomSplit((int) count, perRound, data, splitSeeds.nextLong()));
    }

    /** The master's minibatch size per worker, which DL4J 1.0.0-M2 only exposes in its JSON form. */
    private int batchSizePerWorker() {
        try {
            return new ObjectMapper().readTree(master.toJson()).path("batchSizePerWorker").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One round: the workers start from the driver's state, and what they trained is merged back. */
    private void train(Runnable fit) {
        MomentumState start = MomentumState.of(momentum);
        WorkerStates states = new WorkerStates();
        sc.sc().register(states, "survival4j momentum");
        MomentumTrainingHook hook = new MomentumTrainingHook(start, states);
        master.addHook(hook);
        try {
            fit.run();
        } finally {
            master.removeHook(hook);
        }
        List<MomentumState> workers = new ArrayList<>(states.value().values());
        if (!workers.isEmpty()) {
            MomentumState.merge(start, workers).copyTo(momentum);
        }
    }
}
