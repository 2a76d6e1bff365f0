package org.survival4j.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test resources next to a test class: files copied out of the classpath, and the
 * {@code key=value} files that record what an old release computed when it wrote a checkpoint
 * (numbers as Java's {@code Arrays.toString} / {@code deepToString} print them).
 */
public final class TestResources {
    private TestResources() {
    }

    /** Copies resource {@code name} (beside {@code owner}) into {@code dir}. */
    public static File file(Class<?> owner, String name, File dir) throws IOException {
        File copy = new File(dir, name);
        try (InputStream in = open(owner, name)) {
            Files.copy(in, copy.toPath());
        }
        return copy;
    }

    /** The {@code key=value} lines of resource {@code name}. */
    public static Map<String, String> properties(Class<?> owner, String name) {
        try (InputStream in = open(owner, name)) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code [1.0, 2.0]} as an array. */
    public static double[] vector(String text) {
        String inner = text.strip().replaceAll("^\\[|\\]$", "").strip();
        return inner.isEmpty() ? new double[0]
                : Arrays.stream(inner.split(",")).mapToDouble(v -> Double.parseDouble(v.strip())).toArray();
    }

    /** {@code [[1.0, 2.0], [3.0, 4.0]]} as a matrix. */
    public static double[][] matrix(String text) {
        String inner = text.strip().replaceAll("^\\[\\[|\\]\\]$", "");
        return inner.isBlank() ? new double[0][]
                : Arrays.stream(inner.split("\\],\\s*\\[")).map(TestResources::vector).toArray(double[][]::new);
    }

    private static InputStream open(Class<?> owner, String name) throws IOException {
        InputStream in = owner.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("no test resource " + name + " beside " + owner.getName());
        }
        return in;
    }
}
