package org.survival4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.survival4j.momentum.MomentumConfig;

/**
 * A momentum training run recorded with torchsurv (PyTorch 1.13, float32), for parity tests; see
 * {@code org/survival4j/traces/README.md} on the test classpath. Arrays are float32, weights in DL4J
 * layout (W {@code [nIn, nOut]}, b {@code [nOut]}).
 */
public final class MomentumTrace {
    /** The recorded traces. */
    public static final List<String> NAMES = List.of("cox_b16_s4", "weibull_b16_s4");

    private final JsonNode root;

    private MomentumTrace(JsonNode root) {
        this.root = root;
    }

    /** Loads {@code org/survival4j/traces/<name>.json}. */
    public static MomentumTrace load(String name) {
        String path = "/org/survival4j/traces/" + name + ".json";
        try (InputStream in = MomentumTrace.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new MomentumTrace(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "cox" or "weibull". */
    public String loss() {
        return root.get("config").get("loss").asText();
    }

    /** An integer setting of {@code config}: steps, batch, iters, hidden, features. */
    public int config(String key) {
        return root.get("config").get(key).asInt();
    }

    /** A real setting of {@code config}: rate, lr. */
    public double configReal(String key) {
        return root.get("config").get(key).asDouble();
    }

    /** The trace's momentum settings: batch size, steps and EMA rate. */
    public MomentumConfig momentumConfig() {
        return MomentumConfig.builder().batchSize(config("batch")).steps(config("steps")).rate(configReal("rate"))
                .build();
    }

    /** Features {@code [n, features]}. */
    public INDArray x() {
        return array(root.get("x"));
    }

    /** Labels {@code [n, 2]} = (time, event). */
    public INDArray labels() {
        return Nd4j.hstack(array(root.get("time")).reshape(-1, 1), array(root.get("event")).reshape(-1, 1));
    }

    /** Starting weights: W0, b0, W1, b1. */
    public Map<String, INDArray> init() {
        return weights("init");
    }

    /** Online weights after the run. */
    public Map<String, INDArray> onlineFinal() {
        return weights("online_final");
    }

    /** Target weights after the run. */
    public Map<String, INDArray> targetFinal() {
        return weights("target_final");
    }

    /** Loss of each iteration, before its step. */
    public double[] losses() {
        return array(root.get("losses")).toDoubleVector();
    }

    /** Target outputs on the first {@code 4 * batch} rows of x after training. */
    public INDArray probeTargetOutput() {
        return array(root.get("probe_target_output"));
    }

    /** Rows in the bank at the end. */
    public int bankSize() {
        return root.get("bank_size").asInt();
    }

    private Map<String, INDArray> weights(String key) {
        JsonNode w = root.get(key);
        return Map.of("W0", array(w.get("W0")), "b0", array(w.get("b0")), "W1", array(w.get("W1")),
                "b1", array(w.get("b1")));
    }

    private static INDArray array(JsonNode node) {
        if (!node.isArray() || node.size() == 0 || !node.get(0).isArray()) {
            float[] v = new float[node.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) node.get(i).asDouble();
            }
            return Nd4j.createFromArray(v);
        }
        float[][] m = new float[node.size()][node.get(0).size()];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = (float) node.get(i).get(j).asDouble();
            }
        }
        return Nd4j.createFromArray(m).castTo(DataType.FLOAT);
    }
}
