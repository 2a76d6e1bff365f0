package org.survival4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A case of {@code golden/grid} (torchsurv's grid-hazard likelihood, computed in float32; README
 * there): knots, log hazards, labels, the summed and mean losses, the summed gradient, survival.
 */
public final class GridGolden {
    /** The case names, for {@code @MethodSource}. */
    public static Stream<String> cases() {
        return Stream.of("grid_small", "grid_n64_k12");
    }

    private final JsonNode json;

    private GridGolden(JsonNode json) {
        this.json = json;
    }

    /** Reads case {@code name}. */
    public static GridGolden load(String name) {
        try (InputStream in = GridGolden.class.getResourceAsStream("/org/survival4j/golden/grid/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden grid case " + name);
            }
            return new GridGolden(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A number of the case, e.g. {@code nll_sum}. */
    public double number(String key) {
        return json.get(key).asDouble();
    }

    /** A vector of the case, e.g. {@code knots}, {@code time}. */
    public double[] vector(String key) {
        return vector(json.get(key));
    }

    /** A matrix of the case, e.g. {@code log_hz}, {@code grad_sum}. */
    public double[][] matrix(String key) {
        JsonNode node = json.get(key);
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(node.get(i));
        }
        return m;
    }

    private static double[] vector(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }
}
