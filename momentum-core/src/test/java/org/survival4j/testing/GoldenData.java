package org.survival4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reference values computed with R 4.2.2, survival 3.5.3 and riskRegression 2022.11.28 (see
 * {@code org/survival4j/golden/README.md} on the test classpath). Read-only numeric tables.
 */
public final class GoldenData {
    /** The four loss cases of {@code cases.csv}. */
    public static final List<String> CASES = List.of("lung_sd1", "lung_sd8", "gbsg_sd1", "gbsg_sd8");

    private static final String OWN = "/org/survival4j/golden-own/";

    private final Map<String, double[]> columns;

    private GoldenData(Map<String, double[]> columns) {
        this.columns = columns;
    }

    /** The per-row table of a case, e.g. {@code "lung_sd1"}. */
    public static GoldenData rows(String caseName) {
        return new GoldenData(read(caseName + ".csv", null));
    }

    /** The per-time metric table of a case, e.g. {@code "gbsg_sd1"}. */
    public static GoldenData metrics(String caseName) {
        return new GoldenData(read("metrics_" + caseName + ".csv", null));
    }

    /** One number of {@code cases.csv}, e.g. {@code summary("lung_sd1", "nll_efron_sum")}. */
    public static double summary(String caseName, String column) {
        Map<String, double[]> table = read("cases.csv", caseName);
        return table.get(column)[0];
    }

    /** One number of another summary table, e.g. {@code summary("counting/counting_cases.csv", "heart_sd1", "n")}. */
    public static double summary(String file, String caseName, String column) {
        return read(file, caseName).get(column)[0];
    }

    /** A numeric table made by this project's R scripts, in {@code org/survival4j/golden-own}. */
    public static GoldenData own(String file) {
        return new GoldenData(read(OWN + file, null));
    }

    /** The rows of a {@code golden-own} table with text columns: one map from column name to cell per row. */
    public static List<Map<String, String>> ownRecords(String file) {
        List<Map<String, String>> records = new ArrayList<>();
        List<String[]> lines = lines(OWN + file);
        String[] header = lines.get(0);
        for (String[] cells : lines.subList(1, lines.size())) {
            Map<String, String> record = new LinkedHashMap<>();
            for (int j = 0; j < header.length; j++) {
                record.put(header[j], cells[j]);
            }
            records.add(record);
        }
        return records;
    }

    /** A column as a Java array. */
    public double[] column(String name) {
        double[] c = columns.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no column " + name + " in " + columns.keySet());
        }
        return c.clone();
    }

    /** A column as a double vector {@code [n]}. */
    public INDArray vector(String name) {
        return Nd4j.createFromArray(column(name));
    }

    /** Columns side by side as a double matrix {@code [n, k]}. */
    public INDArray matrix(String... names) {
        int n = rows();
        double[][] m = new double[n][names.length];
        for (int j = 0; j < names.length; j++) {
            double[] c = column(names[j]);
            for (int i = 0; i < n; i++) {
                m[i][j] = c[i];
            }
        }
        return Nd4j.createFromArray(m);
    }

    /** Number of rows. */
    public int rows() {
        return columns.values().iterator().next().length;
    }

    /** Reads a CSV of numbers (first column may be a case name, selected by {@code onlyRow}). */
    private static Map<String, double[]> read(String file, String onlyRow) {
        List<String[]> lines = lines(file.startsWith("/") ? file : "/org/survival4j/golden/" + file);
        String[] header = lines.get(0);
        List<double[]> rows = new ArrayList<>();
        for (String[] cells : lines.subList(1, lines.size())) {
            if (onlyRow != null && !cells[0].equals(onlyRow)) {
                continue;
            }
            double[] row = new double[cells.length];
            for (int j = onlyRow != null ? 1 : 0; j < cells.length; j++) {
                row[j] = Double.parseDouble(cells[j]);
            }
            rows.add(row);
        }
        Map<String, double[]> table = new LinkedHashMap<>();
        for (int j = 0; j < header.length; j++) {
            double[] col = new double[rows.size()];
            for (int i = 0; i < col.length; i++) {
                col[i] = rows.get(i)[j];
            }
            table.put(header[j], col);
        }
        if (onlyRow != null && rows.isEmpty()) {
            throw new IllegalArgumentException("no case " + onlyRow + " in " + file);
        }
        return table;
    }

    /** The non-blank lines of a CSV resource, split at commas (header first). */
    private static List<String[]> lines(String path) {
        try (InputStream in = GoldenData.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line.split(","));
                }
            }
            return lines;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public String toString() {
        return "GoldenData" + Arrays.toString(columns.keySet().toArray());
    }
}
