package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.survival4j.examples.train.TrainingProgress;

/** Progress in a log: a few distinct lines, the last one the finished run with its loss and C-index. */
class EpochProgressBarTest {
    @Test
    void logGetsAboutTenDistinctLinesEndingWithTheLastEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (EpochProgressBar bar = new EpochProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                "momentum", "test C", false)) {
            for (int epoch = 1; epoch <= 40; epoch++) {
                bar.accept(new TrainingProgress(epoch, 40, 5.0 - epoch / 100.0, 0.6 + epoch / 1000.0, epoch * 0.1));
            }
        }

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.size() >= 10 && lines.size() <= 12, lines.toString());
        assertEquals(lines.size(), lines.stream().distinct().count(), "repeated lines: " + lines);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("momentum 100%"), last);
        assertTrue(last.contains("40/40 epochs") && last.contains("loss 4.6000") && last.contains("test C 0.6400"),
                last);
    }
}
