package org.survival4j.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a survival model was trained on and how well it did, saved with it: the number of training
 * rows and events, the settings as text (loss, network, optimizer, momentum, ...) and metrics by
 * name (e.g. {@code "test.harrell"}). Free-form: nothing in the model's predictions depends on it.
 *
 * <pre>{@code
 * TrainingSummary s = new TrainingSummary(1546, 1080, Map.of("epochs", "40"), Map.of("test.harrell", 0.677));
 * }</pre>
 *
 * @param rows training rows, {@code >= 1}
 * @param events training events, {@code 0 <= events <= rows}
 * @param settings training settings by name (insertion order kept)
 * @param metrics finite metrics by name (insertion order kept)
 * @since 0.2
 */
public record TrainingSummary(int rows, int events, Map<String, String> settings, Map<String, Double> metrics) {
    /** Checks the counts and copies the maps. */
    public TrainingSummary {
        if (rows < 1 || events < 0 || events > rows) {
            throw new IllegalArgumentException("a training summary needs rows >= 1 and 0 <= events <= rows, got "
                    + rows + " rows and " + events + " events");
        }
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(settings, "settings")));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metrics, "metrics")));
        for (Map.Entry<String, String> e : settings.entrySet()) {
            Objects.requireNonNull(e.getKey(), "a setting's name");
            Objects.requireNonNull(e.getValue(), "setting " + e.getKey());
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            Objects.requireNonNull(e.getKey(), "a metric's name");
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("metric '" + e.getKey() + "' must be a finite number, got " + e.getValue());
            }
        }
    }

    /** This summary with one more metric (replacing one of the same name). */
    public TrainingSummary withMetric(String name, double value) {
        Map<String, Double> m = new LinkedHashMap<>(metrics);
        m.put(name, value);
        return new TrainingSummary(rows, events, settings, m);
    }
}
