package org.survival4j.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * A JSON object of a model file, read with messages that name the entry and the field: every
 * accessor throws an {@link IOException} saying what is missing or wrong.
 */
final class JsonFields {
    final String where;
    final JsonNode node;

    JsonFields(String where, JsonNode node) throws IOException {
        if (node == null || !node.isObject()) {
            throw new IOException(where + " is not a JSON object");
        }
        this.where = where;
        this.node = node;
    }

    interface Part<T> {
        T make();
    }

    /** Makes a part, turning the argument checks of its constructor into an error naming the entry. */
    <T> T build(Part<T> part) throws IOException {
        try {
            return part.make();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    JsonNode field(String name) throws IOException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new IOException(where + ": field '" + name + "' is missing");
        }
        return v;
    }

    String text(String name) throws IOException {
        JsonNode v = field(name);
        if (!v.isTextual()) {
            throw new IOException(where + ": field '" + name + "' must be text");
        }
        return v.asText();
    }

    boolean bool(String name) throws IOException {
        JsonNode v = field(name);
        if (!v.isBoolean()) {
            throw new IOException(where + ": field '" + name + "' must be true or false");
        }
        return v.asBoolean();
    }

    int integer(String name, int min, int max) throws IOException {
        JsonNode v = field(name);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new IOException(where + ": field '" + name + "' must be a whole number from " + min
                    + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", got " + v);
        }
        return v.asInt();
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type) throws IOException {
        String v = text(name);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": field '" + name + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()) + ", got '" + v + "'");
        }
    }

    JsonNode object(String name) throws IOException {
        JsonNode v = field(name);
        if (!v.isObject()) {
            throw new IOException(where + ": field '" + name + "' must be an object");
        }
        return v;
    }

    JsonNode array(String name) throws IOException {
        JsonNode v = field(name);
        if (!v.isArray()) {
            throw new IOException(where + ": field '" + name + "' must be a list");
        }
        return v;
    }

    double[] doubles(String name) throws IOException {
        return doubles(array(name), name);
    }

    private double[] doubles(JsonNode a, String name) throws IOException {
        double[] d = new double[a.size()];
        for (int k = 0; k < d.length; k++) {
            if (!a.get(k).isNumber() || !Double.isFinite(a.get(k).asDouble())) {
                throw new IOException(where + ": field '" + name + "' must hold finite numbers (at " + k + ")");
            }
            d[k] = a.get(k).asDouble();
        }
        return d;
    }

    double[][] doubleRows(String name) throws IOException {
        JsonNode a = array(name);
        double[][] rows = new double[a.size()][];
        for (int k = 0; k < rows.length; k++) {
            if (!a.get(k).isArray()) {
                throw new IOException(where + ": field '" + name + "' must be a list of lists");
            }
            rows[k] = doubles(a.get(k), name + "[" + k + "]");
        }
        return rows;
    }

    int[] ints(String name) throws IOException {
        JsonNode a = array(name);
        int[] v = new int[a.size()];
        for (int k = 0; k < v.length; k++) {
            if (!a.get(k).isIntegralNumber() || !a.get(k).canConvertToInt()) {
                throw new IOException(where + ": field '" + name + "' must hold whole numbers (at " + k + ")");
            }
            v[k] = a.get(k).asInt();
        }
        return v;
    }

    List<String> texts(String name) throws IOException {
        JsonNode a = array(name);
        List<String> v = new ArrayList<>();
        for (JsonNode item : a) {
            if (!item.isTextual()) {
                throw new IOException(where + ": field '" + name + "' must hold text");
            }
            v.add(item.asText());
        }
        return v;
    }

    Map<String, String> textMap(String name) throws IOException {
        JsonNode o = object(name);
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IOException(where + ": " + name + "." + e.getKey() + " must be text");
            }
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    Map<String, Double> numberMap(String name) throws IOException {
        JsonNode o = object(name);
        Map<String, Double> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new IOException(where + ": " + name + "." + e.getKey() + " must be a number");
            }
            m.put(e.getKey(), e.getValue().asDouble());
        }
        return m;
    }
}
