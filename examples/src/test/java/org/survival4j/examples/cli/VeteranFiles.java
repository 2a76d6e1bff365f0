package org.survival4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: the veterans' lung cancer trial (137 rows, a categorical cell type) cut into a
 * training file (three rows in four, 103 rows) and a separate test file (every fourth row, 34 rows).
 *
 * @param train the training CSV
 * @param test the test CSV
 */
record VeteranFiles(Path train, Path test) {
    /** Writes both files into {@code dir}. */
    static VeteranFiles writeTo(Path dir) throws IOException {
        List<String> lines;
        try (InputStream in = VeteranFiles.class.getResourceAsStream("/org/survival4j/datasets/veteran.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> trainLines = new ArrayList<>(List.of(lines.get(0)));
        List<String> testLines = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            (i % 4 == 0 ? testLines : trainLines).add(lines.get(i));
        }
        VeteranFiles files = new VeteranFiles(dir.resolve("veteran-train.csv"), dir.resolve("veteran-test.csv"));
        Files.write(files.train, trainLines);
        Files.write(files.test, testLines);
        return files;
    }
}
