package org.survival4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.util.ComputationGraphUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.survival4j.dl4j.Momentum;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.testing.ConcurrentReader;

/**
 * Momentum on Spark's ParameterAveragingTrainingMaster in local[2]: with one worker exactly the
 * momentum training of one machine; with two, a bank holding both workers' rows, a target that
 * predicts the same on the driver as on the executors and that Momentum.restore brings back.
 */
class SparkMomentumTest {
    private static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(16).steps(4).rate(0.9).build();
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkFixtures.localContext();
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static ParameterAveragingTrainingMaster master(int workers, int averagingFrequency) {
        return new ParameterAveragingTrainingMaster.Builder(workers, 1).batchSizePerWorker(16)
                .averagingFrequency(averagingFrequency).workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct).repartionData(Repartition.Never).build();
    }

    private static MultiLayerNetwork net(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(SparkFixtures.coxMlp(3, type));
        net.init();
        return net;
    }

    @Test
    void oneWorkerTrainsExactlyAsMomentumOnOneMachine() {
        List<DataSet> rows = SparkFixtures.rows(96, 5, DataType.DOUBLE);
        Momentum single = Momentum.attach(net(DataType.DOUBLE), CONFIG);
        SparkMomentum spark = SparkMomentum.attach(new SparkDl4jMultiLayer(sc, net(DataType.DOUBLE), master(1, 2)),
                CONFIG);

        for (int round = 0; round < 3; round++) { // rounds of 2 minibatches of 16 rows, in partition order
            List<DataSet> roundRows = rows.subList(32 * round, 32 * round + 32);
            single.<MultiLayerNetwork>network().fit(DataSet.merge(roundRows.subList(0, 16)));
            single.<MultiLayerNetwork>network().fit(DataSet.merge(roundRows.subList(16, 32)));
            spark.fit(sc.parallelize(roundRows, 1));
        }

        Momentum driver = spark.momentum();
        assertArrayEquals(single.network().params().toDoubleVector(), driver.network().params().toDoubleVector(),
                1e-12, "online");
        assertArrayEquals(single.<MultiLayerNetwork>target().params().toDoubleVector(),
                driver.<MultiLayerNetwork>target().params().toDoubleVector(), 1e-12, "target");
        assertArrayEquals(single.bankRows().toDoubleMatrix(), driver.bankRows().toDoubleMatrix(), "bank");
        assertEquals(6, driver.iterations());
    }

    /**
     * Steps whose pooled rows hold no event are counted on the driver as on one machine: with one
     * worker the count of single-machine momentum on the same batches; with two, every worker's
     * minibatch (each is a momentum step of its own, with a zero gradient).
     */
    @Test
    void stepsWithoutEventsAreCountedOnTheDriver() {
        List<DataSet> censored = SparkFixtures.rows(96, 11, DataType.DOUBLE);
        censored.forEach(row -> row.getLabels().putScalar(0, 1, 0.0));
        Momentum single = Momentum.attach(net(DataType.DOUBLE), CONFIG);
        for (int batch = 0; batch < 6; batch++) {
            single.<MultiLayerNetwork>network().fit(DataSet.merge(censored.subList(16 * batch, 16 * batch + 16)));
        }
        SparkMomentum oneWorker = SparkMomentum.attach(new SparkDl4jMultiLayer(sc, net(DataType.DOUBLE), master(1, 2)),
                CONFIG);
        for (int round = 0; round < 3; round++) {
            oneWorker.fit(sc.parallelize(censored.subList(32 * round, 32 * round + 32), 1));
        }
        assertEquals(6, single.batchesWithoutEvents());
        assertEquals(single.batchesWithoutEvents(), oneWorker.momentum().batchesWithoutEvents());

        SparkMomentum twoWorkers = SparkMomentum.attach(new SparkDl4jMultiLayer(sc, net(DataType.DOUBLE),
                master(2, 1)), CONFIG);
        twoWorkers.fit(sc.parallelize(censored, 2));
        assertEquals(3, twoWorkers.momentum().iterations()); // 96 rows: 3 rounds of 2 workers x 16 rows
        assertEquals(6, twoWorkers.momentum().batchesWithoutEvents());
    }

    /**
     * {@code infer} (and the counters) on the driver from another thread while Spark trains leaves
     * the training bit for bit as it is undisturbed in the same process (same kernels, and with two
     * workers the averaged sums are the same whichever task finishes first).
     */
    @Test
    void inferOnTheDriverDuringFitChangesNothing() throws InterruptedException {
        JavaRDD<DataSet> rows = sc.parallelize(SparkFixtures.rows(128, 9, DataType.DOUBLE), 2);
        SparkMomentum undisturbed = SparkMomentum.attach(new SparkDl4jMultiLayer(sc, net(DataType.DOUBLE),
                master(2, 1)), CONFIG);
        undisturbed.fit(rows);
        SparkMomentum read = SparkMomentum.attach(new SparkDl4jMultiLayer(sc, net(DataType.DOUBLE), master(2, 1)),
                CONFIG);
        INDArray query = DataSet.merge(SparkFixtures.rows(16, 10, DataType.DOUBLE)).getFeatures();
        ConcurrentReader reader = ConcurrentReader.during(() -> read.fit(rows), () -> {
            read.momentum().infer(query);
            read.momentum().iterations();
        });

        assertTrue(reader.reads() > 0, "the reader ran alongside the training");
        Momentum expected = undisturbed.momentum();
        Momentum actual = read.momentum();
        assertEquals(expected.iterations(), actual.iterations());
        assertArrayEquals(expected.network().params().toDoubleVector(), actual.network().params().toDoubleVector(),
                "online");
        assertArrayEquals(expected.<MultiLayerNetwork>target().params().toDoubleVector(),
                actual.<MultiLayerNetwork>target().params().toDoubleVector(), "target");
        assertArrayEquals(expected.bankRows().toDoubleMatrix(), actual.bankRows().toDoubleMatrix(), "bank");
    }

    @Test
    void twoWorkersShareOneBankAndTheTargetComesBackToTheDriver(@TempDir Path dir) throws IOException {
        List<DataSet> rows = SparkFixtures.rows(640, 6, DataType.FLOAT);
        SparkMomentum spark = SparkMomentum.attach(new SparkDl4jMultiLayer(sc, net(DataType.FLOAT), master(2, 1)),
                CONFIG);
        spark.fit(sc.parallelize(rows, 2));

        Momentum driver = spark.momentum();
        assertEquals(20, driver.iterations()); // 640 rows: 20 rounds of 2 workers x 16 rows
        assertEquals(CONFIG.bankCapacity(), driver.bankSize());
        DataSet test = DataSet.merge(SparkFixtures.rows(200, 7, DataType.FLOAT));
        double[] onDriver = driver.infer(test.getFeatures()).toDoubleVector();
        double[] onExecutors = SurvivalPredictions.outputs(sc, driver.target(), sc.parallelize(List.of(test), 2))
                .collect().get(0).toDoubleVector();
        assertArrayEquals(onDriver, onExecutors, 1e-6);

        File file = dir.resolve("spark.momentum.zip").toFile();
        driver.save(file);
        Momentum restored = Momentum.restore(file);
        assertArrayEquals(onDriver, restored.infer(test.getFeatures()).toDoubleVector(), 0);
        assertEquals(driver.iterations(), restored.iterations());
    }

    @Test
    void aComputationGraphTrainsWithMomentumOnSpark() {
        ComputationGraph graph = new ComputationGraph(SparkFixtures.coxGraph(3));
        graph.init();
        SparkMomentum spark = SparkMomentum.attach(new SparkComputationGraph(sc, graph, master(2, 1)), CONFIG);
        spark.fit(sc.parallelize(SparkFixtures.rows(320, 9, DataType.FLOAT), 2));

        Momentum driver = spark.momentum();
        assertEquals(10, driver.iterations());
        assertEquals(CONFIG.bankCapacity(), driver.bankSize());
        List<DataSet> test = SparkFixtures.rows(300, 10, DataType.FLOAT);
        DataSet merged = DataSet.merge(test);
        double onDriver = ConcordanceIndex.harrell(driver.infer(merged.getFeatures()).ravel(),
                merged.getLabels().getColumn(0), merged.getLabels().getColumn(1));
        assertEquals(onDriver, SurvivalPredictions.harrell(sc, driver.target(), sc.parallelize(test, 2)).estimate(),
                1e-6);
    }

    @Test
    void aComputationGraphTrainsOnMultiDataSets() {
        ComputationGraph graph = new ComputationGraph(SparkFixtures.coxGraph(3));
        graph.init();
        SparkMomentum spark = SparkMomentum.attach(new SparkComputationGraph(sc, graph, master(2, 1)), CONFIG);
        List<MultiDataSet> rows = SparkFixtures.rows(128, 11, DataType.FLOAT).stream()
                .map(ComputationGraphUtil::toMultiDataSet).toList();
        spark.fitMultiDataSet(sc.parallelize(rows, 2));
        assertEquals(4, spark.momentum().iterations());

        MultiLayerNetwork mlp = net(DataType.FLOAT);
        SparkMomentum layers = SparkMomentum.attach(new SparkDl4jMultiLayer(sc, mlp, master(2, 1)), CONFIG);
        assertThrows(IllegalStateException.class, () -> layers.fitMultiDataSet(sc.parallelize(rows, 2)));
    }

    @Test
    void aNetworkWithMomentumTrainedBySparkWithoutSparkMomentumIsRefused() {
        MultiLayerNetwork net = net(DataType.FLOAT);
        Momentum.attach(net, CONFIG);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master(2, 1));

        Exception e = assertThrows(Exception.class, () -> sparkNet.fit(sc.parallelize(SparkFixtures.rows(64, 8,
                DataType.FLOAT), 2)));
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages += t.getMessage();
        }
        assertTrue(messages.contains("trains without its memory bank"), messages);
    }
}
