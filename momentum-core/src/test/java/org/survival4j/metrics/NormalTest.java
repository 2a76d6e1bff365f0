package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The normal distribution function against values printed by R 4.2.2 ({@code pnorm}, {@code qnorm}). */
class NormalTest {
    static final double TOLERANCE = 1e-14;

    @ParameterizedTest
    @CsvSource({
        "0, 0.5",
        "1.959963984540054, 0.975",
        "-1, 0.15865525393145707",
        "2.5, 0.99379033467422384",
        "-5, 2.8665157187919391e-07"})
    void cdfMatchesPnorm(double x, double p) {
        assertEquals(p, Normal.cdf(x), TOLERANCE);
    }

    /** A NaN argument is an answer (NaN), not an endless series; the infinities are the limits. */
    @ParameterizedTest
    @CsvSource({"NaN, NaN", "Infinity, 1", "-Infinity, 0"})
    void cdfEndsOnNonFiniteInput(double x, double p) {
        assertEquals(p, assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Normal.cdf(x)));
    }

    @ParameterizedTest
    @CsvSource({"NaN, NaN", "0, -Infinity", "1, Infinity"})
    void quantileEndsOnNonFiniteOrBoundaryInput(double p, double x) {
        assertEquals(x, assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Normal.quantile(p)));
    }

    @ParameterizedTest
    @CsvSource({
        "0.975, 1.959963984540054",
        "0.5, 0",
        "0.005, -2.5758293035489004",
        "0.9999, 3.7190164854557084"})
    void quantileMatchesQnorm(double p, double x) {
        assertEquals(x, Normal.quantile(p), 1e-12);
    }
}
