package org.survival4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.survival4j.metrics.BreslowBaseline;
import org.survival4j.metrics.ConcordanceIndex;

/**
 * The survival losses train DL4J's Spark networks (ParameterAveragingTrainingMaster, 2 workers in
 * local[2], batches of 16 rows per worker) to the C-index of the same training on one machine with
 * batches of 16, within 0.02, on 1,500 rows like GBSG's.
 */
class SparkPlainTrainingTest {
    private static final int EPOCHS = 4;
    private static JavaSparkContext sc;
    private static List<DataSet> train;
    private static DataSet test;

    @BeforeAll
    static void start() {
        sc = SparkFixtures.localContext();
        train = SparkFixtures.rows(1500, 1);
        test = DataSet.merge(SparkFixtures.rows(700, 2));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static ParameterAveragingTrainingMaster master() {
        return new ParameterAveragingTrainingMaster.Builder(2, 1).batchSizePerWorker(16).averagingFrequency(1)
                .workerPrefetchNumBatches(0).build();
    }

    /** Harrell's C of the first output column, as a risk score with the given sign. */
    private static double harrell(INDArray output, double sign) {
        return ConcordanceIndex.harrell(output.getColumn(0).mul(sign), test.getLabels().getColumn(0),
                test.getLabels().getColumn(1));
    }

    private static void singleMachine(Consumer<DataSet> fit) {
        for (int e = 0; e < EPOCHS; e++) {
            for (int from = 0; from < train.size(); from += 16) {
                fit.accept(DataSet.merge(train.subList(from, Math.min(train.size(), from + 16))));
            }
        }
    }

    private static void onSpark(Consumer<JavaRDD<DataSet>> fit) {
        JavaRDD<DataSet> rdd = sc.parallelize(train, 2);
        for (int e = 0; e < EPOCHS; e++) {
            fit.accept(rdd);
        }
    }

    @Test
    void coxMultiLayerNetworkReachesTheCIndexOfOneMachine() {
        MultiLayerNetwork single = new MultiLayerNetwork(SparkFixtures.coxMlp(3));
        single.init();
        singleMachine(single::fit);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, SparkFixtures.coxMlp(3), master());
        onSpark(spark::fit);

        assertEquals(harrell(single.output(test.getFeatures()), 1),
                harrell(spark.getNetwork().output(test.getFeatures()), 1), 0.02);
    }

    @Test
    void coxComputationGraphReachesTheCIndexOfOneMachine() {
        ComputationGraph single = new ComputationGraph(SparkFixtures.coxGraph(3));
        single.init();
        singleMachine(single::fit);
        SparkComputationGraph spark = new SparkComputationGraph(sc, SparkFixtures.coxGraph(3), master());
        onSpark(spark::fit);

        assertEquals(harrell(single.outputSingle(test.getFeatures()), 1),
                harrell(spark.getNetwork().outputSingle(test.getFeatures()), 1), 0.02);
    }

    /** A longer log scale means a longer expected time: its negative is the risk. */
    @Test
    void weibullMultiLayerNetworkReachesTheCIndexOfOneMachine() {
        MultiLayerNetwork single = new MultiLayerNetwork(SparkFixtures.weibullMlp(3));
        single.init();
        singleMachine(single::fit);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, SparkFixtures.weibullMlp(3), master());
        onSpark(spark::fit);

        double c = harrell(single.output(test.getFeatures()), -1);
        assertEquals(c, harrell(spark.getNetwork().output(test.getFeatures()), -1), 0.02);
        assertEquals(0.72, c, 0.05, "single-machine Weibull learned the hazard"); // oracle C of these data ~0.75
    }

    @Test
    void evaluationOnTheExecutorsEqualsEvaluationOnTheDriver(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(SparkFixtures.coxMlp(3));
        net.init();
        JavaRDD<DataSet> rdd = sc.parallelize(SparkFixtures.rows(700, 2), 3);
        INDArray logHz = net.output(test.getFeatures());

        assertEquals(harrell(logHz, 1), SurvivalPredictions.harrell(sc, net, rdd).estimate(), 1e-12);
        BreslowBaseline expected = BreslowBaseline.fit(logHz.ravel(), test.getLabels().getColumn(0),
                test.getLabels().getColumn(1));
        // float32 outputs of one row at a time on the executors vs one batch on the driver: 1e-7 relative
        assertArrayEquals(expected.cumulativeHazards(0),
                SurvivalPredictions.breslowBaseline(sc, net, rdd).cumulativeHazards(0), 1e-6);

        String out = dir.resolve("predictions").toString();
        SurvivalPredictions.save(sc, net, rdd, out);
        List<String> lines = sc.textFile(out).collect();
        assertEquals(700, lines.size());
        String[] first = lines.get(0).split(",");
        assertEquals(test.getLabels().getDouble(0, 0), Double.parseDouble(first[0]), 1e-6);
        assertEquals(logHz.getDouble(0, 0), Double.parseDouble(first[2]), 1e-6);
    }
}
