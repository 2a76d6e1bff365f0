package org.survival4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file with a header row, read whole from the classpath: the embedded datasets are R exports
 * in which an empty field means a missing value.
 *
 * <p>Columns are read by name. A missing or unparsable value in a column that is asked for is an
 * error naming the file, the column and the rows, so that data problems are never silently turned
 * into zeros or dropped rows.
 */
final class CsvTable {
    private static final int ROWS_LISTED = 10;

    private final String name;
    private final Map<String, Integer> header;
    private final List<CSVRecord> records;

    private CsvTable(String name, Map<String, Integer> header, List<CSVRecord> records) {
        this.name = name;
        this.header = header;
        this.records = records;
    }

    /**
     * Reads a dataset embedded in this module.
     *
     * @param file a file name under {@code org/survival4j/datasets/}, e.g. {@code "gbsg.csv"}
     */
    static CsvTable dataset(String file) {
        String path = "/org/survival4j/datasets/" + file;
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        try (InputStream in = CsvTable.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("dataset " + path + " is not on the classpath");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
                 CSVParser parser = format.parse(reader)) {
                return new CsvTable(file, parser.getHeaderMap(), parser.getRecords());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + path, e);
        }
    }

    /** Number of data rows. */
    int rows() {
        return records.size();
    }

    /**
     * A numeric column.
     *
     * @throws IllegalArgumentException if the column does not exist, or some of its values are
     *                                  missing or not numbers (the message lists the rows)
     */
    double[] numeric(String column) {
        String[] text = text(column);
        double[] values = new double[text.length];
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            try {
                values[i] = Double.parseDouble(text[i]);
            } catch (NumberFormatException e) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(name + ": column '" + column + "' has " + bad.size()
                    + " values that are not numbers, in data rows " + firstRows(bad));
        }
        return values;
    }

    /**
     * A text column (e.g. a category).
     *
     * @throws IllegalArgumentException if the column does not exist or has missing (empty) values
     */
    String[] text(String column) {
        Integer index = header.get(column);
        if (index == null) {
            throw new IllegalArgumentException(name + " has no column '" + column + "'; columns: " + header.keySet());
        }
        String[] values = new String[records.size()];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            CSVRecord record = records.get(i);
            values[i] = index < record.size() ? record.get(index).trim() : "";
            if (values[i].isEmpty() || values[i].equals("NA")) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(name + ": column '" + column + "' has " + missing.size()
                    + " missing values, in data rows " + firstRows(missing)
                    + "; drop or impute them before training");
        }
        return values;
    }

    private static String firstRows(List<Integer> rows) {
        List<Integer> shown = rows.subList(0, Math.min(ROWS_LISTED, rows.size()));
        return shown + (rows.size() > ROWS_LISTED ? " and " + (rows.size() - ROWS_LISTED) + " more" : "")
                + " (0-based, header not counted)";
    }
}
