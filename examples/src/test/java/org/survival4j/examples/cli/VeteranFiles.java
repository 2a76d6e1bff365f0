package org.survival4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded veterans' lung cancer trial as a user's two CSV files: a training file (three rows
 * in four) and a test file (every fourth row), both with the header row.
 */
final class VeteranFiles {
    /** The files' paths. */
    record Split(Path train, Path test) {
    }

    private VeteranFiles() {
    }

    /** Writes {@code veteran-train.csv} and {@code veteran-test.csv} into {@code dir}. */
    static Split write(Path dir) throws IOException {
        List<String> lines;
        try (InputStream in = VeteranFiles.class.getResourceAsStream("/org/survival4j/datasets/veteran.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> trainLines = new ArrayList<>(List.of(lines.get(0)));
        List<String> testLines = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            (i % 4 == 0 ? testLines : trainLines).add(lines.get(i));
        }
        Split split = new Split(dir.resolve("veteran-train.csv"), dir.resolve("veteran-test.csv"));
        Files.write(split.train(), trainLines);
        Files.write(split.test(), testLines);
        return split;
    }
}
