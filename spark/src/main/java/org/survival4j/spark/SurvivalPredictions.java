package org.survival4j.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.metrics.BreslowBaseline;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.ConcordanceResult;

/**
 * Predictions and Harrell's C of a survival network on data that stays on the executors: the
 * network is broadcast once, each partition computes its outputs, and only what is asked for comes
 * back to the driver.
 *
 * <pre>{@code
 * JavaRDD<INDArray> logHazards = SurvivalPredictions.outputs(sc, momentum.target(), testRdd);
 * ConcordanceResult c = SurvivalPredictions.harrell(sc, momentum.target(), testRdd);
 * BreslowBaseline baseline = SurvivalPredictions.breslowBaseline(sc, momentum.target(), trainRdd);
 * SurvivalPredictions.save(sc, momentum.target(), testRdd, "hdfs:///predictions");  // a CSV file per partition
 * }</pre>
 */
public final class SurvivalPredictions {
    private SurvivalPredictions() {
    }

    /**
     * The network's output (inference mode) for each {@code DataSet} of {@code data}, in order:
     * {@code [n, 1]} log hazards for a Cox network, {@code [n, 2]} log scale and log shape for a
     * Weibull one. Save them per partition with {@code saveAsTextFile} or {@code saveAsObjectFile}.
     */
    public static JavaRDD<INDArray> outputs(JavaSparkContext sc, Model net, JavaRDD<DataSet> data) {
        SurvivalArguments.checkNotNull(sc, "sc");
        SurvivalArguments.checkNotNull(data, "data");
        Broadcast<byte[]> network = sc.broadcast(bytes(SurvivalArguments.checkNotNull(net, "net")));
        boolean graph = net instanceof ComputationGraph;
        return data.mapPartitions(rows -> {
            Model m = restore(network.value(), graph);
            List<INDArray> out = new ArrayList<>();
            while (rows.hasNext()) {
                INDArray features = rows.next().getFeatures();
                out.add(graph ? ((ComputationGraph) m).outputSingle(features)
                        : ((MultiLayerNetwork) m).output(features));
            }
            return out.iterator();
        });
    }

    /**
     * Writes one CSV line per row, {@code time,event,output_1,...,output_c}, as text files under
     * {@code path}, one per partition (Spark's {@code saveAsTextFile}): predictions for data too
     * large for the driver.
     */
    public static void save(JavaSparkContext sc, Model net, JavaRDD<DataSet> data, String path) {
        SurvivalArguments.checkNotNull(path, "path");
        labelledOutputs(sc, net, data).map(row -> Arrays.stream(row).mapToObj(Double::toString)
                .collect(Collectors.joining(","))).saveAsTextFile(path);
    }

    /**
     * Harrell's C of a Cox network on {@code data} (labels: time, event), the log hazard being the
     * risk score. The log hazards are computed on the executors; the driver receives three numbers
     * a row (24 bytes) and computes C in O(n log n).
     */
    public static ConcordanceResult harrell(JavaSparkContext sc, Model net, JavaRDD<DataSet> data) {
        INDArray[] columns = logHazardTimeEvent(sc, net, data);
        return ConcordanceIndex.harrellResult(columns[0], columns[1], columns[2]);
    }

    /**
     * The Breslow baseline hazard of a Cox network fitted on {@code data} (its training rows), for
     * survival curves on the driver ({@code baseline.survival(logHazards, times)}); the log hazards
     * are computed on the executors, as for {@link #harrell}.
     */
    public static BreslowBaseline breslowBaseline(JavaSparkContext sc, Model net, JavaRDD<DataSet> data) {
        INDArray[] columns = logHazardTimeEvent(sc, net, data);
        return BreslowBaseline.fit(columns[0], columns[1], columns[2]);
    }

    /** The log hazard (first output column), time and event of every row, collected on the driver. */
    private static INDArray[] logHazardTimeEvent(JavaSparkContext sc, Model net, JavaRDD<DataSet> data) {
        List<double[]> all = labelledOutputs(sc, net, data).map(row -> new double[] {row[2], row[0], row[1]})
                .collect();
        double[][] columns = new double[3][all.size()];
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < 3; j++) {
                columns[j][i] = all.get(i)[j];
            }
        }
        return new INDArray[] {Nd4j.createFromArray(columns[0]), Nd4j.createFromArray(columns[1]),
                Nd4j.createFromArray(columns[2])};
    }

    /** One array per row: time, event, then the network's outputs. */
    private static JavaRDD<double[]> labelledOutputs(JavaSparkContext sc, Model net, JavaRDD<DataSet> data) {
        return outputs(sc, net, data).zip(data).flatMap(p -> {
            double[][] out = p._1().toDoubleMatrix();
            double[][] labels = p._2().getLabels().toDoubleMatrix();
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                double[] row = new double[2 + out[i].length];
                row[0] = labels[i][0];
                row[1] = labels[i][1];
                System.arraycopy(out[i], 0, row, 2, out[i].length);
                rows.add(row);
            }
            return rows.iterator();
        });
    }

    private static byte[] bytes(Model net) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Model restore(byte[] bytes, boolean graph) throws IOException {
        return graph ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false)
                : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
    }
}
