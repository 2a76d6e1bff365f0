package org.survival4j.examples.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;
import org.survival4j.model.TrainingSummary;

/**
 * The answer of {@code GET /model}: what the model is and what a request must give.
 * <pre>{@code
 * {"kind": "COX", "ties": "EFRON", "stratified": false, "inputs": 4, "outputs": 1,
 *  "columns": [{"name": "age", "encoding": "NUMERIC"},
 *              {"name": "grade", "encoding": "ONE_HOT", "levels": ["1", "2", "3"]}, ...],
 *  "strataColumn": null, "missingValues": "REJECT", "covariates": ["age", "grade=2", ...],
 *  "timeGrid": {"count": 974, "first": 3.0, "last": 7043.0},
 *  "training": {"rows": 1546, "events": 974, "settings": {...}, "metrics": {...}},
 *  "limits": {"maxBodyBytes": 1048576, "maxRows": 10000, "maxTimes": 1000}}
 * }</pre>
 * A grid-hazard model adds {@code "knots"}, a competing-risks model {@code "causes"} (e.g.
 * {@code [1, 2]}; a Fine-Gray model its one cause); the time grid is the distinct event times of
 * the training rows.
 */
final class ModelDescription {
    private ModelDescription() {
    }

    static ObjectNode of(SurvivalModel model, ObjectMapper json) {
        ObjectNode d = json.createObjectNode();
        d.put("kind", model.kind().name());
        if (model.ties() != null) {
            d.put("ties", model.ties().name());
        }
        d.put("stratified", model.stratified());
        d.put("inputs", model.inputs());
        d.put("outputs", model.outputs());
        if (model.competingRisks()) {
            int[] causes = model.causes();
            ArrayNode list = d.putArray("causes");
            for (int k : causes) {
                list.add(k);
            }
        }
        if (model.knots() != null) {
            ArrayNode knots = d.putArray("knots");
            for (double k : model.knots()) {
                knots.add(k);
            }
        }
        FeatureRecipe recipe = model.recipe();
        ArrayNode columns = d.putArray("columns");
        for (FeatureRecipe.Column c : recipe.columns()) {
            ObjectNode column = columns.addObject().put("name", c.name()).put("encoding", c.encoding().name());
            if (!c.levels().isEmpty()) {
                c.levels().forEach(column.putArray("levels")::add);
            }
            if (c.cuts().length > 0) {
                ArrayNode cuts = column.putArray("cuts");
                for (double cut : c.cuts()) {
                    cuts.add(cut);
                }
            }
        }
        d.put("strataColumn", recipe.strataColumn());
        d.put("missingValues", recipe.missingValues().name());
        recipe.covariates().forEach(d.putArray("covariates")::add);
        double[] grid = model.timeGrid();
        d.putObject("timeGrid").put("count", grid.length).put("first", grid[0]).put("last", grid[grid.length - 1]);
        TrainingSummary s = model.summary();
        ObjectNode training = d.putObject("training").put("rows", s.rows()).put("events", s.events());
        s.settings().forEach(training.putObject("settings")::put);
        s.metrics().forEach(training.putObject("metrics")::put);
        d.putObject("limits").put("maxBodyBytes", ScoringServer.MAX_BODY_BYTES).put("maxRows", PredictRequest.MAX_ROWS)
                .put("maxTimes", PredictRequest.MAX_TIMES);
        return d;
    }
}
