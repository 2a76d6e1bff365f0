package org.survival4j.spark;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.WeibullLossFunction;
import org.survival4j.spark.example.SyntheticCohort;

/** Shared pieces of the Spark tests: a local[2] context, GBSG-sized data, small survival networks. */
final class SparkFixtures {
    private static final int FEATURES = SyntheticCohort.FEATURES;

    private SparkFixtures() {
    }

    static JavaSparkContext localContext() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("survival4j-test")
                .set("spark.driver.host", "localhost").set("spark.ui.enabled", "false");
        return new JavaSparkContext(conf);
    }

    static List<DataSet> rows(int n, long seed) {
        return SyntheticCohort.rows(n, seed, DataType.FLOAT);
    }

    static List<DataSet> rows(int n, long seed, DataType type) {
        return SyntheticCohort.rows(n, seed, type);
    }

    static MultiLayerConfiguration coxMlp(long seed) {
        return coxMlp(seed, DataType.FLOAT);
    }

    /** The same network as a ComputationGraph. */
    static ComputationGraphConfiguration coxGraph(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Sgd(0.05)).weightInit(WeightInit.XAVIER)
                .dataType(DataType.FLOAT).graphBuilder().addInputs("x")
                .addLayer("hidden", new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.TANH).build(),
                        "x")
                .addLayer("out", new OutputLayer.Builder(new CoxLossFunction()).nIn(16).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out").build();
    }

    /** A Weibull MLP: two outputs (log scale, log shape), starting near scale 1 and shape 1. */
    static MultiLayerConfiguration weibullMlp(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Sgd(0.02)).weightInit(WeightInit.XAVIER)
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(new WeibullLossFunction()).nIn(16).nOut(2)
                        .weightInit(new NormalDistribution(0, 0.01)).activation(Activation.IDENTITY).build())
                .build();
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
