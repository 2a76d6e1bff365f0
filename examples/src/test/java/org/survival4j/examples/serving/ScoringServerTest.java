package org.survival4j.examples.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.survival4j.model.SurvivalModel;

/**
 * The scoring server end to end: it serves a saved model on a free port of 127.0.0.1, and a
 * {@link HttpClient} checks that its answers are the model's own predictions (bit for bit: the
 * same model object in the same process, and JSON carries doubles exactly), that bad requests get
 * a 4xx with a one-line message, and that concurrent clients each get their own answers.
 */
class ScoringServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] TIMES = {100, 500, 1000, 3000};
    private static SurvivalModel model;
    private static ScoringServer server;
    private static HttpClient client;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cox.zip");
        ServingFixtures.coxModel().save(file);
        model = SurvivalModel.load(file); // as the command line serves it
        server = ScoringServer.start(model, 0, 4);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void predictionsAreTheModelsOwn() throws Exception {
        List<Map<String, Object>> rows = ServingFixtures.rows(40, 9);
        double level = levelWithRowsOnBothSides(rows);
        JsonNode answer = ok(post(request(rows, TIMES, level)));
        assertEquals(level, answer.get("quantile").doubleValue());
        assertEquals(TIMES.length, answer.get("times").size());
        assertPredictions(rows, level, answer);
    }

    @Test
    void timesAndQuantileAreOptional() throws Exception {
        List<Map<String, Object>> rows = ServingFixtures.rows(3, 10);
        ObjectNode body = JSON.createObjectNode();
        body.set("rows", JSON.valueToTree(rows));
        JsonNode answer = ok(post(JSON.writeValueAsString(body)));
        assertEquals(0.5, answer.get("quantile").doubleValue());
        assertEquals(0, answer.get("times").size());
        assertEquals(0, answer.get("predictions").get(0).get("survival").size());
        assertPredictions(rows, 0.5, answer);
    }

    @Test
    void theModelDescriptionGivesKindColumnsAndTimeGrid() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri().resolve("/model")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode d = ok(r);
        assertEquals("COX", d.get("kind").textValue());
        assertEquals("EFRON", d.get("ties").textValue());
        assertEquals(List.of("age", "nodes", "grade"),
                d.get("columns").findValues("name").stream().map(JsonNode::textValue).toList());
        assertEquals(List.of("1", "2", "3"), JSON.convertValue(d.get("columns").get(2).get("levels"), List.class));
        assertEquals(ServingFixtures.RECIPE.covariates(), JSON.convertValue(d.get("covariates"), List.class));
        double[] grid = model.timeGrid();
        assertEquals(grid.length, d.get("timeGrid").get("count").intValue());
        assertEquals(grid[0], d.get("timeGrid").get("first").doubleValue());
        assertEquals(grid[grid.length - 1], d.get("timeGrid").get("last").doubleValue());
        assertEquals(300, d.get("training").get("rows").intValue());
        assertEquals(ScoringServer.MAX_BODY_BYTES, d.get("limits").get("maxBodyBytes").intValue());
    }

    static Stream<Arguments> badRequests() {
        String row = "{\"age\": 60, \"nodes\": 2, \"grade\": \"2\"}";
        return Stream.of(
                Arguments.of("{\"rows\": [" + row, 400, "malformed JSON"),
                Arguments.of("{\"rows\": [" + row + "]} {}", 400, "malformed JSON"),
                Arguments.of("", 400, "the body must be a JSON object"),
                Arguments.of("[" + row + "]", 400, "the body must be a JSON object"),
                Arguments.of("{\"rows\": [" + row + "], \"time\": [1]}", 400, "unknown field 'time'"),
                Arguments.of("{\"rows\": []}", 400, "'rows' must be a non-empty array"),
                Arguments.of("{\"rows\": [[60, 2, \"2\"]]}", 400, "row 1 must be an object"),
                Arguments.of("{\"rows\": [" + row + ", {\"agee\": 60, \"nodes\": 2, \"grade\": \"2\"}]}", 400,
                        "row 2: unknown column 'agee'"),
                Arguments.of("{\"rows\": [{\"age\": 60, \"nodes\": 2}]}", 400, "row 1: no column 'grade'"),
                Arguments.of("{\"rows\": [{\"age\": 60, \"age\": 61, \"nodes\": 2, \"grade\": \"2\"}]}", 400,
                        "Duplicate field 'age'"),
                Arguments.of("{\"rows\": [{\"age\": null, \"nodes\": 2, \"grade\": \"2\"}]}", 400,
                        "row 1: column 'age' is missing"),
                Arguments.of("{\"rows\": [{\"age\": true, \"nodes\": 2, \"grade\": \"2\"}]}", 400,
                        "row 1: column 'age' must be a number, a string or null, got a boolean"),
                Arguments.of("{\"rows\": [{\"age\": {\"years\": 60}, \"nodes\": 2, \"grade\": \"2\"}]}", 400,
                        "got an object"),
                Arguments.of("{\"rows\": [{\"age\": \"old\", \"nodes\": 2, \"grade\": \"2\"}]}", 400,
                        "row 1: column 'age' has 'old': not a finite number"),
                Arguments.of("{\"rows\": [{\"age\": 1e999, \"nodes\": 2, \"grade\": \"2\"}]}", 400,
                        "row 1: column 'age' is a number beyond the range of a double"),
                Arguments.of("{\"rows\": [{\"age\": NaN, \"nodes\": 2, \"grade\": \"2\"}]}", 400, "malformed JSON"),
                Arguments.of("{\"rows\": [{\"age\": \"Infinity\", \"nodes\": 2, \"grade\": \"2\"}]}", 400,
                        "not a finite number"),
                Arguments.of("{\"rows\": [{\"age\": 60, \"nodes\": -3, \"grade\": \"2\"}]}", 400,
                        "log(1 + x) needs x > -1"),
                Arguments.of("{\"rows\": [{\"age\": 60, \"nodes\": 2, \"grade\": \"4\"}]}", 400,
                        "a category not seen in training"),
                Arguments.of("{\"rows\": [" + row + "], \"times\": [1, -1]}", 400, "times[1] = -1.0: times must be >= 0"),
                Arguments.of("{\"rows\": [" + row + "], \"times\": [\"1\"]}", 400, "times[0] must be a number"),
                Arguments.of("{\"rows\": [" + row + "], \"times\": 365}", 400, "'times' must be an array"),
                Arguments.of("{\"rows\": [" + row + "], \"times\": [1e999]}", 400, "times[0] is a number beyond the range of a double"),
                Arguments.of("{\"rows\": [" + row + "], \"quantile\": 1}", 400, "'quantile' must be in (0, 1)"),
                Arguments.of("{\"rows\": [" + row + "], \"quantile\": \"median\"}", 400, "'quantile' must be a number"),
                Arguments.of("{\"rows\": [" + String.join(",", Collections.nCopies(
                        PredictRequest.MAX_ROWS + 1, row)) + "]}", 400, "too many rows: 10001"),
                Arguments.of(" ".repeat(ScoringServer.MAX_BODY_BYTES + 1), 413, "larger than the limit of 1048576 bytes"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void aBadRequestGetsA4xxWithAOneLineMessage(String body, int status, String message) throws Exception {
        assertError(post(body), status, message);
    }

    @Test
    void anotherPathOrMethodIsRefused() throws Exception {
        assertError(client.send(HttpRequest.newBuilder(server.uri().resolve("/score")).GET().build(),
                HttpResponse.BodyHandlers.ofString()), 404, "no such path: /score");
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(server.uri().resolve("/predict")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(get, 405, "GET /predict is not supported; use POST");
        assertEquals(List.of("POST"), get.headers().allValues("Allow"));
        assertError(client.send(HttpRequest.newBuilder(server.uri().resolve("/model"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()),
                405, "POST /model is not supported; use GET");
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(server.uri().resolve("/model"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void aModelWithoutARecipeIsNotServed() {
        SurvivalModel encodedOnly = SurvivalModel.builder((MultiLayerNetwork) model.network())
                .trainingData(new double[][] {{0, 0, 0, 0}, {1, 0, 0, 1}}, new double[][] {{1, 1}, {2, 0}}).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoringServer.start(encodedOnly, 0, 1))
                .getMessage().contains("needs a feature recipe"));
    }

    /**
     * Eight clients at once, each with rows of its own (a different number per client), good and
     * bad requests interleaved: every good answer is the model's prediction for that client's rows.
     */
    @Test
    void concurrentClientsGetTheirOwnAnswers() throws Exception {
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                List<Map<String, Object>> rows = ServingFixtures.rows(1 + 3 * c, 100 + c);
                String good = request(rows, TIMES, 0.5);
                String bad = request(List.of(Map.of("age", 60, "nodes", 2, "grade", "9")), TIMES, 0.5);
                calls.add(pool.submit(() -> {
                    for (int round = 0; round < 15; round++) {
                        assertPredictions(rows, 0.5, ok(post(good)));
                        assertError(post(bad), 400, "a category not seen in training");
                    }
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get(3, TimeUnit.MINUTES); // rethrows a client's failed assertion
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A survival level that some of the rows reach within the training times and some do not. */
    private static double levelWithRowsOnBothSides(List<Map<String, Object>> rows) {
        for (double level : new double[] {0.5, 0.4, 0.3, 0.2, 0.1, 0.05}) {
            double[] q = model.quantileTime(rows, level);
            if (Arrays.stream(q).anyMatch(Double::isFinite) && Arrays.stream(q).anyMatch(Double::isInfinite)) {
                return level;
            }
        }
        throw new AssertionError("the fixture's rows should reach some levels but not all");
    }

    private static void assertPredictions(List<Map<String, Object>> rows, double level, JsonNode answer) {
        double[] times = JSON.convertValue(answer.get("times"), double[].class);
        double[] risk = model.risk(rows);
        double[][] survival = model.survival(rows, times);
        double[] quantile = model.quantileTime(rows, level);
        JsonNode predictions = answer.get("predictions");
        assertEquals(rows.size(), predictions.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode p = predictions.get(i);
            assertEquals(risk[i], p.get("risk").doubleValue(), "risk of row " + i);
            for (int j = 0; j < times.length; j++) {
                assertEquals(survival[i][j], p.get("survival").get(j).doubleValue(), "survival of row " + i);
            }
            boolean reached = Double.isFinite(quantile[i]);
            assertEquals(reached, p.get("reached").booleanValue(), "row " + i + " reached");
            if (reached) {
                assertEquals(quantile[i], p.get("quantileTime").doubleValue(), "quantile time of row " + i);
            } else {
                assertTrue(p.get("quantileTime").isNull(), "row " + i + ": not reached is null");
            }
        }
    }

    private static String request(List<Map<String, Object>> rows, double[] times, double level) throws IOException {
        Map<String, Object> body = new HashMap<>();
        body.put("rows", rows);
        body.put("times", times);
        body.put("quantile", level);
        return JSON.writeValueAsString(body);
    }

    private static HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body());
        assertEquals(1, e.size(), r.body());
        String text = e.get("error").textValue();
        assertTrue(text.contains(message), "'" + text + "' should contain '" + message + "'");
        assertFalse(text.contains("\n"), "one line: " + text);
    }
}
