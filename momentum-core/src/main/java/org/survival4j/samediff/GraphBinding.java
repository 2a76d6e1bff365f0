package org.survival4j.samediff;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MomentumCheckpoint;

/**
 * What ties momentum to one SameDiff graph: the names of its placeholders and output, the loss,
 * and how often to log. The momentum settings themselves are a
 * {@link org.survival4j.momentum.MomentumConfig}. Immutable; a checkpoint stores it.
 *
 * @param features the features placeholders (fed from the data set's feature arrays)
 * @param output the output variable (log hazard, or the Weibull log parameters)
 * @param labels the labels placeholder ({@code [n, 2]}: time, event)
 * @param loss the survival loss on [bank rows ; batch rows]
 * @param logEvery log the loss every this many iterations; 0: never
 * @param graphLoss whether the loss is a graph function ({@link PooledLoss}) rather than the
 *                  kernel's gradient ({@link KernelGradient})
 */
record GraphBinding(List<String> features, String output, String labels, SurvivalLoss loss, int logEvery,
                    boolean graphLoss) {
    /** Name prefix of everything momentum adds to the online graph. */
    static final String PREFIX = "momentum";
    /** The loss forms as a checkpoint names them; checkpoints without a form (before 0.3) hold the graph form. */
    private static final String GRAPH = "graph";
    private static final String KERNEL_GRADIENT = "kernel-gradient";

    GraphBinding {
        features = List.copyOf(SurvivalArguments.checkNotNull(features, "features"));
        if (features.isEmpty()) {
            throw new IllegalArgumentException("features: at least one features placeholder is needed");
        }
        SurvivalArguments.checkNotNull(output, "output");
        SurvivalArguments.checkNotNull(labels, "labels");
        SurvivalArguments.checkNotNull(loss, "loss");
        SurvivalArguments.atLeast(logEvery, "logEvery", 0);
    }

    /**
     * Checks that the graphs have these names: the features placeholders and the output in both,
     * the labels placeholder in the online graph.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    void checkNames(SameDiff online, SameDiff target) {
        List<String> inBoth = new ArrayList<>(features);
        inBoth.add(output);
        for (String name : inBoth) {
            if (!online.hasVariable(name) || !target.hasVariable(name)) {
                throw new IllegalArgumentException("the graphs have no variable " + name);
            }
        }
        if (!online.hasVariable(labels)) {
            throw new IllegalArgumentException("the online graph has no labels placeholder " + labels);
        }
    }

    /** The settings a checkpoint stores for this binding. */
    Map<String, Object> settings() {
        Map<String, Object> lossJson = new LinkedHashMap<>();
        lossJson.put("kind", loss.kind().name());
        lossJson.put("ties", loss.ties() == null ? null : loss.ties().name());
        lossJson.put("reduction", loss.reduction().name());
        if (loss.knots() != null) {
            lossJson.put("knots", loss.knots());
        }
        lossJson.putAll(loss.competingSettings());
        lossJson.put("form", graphLoss ? GRAPH : KERNEL_GRADIENT);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("features", features);
        settings.put("output", output);
        settings.put("labels", labels);
        settings.put("loss", lossJson);
        settings.put("logEvery", logEvery);
        return settings;
    }

    /** The binding a checkpoint stored with {@link #settings()}. */
    static GraphBinding of(MomentumCheckpoint saved) throws IOException {
        JsonNode loss = saved.setting("loss");
        List<String> features = new ArrayList<>();
        saved.setting("features").forEach(n -> features.add(n.asText()));
        String output = saved.setting("output").asText();
        String labels = saved.setting("labels").asText();
        try {
            Ties ties = loss.path("ties").isTextual() ? Ties.valueOf(loss.path("ties").asText()) : null;
            double[] knots = null;
            if (loss.path("knots").isArray()) {
                knots = new double[loss.path("knots").size()];
                for (int k = 0; k < knots.length; k++) {
                    knots[k] = loss.path("knots").get(k).asDouble(Double.NaN);
                }
            }
            Map<String, Double> competing = new LinkedHashMap<>(); // the numbers a competing-risks loss may need
            loss.fields().forEachRemaining(f -> {
                if (f.getValue().isNumber()) {
                    competing.put(f.getKey(), f.getValue().asDouble());
                }
            });
            SurvivalLoss survivalLoss = SurvivalLoss.of(SurvivalLoss.Kind.valueOf(loss.path("kind").asText()), ties,
                    Reduction.valueOf(loss.path("reduction").asText()), knots, competing);
            String form = loss.path("form").asText(GRAPH);
            if (!form.equals(GRAPH) && !form.equals(KERNEL_GRADIENT)) {
                throw new IllegalArgumentException("unknown loss form " + form);
            }
            return new GraphBinding(features, output, labels, survivalLoss, saved.setting("logEvery").asInt(),
                    form.equals(GRAPH));
        } catch (IllegalArgumentException e) {
            throw saved.damaged("momentum.json holds invalid settings: " + e.getMessage());
        }
    }
}
