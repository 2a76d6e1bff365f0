package org.survival4j.examples.serving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /predict}, read and checked:
 * <pre>{@code
 * {"rows": [{"age": 64, "nodes": 3, "grade": "2"}, ...],   required, 1 to MAX_ROWS rows
 *  "times": [365, 730],                                    optional, survival at these times (default none)
 *  "quantile": 0.5}                                        optional, the survival level of the quantile time (default 0.5: the median)
 * }</pre>
 * Every row names each of the model's columns exactly once (its feature columns and, for a
 * stratified model, the strata column) and nothing else; a value is a number, a string or
 * {@code null} (a missing value, which the model's recipe rejects or imputes). Whether a value fits
 * its column (a number, a known category) is the recipe's to say, when the rows are encoded.
 *
 * @param rows the rows, values by column name ({@code Double}, {@code String} or {@code null})
 * @param times the times of the survival probabilities, finite and {@code >= 0}
 * @param level the survival level of the quantile time, in (0, 1)
 */
record PredictRequest(List<Map<String, Object>> rows, double[] times, double level) {
    static final int MAX_ROWS = 10_000;
    static final int MAX_TIMES = 1_000;
    static final double DEFAULT_LEVEL = 0.5;
    private static final Set<String> FIELDS = Set.of("rows", "times", "quantile");
    /** Rejects repeated keys and anything after the object (Jackson accepts both by default). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * @param body the request body (UTF-8 JSON)
     * @param columns the columns every row must give
     * @throws HttpError 400 with a message naming what is wrong
     */
    static PredictRequest parse(byte[] body, Collection<String> columns) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw badRequest("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw badRequest("unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw badRequest("the body must be a JSON object {\"rows\": [...], \"times\": [...], \"quantile\": 0.5}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw badRequest("unknown field '" + field + "' (fields: rows, times, quantile)");
            }
        }
        return new PredictRequest(rows(root.get("rows"), columns), times(root.get("times")), level(root.get("quantile")));
    }

    private static List<Map<String, Object>> rows(JsonNode node, Collection<String> columns) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw badRequest("'rows' must be a non-empty array of objects (column name: value)");
        }
        if (node.size() > MAX_ROWS) {
            throw badRequest("too many rows: " + node.size() + " (at most " + MAX_ROWS + " a request)");
        }
        List<Map<String, Object>> rows = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode row = node.get(i);
            String where = "row " + (i + 1);
            if (!row.isObject()) {
                throw badRequest(where + " must be an object (column name: value), got " + type(row));
            }
            Map<String, Object> values = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!columns.contains(e.getKey())) {
                    throw badRequest(where + ": unknown column '" + e.getKey() + "' (the model's columns: "
                            + String.join(", ", columns) + ")");
                }
                values.put(e.getKey(), value(e.getValue(), where + ": column '" + e.getKey() + "'"));
            }
            for (String column : columns) {
                if (!values.containsKey(column)) {
                    throw badRequest(where + ": no column '" + column + "' (give null for a missing value)");
                }
            }
            rows.add(values);
        }
        return rows;
    }

    private static Object value(JsonNode v, String where) {
        if (v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber()) {
            return finite(v, where);
        }
        throw badRequest(where + " must be a number, a string or null, got " + type(v));
    }

    private static double[] times(JsonNode node) {
        if (node == null) {
            return new double[0];
        }
        if (!node.isArray()) {
            throw badRequest("'times' must be an array of numbers, got " + type(node));
        }
        if (node.size() > MAX_TIMES) {
            throw badRequest("too many times: " + node.size() + " (at most " + MAX_TIMES + ")");
        }
        double[] t = new double[node.size()];
        for (int j = 0; j < t.length; j++) {
            String where = "times[" + j + "]";
            if (!node.get(j).isNumber()) {
                throw badRequest(where + " must be a number, got " + type(node.get(j)));
            }
            t[j] = finite(node.get(j), where);
            if (t[j] < 0) {
                throw badRequest(where + " = " + t[j] + ": times must be >= 0");
            }
        }
        return t;
    }

    private static double level(JsonNode node) {
        if (node == null) {
            return DEFAULT_LEVEL;
        }
        if (!node.isNumber()) {
            throw badRequest("'quantile' must be a number in (0, 1), got " + type(node));
        }
        double q = finite(node, "'quantile'");
        if (!(q > 0 && q < 1)) {
            throw badRequest("'quantile' must be in (0, 1) (0.5: the median), got " + q);
        }
        return q;
    }

    /** The number as a double; a literal beyond the double range (1e999) is refused, not made infinite. */
    private static double finite(JsonNode v, String where) {
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw badRequest(where + " is a number beyond the range of a double: not a finite number");
        }
        return d;
    }

    private static String type(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }
}
