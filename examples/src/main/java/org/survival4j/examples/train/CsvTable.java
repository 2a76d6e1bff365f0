package org.survival4j.examples.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file with a header row, read whole (Apache Commons CSV): an embedded dataset or a user's
 * file. An empty field or {@code NA} is a missing value.
 *
 * <p>Columns are read by name. A missing or unparsable value in a column that is asked for is an
 * {@link InvalidInputException} naming the file, the column and the rows (1-based data rows, the
 * header not counted), so that data problems are never silently turned into zeros or dropped rows.
 */
public final class CsvTable {
    private static final int ROWS_LISTED = 10;
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).build();

    private final String name;
    private final Map<String, Integer> header;
    private final List<String[]> rows;
    /** The 1-based data row number in the file of each row, so that subsets report the file's rows. */
    private final int[] fileRows;

    private CsvTable(String name, Map<String, Integer> header, List<String[]> rows, int[] fileRows) {
        this.name = name;
        this.header = header;
        this.rows = rows;
        this.fileRows = fileRows;
    }

    /**
     * Reads a dataset embedded in the examples module.
     *
     * @param file a file name under {@code org/survival4j/datasets/}, e.g. {@code "gbsg.csv"}
     */
    public static CsvTable dataset(String file) {
        String path = "/org/survival4j/datasets/" + file;
        try (InputStream in = CsvTable.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("dataset " + path + " is not on the classpath");
            }
            return parse(file, new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + path, e);
        }
    }

    /**
     * Reads a CSV file (UTF-8, comma-separated, first row = column names).
     *
     * @throws InvalidInputException if the file does not exist, cannot be read or is not valid CSV
     */
    public static CsvTable read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(file + " is a directory, not a CSV file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(name, reader);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("no such file: " + file, e);
        } catch (IOException | UncheckedIOException e) {
            // commons-csv wraps the decoder's error; read alone it says only "Input length = 1"
            if (e instanceof CharacterCodingException || e.getCause() instanceof CharacterCodingException) {
                throw new InvalidInputException(file + " is not UTF-8 text: line " + firstNonUtf8Line(file)
                        + " holds bytes that are not UTF-8 (a file saved as Latin-1 or Windows-1252?); save it as"
                        + " UTF-8, e.g. iconv -f latin1 -t utf-8", e);
            }
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The 1-based number of the first line of {@code file} that is not valid UTF-8, or "?" if none is found. */
    private static String firstNonUtf8Line(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int line = 1;
            int start = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == '\n') {
                    try {
                        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, start, i - start));
                    } catch (CharacterCodingException e) {
                        return Integer.toString(line);
                    }
                    line++;
                    start = i + 1;
                }
            }
        } catch (IOException e) {
            // the message above still says what is wrong
        }
        return "?";
    }

    private static CsvTable parse(String name, Reader reader) throws IOException {
        try (CSVParser parser = FORMAT.parse(reader)) {
            List<String> names = parser.getHeaderNames();
            if (names.isEmpty()) {
                throw new InvalidInputException(name + " is empty: expected a header row with column names");
            }
            Map<String, Integer> header = new LinkedHashMap<>();
            for (int j = 0; j < names.size(); j++) {
                String column = names.get(j).replace("\uFEFF", "").trim();
                if (header.put(column, j) != null) {
                    throw new InvalidInputException(name + ": column '" + column + "' appears twice in the header");
                }
            }
            List<String[]> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (record.size() == 1 && record.get(0).isBlank() && names.size() > 1) {
                    continue; // a blank line
                }
                if (record.size() > names.size()) {
                    throw new InvalidInputException(name + ": data row " + (rows.size() + 1) + " has " + record.size()
                            + " fields but the header has " + names.size());
                }
                String[] row = new String[names.size()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = j < record.size() ? record.get(j).trim() : "";
                }
                rows.add(row);
            }
            return new CsvTable(name, header, rows, IntStream.rangeClosed(1, rows.size()).toArray());
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException(name + " is not valid CSV: " + e.getMessage(), e);
        }
    }

    /** The file name, used in messages. */
    public String name() {
        return name;
    }

    /** Number of data rows. */
    public int rows() {
        return rows.size();
    }

    /** The column names, in file order. */
    public List<String> columns() {
        return List.copyOf(header.keySet());
    }

    /**
     * The rows as maps from column name to text, for {@link org.survival4j.model.FeatureRecipe#encode}:
     * a missing value is its empty or {@code NA} text, which the recipe treats as missing.
     */
    public List<Map<String, String>> records() {
        List<Map<String, String>> records = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            Map<String, String> record = new LinkedHashMap<>();
            header.forEach((column, index) -> record.put(column, row[index]));
            records.add(record);
        }
        return records;
    }

    /**
     * The rows whose value in a numeric column passes a test.
     *
     * @throws InvalidInputException as {@link #numeric(String)}
     */
    public CsvTable rowsWhere(String column, DoublePredicate keep) {
        double[] values = numeric(column);
        return rows(name, IntStream.range(0, values.length).filter(i -> keep.test(values[i])).toArray());
    }

    /**
     * A random split of the rows, as {@link SurvivalData#split} does it: the same fraction and seed
     * select the same rows. Messages about either part still give the rows' numbers in the file.
     *
     * <pre>{@code
     * CsvTable[] parts = CsvTable.read(Path.of("data.csv")).split(0.25, 1);
     * parts[1].name();   // "data.csv (held-out 25 %)"
     * }</pre>
     *
     * @param fraction the share of rows held out, in (0, 1)
     * @return {@code [rest, held out]}; the held-out part's name says so
     */
    public CsvTable[] split(double fraction, long seed) {
        int[][] parts = SurvivalData.splitRows(rows(), fraction, seed);
        return new CsvTable[] {rows(name, parts[0]),
            rows(name + " (held-out " + Math.round(100 * fraction) + " %)", parts[1])};
    }

    private CsvTable rows(String newName, int[] indices) {
        List<String[]> kept = new ArrayList<>();
        int[] numbers = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            kept.add(rows.get(indices[k]));
            numbers[k] = fileRows[indices[k]];
        }
        return new CsvTable(newName, header, kept, numbers);
    }

    /**
     * Checks that none of the given columns exists without values: one message lists every column
     * with missing values, with their counts and first rows.
     *
     * @throws InvalidInputException if a column does not exist or has missing values
     */
    public void checkComplete(List<String> columns) {
        StringBuilder problems = new StringBuilder();
        for (String column : columns) {
            List<Integer> missing = new ArrayList<>();
            int index = index(column);
            for (int i = 0; i < rows.size(); i++) {
                if (isMissing(rows.get(i)[index])) {
                    missing.add(i);
                }
            }
            if (!missing.isEmpty()) {
                problems.append(problems.length() == 0 ? "" : "; ").append("'").append(column).append("' ")
                        .append(missing.size()).append(missing.size() == 1 ? " value (row " : " values (rows ")
                        .append(firstRows(missing)).append(")");
            }
        }
        if (problems.length() > 0) {
            throw new InvalidInputException(name + ": missing values (empty or NA): " + problems
                    + "; drop or impute them (when training, a column can also be left out of --features)");
        }
    }

    /**
     * A numeric column.
     *
     * @throws InvalidInputException if the column does not exist, or some of its values are missing
     *                               or not numbers (the message lists the rows)
     */
    public double[] numeric(String column) {
        String[] text = text(column);
        double[] values = new double[text.length];
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            values[i] = parse(text[i]);
            if (Double.isNaN(values[i])) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException(name + ": column '" + column + "' has " + bad.size()
                    + " values that are not numbers (first: '" + text[bad.get(0)] + "'), in rows " + firstRows(bad));
        }
        return values;
    }

    /**
     * A numeric column in which missing values (empty or NA) are allowed and come back as NaN,
     * for callers that impute them.
     *
     * @throws InvalidInputException if the column does not exist or a present value is not a number
     */
    public double[] numericOrMissing(String column) {
        int index = index(column);
        double[] values = new double[rows.size()];
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String text = rows.get(i)[index];
            values[i] = isMissing(text) ? Double.NaN : parse(text);
            if (!isMissing(text) && Double.isNaN(values[i])) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException(name + ": column '" + column + "' has " + bad.size()
                    + " values that are not numbers, in rows " + firstRows(bad));
        }
        return values;
    }

    /**
     * A text column (e.g. a category), trimmed.
     *
     * @throws InvalidInputException if the column does not exist or has missing (empty or NA) values
     */
    public String[] text(String column) {
        checkComplete(List.of(column));
        int index = index(column);
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows.get(i)[index];
        }
        return values;
    }

    /** A finite number, or NaN if {@code text} is not one. */
    static double parse(String text) {
        try {
            double v = Double.parseDouble(text);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Row numbers as shown in messages: the first few, as 1-based data rows of the file (the
     * header not counted).
     *
     * @param rows 0-based indices into this table
     */
    String firstRows(List<Integer> rows) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < Math.min(ROWS_LISTED, rows.size()); k++) {
            s.append(k == 0 ? "" : ", ").append(fileRows[rows.get(k)]);
        }
        return s + (rows.size() > ROWS_LISTED ? " and " + (rows.size() - ROWS_LISTED) + " more" : "");
    }

    private int index(String column) {
        Integer index = header.get(column);
        if (index == null) {
            throw new InvalidInputException(name + " has no column '" + column + "'; its columns are "
                    + String.join(", ", header.keySet()));
        }
        return index;
    }

    private static boolean isMissing(String value) {
        return value.isEmpty() || value.equals("NA");
    }
}
