package org.survival4j.samediff;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.nd4j.autodiff.samediff.SameDiff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a graph's gradient function without SameDiff 1.0.0-M2.1's console noise: while it
 * differentiates, SameDiff prints a line per op ({@code Added differentiated op ...}) to
 * {@code System.out}; here those lines go to this class's logger at DEBUG instead.
 * {@code System.out} is redirected for that moment only, so output of other threads printed
 * meanwhile goes there too. Not thread-safe for one graph.
 */
final class GradientFunction {
    private static final Logger LOG = LoggerFactory.getLogger(GradientFunction.class);

    private GradientFunction() {
    }

    /**
     * Creates the gradient function of {@code sd} if it has none, as {@code sd.fit},
     * {@code calculateGradients} and {@code createGradFunction()} would.
     */
    static void createQuietly(SameDiff sd) {
        if (sd.hasGradientFunction()) {
            return;
        }
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            sd.createGradFunction();
        } finally {
            System.setOut(out);
        }
        if (LOG.isDebugEnabled()) {
            printed.toString(StandardCharsets.UTF_8).lines().forEach(LOG::debug);
        }
    }
}
