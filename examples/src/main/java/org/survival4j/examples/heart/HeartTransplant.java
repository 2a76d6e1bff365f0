package org.survival4j.examples.heart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.loss.Ties;

/**
 * Time-varying covariates: the Stanford heart transplant data (R's {@code survival::heart}, 172
 * rows of 103 patients; a patient who receives a transplant has one row before it and one after,
 * with {@code transplant} 0 then 1). A Cox model on counting-process labels (start, stop, event)
 * trained with DL4J, next to R's
 * {@code coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart)}.
 *
 * <pre>
 * mvn -B -q -DskipTests -Ptrain package -pl examples -am \
 *     -Dmain.class=org.survival4j.examples.heart.HeartTransplant -Dexec.args=""
 * </pre>
 */
public final class HeartTransplant {
    /** The covariates, in the order of the network's inputs. */
    public static final List<String> COVARIATES = List.of("age", "year", "surgery", "transplant");

    private HeartTransplant() {
    }

    /** The embedded data: features {@code [172, 4]} (age, year, surgery, transplant), labels (start, stop, event). */
    public static DataSet data() throws IOException {
        String csv;
        try (InputStream in = HeartTransplant.class.getResourceAsStream("/org/survival4j/datasets/heart.csv")) {
            if (in == null) {
                throw new IOException("heart.csv is missing from the classpath");
            }
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        List<String> header = List.of(lines.get(0).split(","));
        int n = lines.size() - 1;
        double[][] x = new double[n][COVARIATES.size()];
        double[][] y = new double[n][3];
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i + 1).split(",");
            for (int j = 0; j < COVARIATES.size(); j++) {
                x[i][j] = Double.parseDouble(cells[header.indexOf(COVARIATES.get(j))]);
            }
            y[i][0] = Double.parseDouble(cells[header.indexOf("start")]);
            y[i][1] = Double.parseDouble(cells[header.indexOf("stop")]);
            y[i][2] = Double.parseDouble(cells[header.indexOf("event")]);
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /** A linear Cox model (the log hazard is {@code beta . x}), trained full-batch with Adam. */
    public static MultiLayerNetwork linearCox(DataSet data, int iterations) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Adam(0.02)).weightInit(WeightInit.ZERO).list()
                .layer(new OutputLayer.Builder(new CoxLossFunction(Ties.EFRON)).nIn(COVARIATES.size()).nOut(1)
                        .hasBias(false).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        for (int i = 0; i < iterations; i++) {
            net.fit(data);
        }
        return net;
    }

    public static void main(String[] args) throws IOException {
        DataSet data = data();
        MultiLayerNetwork net = linearCox(data, 4000);
        INDArray beta = net.getParam("0_W");
        double[] r = {0.0271666409576767, -0.1463463456741959, -0.6372098899669668, -0.0102507724090828};
        System.out.println("covariate     DL4J        R coxph");
        for (int j = 0; j < COVARIATES.size(); j++) {
            System.out.printf(Locale.ROOT, "%-10s %10.5f %10.5f%n", COVARIATES.get(j), beta.getDouble(j), r[j]);
        }
    }
}
