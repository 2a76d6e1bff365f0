package org.survival4j.spark.example;

import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.Momentum;
import org.survival4j.momentum.MomentumConfig;
import org.survival4j.spark.SparkMomentum;
import org.survival4j.spark.SurvivalPredictions;

/**
 * A neural Cox model trained on Spark, plainly and with momentum, next to the same training on one
 * machine: prints Harrell's C on held-out rows and the training time of each. Run it locally
 * ({@code local[2]} unless {@code spark.master} is set) or with {@code spark-submit} (docs/distributed.md).
 */
public final class SparkSurvivalExample {
    /** The log level switch, as in the project's other modules (where slf4j-simple reads it). */
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    /** The root level of log4j2's default configuration (used when it finds no configuration file). */
    private static final String LOG4J2_DEFAULT_LEVEL = "org.apache.logging.log4j.level";
    private static final int BATCH = 16;
    private static final int EPOCHS = 4;
    private static final MomentumConfig MOMENTUM = MomentumConfig.builder().batchSize(BATCH).steps(8).rate(0.99)
            .build();

    private SparkSurvivalExample() {
    }

    static MultiLayerConfiguration coxMlp() {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.05)).weightInit(WeightInit.XAVIER)
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(SyntheticCohort.FEATURES).nOut(16).activation(Activation.TANH)
                        .build())
                .layer(new OutputLayer.Builder(new CoxLossFunction()).nIn(16).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .build();
    }

    public static void main(String[] args) {
        // Spark logs every job, stage and task at INFO: warnings only, unless the project's log switch
        // asks for more (docs/user-guide.md, "Troubleshooting"). Without a log4j2 configuration Spark
        // installs its INFO defaults, unless log4j2's own default level is set, as here before anything
        // logs; a configuration on the classpath or the cluster's gets the level after the context starts.
        String level = System.getProperty(LOG_LEVEL, "warn").toUpperCase(Locale.ROOT);
        if (System.getProperty(LOG4J2_DEFAULT_LEVEL) == null) {
            System.setProperty(LOG4J2_DEFAULT_LEVEL, level);
        }
        int epochs = smokeBudget() ? 1 : EPOCHS;
        SparkConf conf = new SparkConf().setAppName("survival4j on Spark").setIfMissing("spark.master", "local[2]")
                .setIfMissing("spark.driver.host", "localhost");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel(level);
            List<DataSet> train = SyntheticCohort.rows(1500, 1, DataType.FLOAT);
            JavaRDD<DataSet> trainRdd = sc.parallelize(train, sc.defaultParallelism());
            JavaRDD<DataSet> testRdd = sc.parallelize(SyntheticCohort.rows(700, 2, DataType.FLOAT),
                    sc.defaultParallelism());
            System.out.printf(Locale.ROOT, "%-36s %8s %10s%n", "training", "C (test)", "seconds");

            for (boolean momentum : new boolean[] {false, true}) {
                long start = System.nanoTime();
                MultiLayerNetwork single = new MultiLayerNetwork(coxMlp());
                single.init();
                Momentum m = momentum ? Momentum.attach(single, MOMENTUM) : null;
                for (int e = 0; e < epochs; e++) {
                    for (int from = 0; from < train.size(); from += BATCH) {
                        single.fit(DataSet.merge(train.subList(from, Math.min(train.size(), from + BATCH))));
                    }
                }
                report(sc, (momentum ? "one machine, momentum target" : "one machine, plain"),
                        momentum ? m.target() : single, testRdd, start);
                if (momentum) {
                    report(sc, "one machine, momentum online", single, testRdd, start);
                }

                start = System.nanoTime();
                ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(
                        sc.defaultParallelism(), 1).batchSizePerWorker(BATCH).averagingFrequency(1)
                        .workerPrefetchNumBatches(0).rddTrainingApproach(RDDTrainingApproach.Direct)
                        .repartionData(Repartition.Never).build();
                SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, coxMlp(), master);
                SparkMomentum sparkMomentum = momentum ? SparkMomentum.attach(spark, MOMENTUM) : null;
                for (int e = 0; e < epochs; e++) {
                    if (momentum) {
                        sparkMomentum.fit(trainRdd);
                    } else {
                        spark.fit(trainRdd);
                    }
                }
                report(sc, "Spark " + sc.master() + (momentum ? ", momentum target" : ", plain"),
                        momentum ? sparkMomentum.momentum().target() : spark.getNetwork(), testRdd, start);
                if (momentum) {
                    report(sc, "Spark " + sc.master() + ", momentum online", spark.getNetwork(), testRdd, start);
                }
            }
        }
    }

    /**
     * Whether the smoke budget is on (the environment variable SURVIVAL4J_SMOKE, docs/cli.md): one
     * epoch instead of four, to check that the example runs.
     */
    private static boolean smokeBudget() {
        String value = System.getenv("SURVIVAL4J_SMOKE");
        boolean on = value != null && !value.isBlank() && !value.strip().equals("0");
        if (on) {
            System.err.println("SURVIVAL4J_SMOKE is set: 1 epoch instead of " + EPOCHS
                    + " (a smoke run: its numbers mean nothing)");
        }
        return on;
    }

    private static void report(JavaSparkContext sc, String name, MultiLayerNetwork predictor, JavaRDD<DataSet> test,
                               long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double c = SurvivalPredictions.harrell(sc, predictor, test).estimate();
        System.out.printf(Locale.ROOT, "%-36s %8.4f %10.1f%n", name, c, seconds);
    }
}
