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
    /** A tiny network trained for 3 epochs: enough to exercise every output, fast. */
    static final String[] SMALL = {"--epochs", "3", "--batch", "8", "--hidden", "8"};

    /** Writes both files into {@code dir}. */
    static VeteranFiles writeTo(Path dir) throws IOException {
        VeteranFiles files = new VeteranFiles(dir.resolve("veteran-train.csv"), dir.resolve("veteran-test.csv"));
        writeSplit("veteran.csv", Integer.MAX_VALUE, files.train, files.test);
        return files;
    }

    /**
     * Cuts the first {@code rows} data rows of an embedded data set ({@code org/survival4j/datasets/NAME})
     * into a training file (three rows in four) and a test file (every fourth row), both with the header.
     */
    static void writeSplit(String dataset, int rows, Path train, Path test) throws IOException {
        List<String> lines;
        try (InputStream in = VeteranFiles.class.getResourceAsStream("/org/survival4j/datasets/" + dataset)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> trainLines = new ArrayList<>(List.of(lines.get(0)));
        List<String> testLines = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size() && i <= rows; i++) {
            (i % 4 == 0 ? testLines : trainLines).add(lines.get(i));
        }
        Files.write(train, trainLines);
        Files.write(test, testLines);
    }

    /** Runs {@code train} on these files with the {@link #SMALL} network and {@code extra} options into {@code out}. */
    CliRunner.Result runTrain(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", train.toString(), "--time", "time",
                "--event", "status", "--test", test.toString(), "--out", out.toString()));
        args.addAll(List.of(SMALL));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }
}
