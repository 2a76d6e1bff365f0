package org.survival4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.dl4j.CoxLossFunction;

/** Shared pieces of the Spark tests: a local[2] context, GBSG-sized data, a small Cox MLP. */
final class SparkFixtures {
    static final int FEATURES = 8;
    private static final double[] BETA = {0.8, -0.6, 0.5, 0, 0.3, -0.4, 0, 0.2};

    private SparkFixtures() {
    }

    static JavaSparkContext localContext() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("survival4j-test")
                .set("spark.driver.host", "localhost").set("spark.ui.enabled", "false");
        return new JavaSparkContext(conf);
    }

    /**
     * {@code n} rows, one per DataSet: 8 standard normal features, exponential times with log
     * hazard {@code BETA . x}, uniform censoring (about a third censored), labels (time, event).
     */
    static List<DataSet> rows(int n, long seed) {
        return rows(n, seed, DataType.FLOAT);
    }

    static List<DataSet> rows(int n, long seed, DataType type) {
        Random rng = new Random(seed);
        List<DataSet> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[FEATURES];
            double logHz = 0;
            for (int j = 0; j < FEATURES; j++) {
                x[j] = rng.nextGaussian();
                logHz += BETA[j] * x[j];
            }
            double time = -Math.log(rng.nextDouble()) / Math.exp(logHz);
            double censor = 3 * rng.nextDouble();
            rows.add(new DataSet(Nd4j.createFromArray(new double[][] {x}).castTo(type),
                    Nd4j.createFromArray(new double[][] {{Math.min(time, censor), time <= censor ? 1 : 0}})
                            .castTo(type)));
        }
        return rows;
    }

    static MultiLayerConfiguration coxMlp(long seed) {
        return coxMlp(seed, DataType.FLOAT);
    }

    static MultiLayerConfiguration coxMlp(long seed, DataType type) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Sgd(0.05)).weightInit(WeightInit.XAVIER)
                .dataType(type).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(new CoxLossFunction()).nIn(16).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .build();
    }
}
