package org.survival4j.examples.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The recipe that turns CSV columns into a covariate matrix: one {@link FeatureColumn} per source
 * column. It is fixed when a model is trained and saved with it, so that new data is encoded the
 * same way (the same one-hot levels, the same transforms).
 *
 * @param columns the source columns and their encodings, in order
 */
public record FeatureEncoding(List<FeatureColumn> columns) {
    /** A text column with more distinct values than this is rejected rather than one-hot encoded. */
    public static final int MAX_LEVELS = 20;

    /**
     * Copies the list and checks that every source column is used once and every covariate name
     * is unique (a one-hot covariate {@code arm=b} must not clash with a CSV column named
     * {@code arm=b}).
     *
     * @throws InvalidInputException naming the repeated column or covariate
     */
    public FeatureEncoding {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new InvalidInputException("no feature columns");
        }
        Set<String> sources = new HashSet<>();
        Map<String, String> names = new HashMap<>();
        for (FeatureColumn column : columns) {
            if (!sources.add(column.source())) {
                throw new InvalidInputException("column '" + column.source() + "' is listed twice in the features");
            }
            for (String name : column.outputNames()) {
                String other = names.putIfAbsent(name, column.source());
                if (other != null) {
                    throw new InvalidInputException("the feature name '" + name + "' comes from both column '"
                            + other + "' and column '" + column.source() + "'; rename a column or leave one out");
                }
            }
        }
    }

    /**
     * Chooses an encoding for user columns: a column of numbers is numeric; a column with no
     * number at all is categorical and one-hot encoded (its levels sorted, the first one the
     * reference), which is reported through {@code notes}; a column mixing numbers and text is an
     * error naming the rows that are not numbers.
     *
     * @param table the training data
     * @param sources the columns to use
     * @param notes receives one line per one-hot encoded column
     * @throws InvalidInputException for unknown columns, missing values, mixed columns, constant
     *                               categorical columns or ones with more than {@link #MAX_LEVELS} levels
     */
    public static FeatureEncoding infer(CsvTable table, List<String> sources, Consumer<String> notes) {
        table.checkComplete(sources);
        List<FeatureColumn> columns = new ArrayList<>();
        for (String source : sources) {
            String[] values = table.text(source);
            List<Integer> text = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (Double.isNaN(CsvTable.parse(values[i]))) {
                    text.add(i);
                }
            }
            if (text.isEmpty()) {
                columns.add(FeatureColumn.numeric(source));
            } else if (text.size() < values.length) {
                throw new InvalidInputException(table.name() + ": column '" + source + "' mixes numbers and text: "
                        + text.size() + " values are not numbers (first: '" + values[text.get(0)] + "'), in rows "
                        + table.firstRows(text));
            } else {
                Set<String> levels = new TreeSet<>(List.of(values));
                if (levels.size() > MAX_LEVELS) {
                    throw new InvalidInputException(table.name() + ": column '" + source + "' has " + levels.size()
                            + " distinct text values, too many to one-hot encode (at most " + MAX_LEVELS
                            + "); leave it out with --features");
                }
                if (levels.size() < 2) {
                    throw new InvalidInputException(table.name() + ": column '" + source
                            + "' has the single value '" + values[0] + "'; leave it out with --features");
                }
                FeatureColumn column = FeatureColumn.oneHot(source, new ArrayList<>(levels));
                notes.accept("column '" + source + "' is categorical (" + levels.size() + " levels): one-hot encoded as "
                        + String.join(", ", column.outputNames()) + " (reference '" + column.levels().get(0) + "')");
                columns.add(column);
            }
        }
        return new FeatureEncoding(columns);
    }

    /** The covariate names, in matrix column order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (FeatureColumn column : columns) {
            names.addAll(column.outputNames());
        }
        return List.copyOf(names);
    }

    /** The source columns, in order. */
    public List<String> sources() {
        return columns.stream().map(FeatureColumn::source).toList();
    }

    /**
     * The covariate matrix of a table, {@code [rows][names().size()]}.
     *
     * @throws InvalidInputException for unknown columns, missing values (all listed in one
     *                               message), values that are not numbers or unknown categories
     */
    public double[][] encode(CsvTable table) {
        table.checkComplete(sources());
        int width = names().size();
        double[][] x = new double[table.rows()][width];
        int offset = 0;
        for (FeatureColumn column : columns) {
            column.encode(table, x, offset);
            offset += column.outputNames().size();
        }
        return x;
    }
}
