package org.survival4j.examples.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.dl4j.FineGrayLossFunction;
import org.survival4j.loss.Ties;
import org.survival4j.model.SurvivalModel;

/**
 * The scoring server with competing-risks models (saved and loaded as the command line serves
 * them): every answer carries the model's own cumulative incidence per cause, bit for bit; a
 * cause-specific Cox model adds the survival from every cause and its quantile but no single risk
 * score, a Fine-Gray model gives its score and its cause's incidence only.
 */
class ScoringServerCompetingRisksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] TIMES = {100, 500, 1000, 3000};

    @Test
    void causeSpecificCoxAnswersIncidenceOfEachCauseAndEventFreeSurvival(@TempDir Path dir) throws Exception {
        SurvivalModel model = saved(ServingFixtures.competingModel(new CauseSpecificCoxLossFunction(2), 2), dir);
        List<Map<String, Object>> rows = ServingFixtures.rows(25, 4);
        try (ScoringServer server = ScoringServer.start(model, 0, 2)) {
            JsonNode answer = predict(server, rows);
            double[][] survival = model.survival(rows, TIMES);
            double[] quantile = model.quantileTime(rows, 0.5);
            for (int i = 0; i < rows.size(); i++) {
                JsonNode p = answer.get("predictions").get(i);
                assertFalse(p.has("risk"), "a cause-specific model has no single risk score");
                assertArray(survival[i], p.get("survival"));
                assertEquals(Double.isFinite(quantile[i]), p.get("reached").booleanValue());
                assertIncidence(model, rows, i, p, 1, 2);
            }
            assertEquals(List.of(1, 2), JSON.convertValue(describe(server).get("causes"), List.class));
        }
    }

    @Test
    void fineGrayAnswersItsCausesIncidenceAndScoreOnly(@TempDir Path dir) throws Exception {
        SurvivalModel model = saved(ServingFixtures.competingModel(new FineGrayLossFunction(2, Ties.EFRON), 1), dir);
        List<Map<String, Object>> rows = ServingFixtures.rows(25, 5);
        try (ScoringServer server = ScoringServer.start(model, 0, 2)) {
            JsonNode answer = predict(server, rows);
            assertFalse(answer.has("quantile"), answer.toString());
            double[] risk = model.risk(rows);
            for (int i = 0; i < rows.size(); i++) {
                JsonNode p = answer.get("predictions").get(i);
                assertEquals(risk[i], p.get("risk").doubleValue());
                assertFalse(p.has("survival") || p.has("quantileTime"), "Fine-Gray gives no survival: " + p);
                assertIncidence(model, rows, i, p, 2);
            }
            assertEquals(List.of(2), JSON.convertValue(describe(server).get("causes"), List.class));
        }
    }

    private static SurvivalModel saved(SurvivalModel model, Path dir) throws java.io.IOException {
        Path file = dir.resolve("model.zip");
        model.save(file);
        return SurvivalModel.load(file);
    }

    private static void assertIncidence(SurvivalModel model, List<Map<String, Object>> rows, int i, JsonNode p,
                                        int... causes) {
        JsonNode byCause = p.get("cumulativeIncidence");
        assertEquals(causes.length, byCause.size(), p.toString());
        for (int k : causes) {
            assertArray(model.cumulativeIncidence(rows, k, TIMES)[i], byCause.get(Integer.toString(k)));
        }
    }

    /** JSON carries doubles exactly (shortest round-trip form), so the answer is the model's to the bit. */
    private static void assertArray(double[] expected, JsonNode actual) {
        assertEquals(expected.length, actual.size());
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual.get(j).doubleValue(), "at time " + TIMES[j]);
        }
    }

    private static JsonNode predict(ScoringServer server, List<Map<String, Object>> rows) throws Exception {
        String body = JSON.writeValueAsString(Map.of("rows", rows, "times", TIMES, "quantile", 0.5));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode describe(ScoringServer server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/model"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"kind\""), r.body());
        return JSON.readTree(r.body());
    }
}
