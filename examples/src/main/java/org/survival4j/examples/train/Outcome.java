package org.survival4j.examples.train;

import java.util.Objects;
import java.util.function.Supplier;
import org.survival4j.data.SurvivalArgumentException;

/**
 * A statistic computed on a model's test rows, or the reason it is not defined there. Test data
 * decides whether some statistics exist at all (a decile group without two events by the horizon,
 * predicted risks that are all 0 before the first event time, a calibration model that does not
 * converge); a training run reports such a statistic as "n/a" with its reason instead of losing
 * the trained model.
 *
 * <pre>{@code
 * Outcome<GroupedCalibration> gnd = Outcome.of("the GND test", () -> GroupedCalibration.test(risk, t, time, event));
 * gnd.defined() ? gnd.value().pValue() : gnd.reason();
 * }</pre>
 *
 * @param value the statistic, {@code null} when it is not defined
 * @param reason why it is not defined ({@code null} when it is): the statistic's name and the library's message
 * @param <T> the statistic's type
 */
public record Outcome<T>(T value, String reason) {
    /** Exactly one of value and reason. */
    public Outcome {
        if ((value == null) == (reason == null)) {
            throw new IllegalArgumentException("an outcome has either a value or a reason, not "
                    + (value == null ? "neither" : "both"));
        }
    }

    /**
     * Computes a statistic. The library's "undefined on these data" exceptions become the reason:
     * {@link SurvivalArgumentException} (its input checks and undefined statistics) and
     * {@link IllegalStateException} (a fit that does not converge); anything else propagates.
     *
     * @param statistic what is computed, e.g. "the calibration slope", to start the reason
     */
    public static <T> Outcome<T> of(String statistic, Supplier<T> compute) {
        Objects.requireNonNull(statistic, "statistic");
        try {
            return new Outcome<>(Objects.requireNonNull(compute.get(), statistic), null);
        } catch (SurvivalArgumentException | IllegalStateException e) {
            return new Outcome<>(null, statistic + ": " + e.getMessage());
        }
    }

    /** Whether the statistic is defined. */
    public boolean defined() {
        return value != null;
    }
}
