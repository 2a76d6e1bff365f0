package org.survival4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.survival4j.metrics.ConcordanceIndex;

class SparkPlainTrainingTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkFixtures.localContext();
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static double harrell(MultiLayerNetwork net, DataSet test) {
        return ConcordanceIndex.harrell(net.output(test.getFeatures()).ravel(), test.getLabels().getColumn(0),
                test.getLabels().getColumn(1));
    }

    @Test
    void coxMlpOnSparkReachesTheCIndexOfSingleMachineTraining() {
        List<DataSet> train = SparkFixtures.rows(1500, 1);
        DataSet test = DataSet.merge(SparkFixtures.rows(700, 2));
        int epochs = 5;

        MultiLayerNetwork single = new MultiLayerNetwork(SparkFixtures.coxMlp(3));
        single.init();
        for (int e = 0; e < epochs; e++) {
            for (int from = 0; from < train.size(); from += 16) {
                single.fit(DataSet.merge(train.subList(from, Math.min(train.size(), from + 16))));
            }
        }

        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(16)
                .averagingFrequency(1).workerPrefetchNumBatches(0).batchSizePerWorker(16).build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, SparkFixtures.coxMlp(3), tm);
        JavaRDD<DataSet> rdd = sc.parallelize(train, 2);
        long t0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            spark.fit(rdd);
        }
        System.out.printf("spark: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        double cSingle = harrell(single, test);
        double cSpark = harrell(spark.getNetwork(), test);
        System.out.printf("C single %.4f spark %.4f%n", cSingle, cSpark);
        assertEquals(cSingle, cSpark, 0.02);
    }
}
