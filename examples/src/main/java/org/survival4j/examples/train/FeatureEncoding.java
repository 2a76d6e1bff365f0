package org.survival4j.examples.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.survival4j.model.FeatureRecipe;

/**
 * Feature recipes ({@link FeatureRecipe}, the library's) for CSV tables: the CLI's choice of a
 * recipe for a user's columns ({@link #infer}), and the encoding of a whole table through a recipe
 * with one message for all of its problems ({@link #encode}), the way a model encodes new rows.
 */
public final class FeatureEncoding {
    /** A text column with more distinct values than this is rejected rather than one-hot encoded. */
    public static final int MAX_LEVELS = 20;

    private FeatureEncoding() {
    }

    /**
     * Chooses a recipe for user columns, without standardization: a column of numbers is numeric;
     * a column with no number at all is categorical and one-hot encoded (its levels sorted, the
     * first one the reference), which is reported through {@code notes}; a column mixing numbers
     * and text is an error naming the rows that are not numbers.
     *
     * @param table the training data
     * @param sources the columns to use
     * @param notes receives one line per one-hot encoded column
     * @throws InvalidInputException for unknown columns, missing values, mixed columns, constant
     *                               categorical columns, ones with more than {@link #MAX_LEVELS}
     *                               levels, a column listed twice or clashing covariate names
     */
    public static FeatureRecipe infer(CsvTable table, List<String> sources, Consumer<String> notes) {
        table.checkComplete(sources);
        FeatureRecipe.Builder recipe = FeatureRecipe.builder();
        for (String source : sources) {
            String[] values = table.text(source);
            List<Integer> text = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (Double.isNaN(CsvTable.parse(values[i]))) {
                    text.add(i);
                }
            }
            if (text.isEmpty()) {
                recipe.numeric(source);
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
                FeatureRecipe.Column column = new FeatureRecipe.Column(source, FeatureRecipe.Encoding.ONE_HOT,
                        new ArrayList<>(levels), null);
                notes.accept("column '" + source + "' is categorical (" + levels.size() + " levels): one-hot encoded as "
                        + String.join(", ", column.covariates()) + " (reference '" + column.levels().get(0) + "')");
                recipe.column(column);
            }
        }
        return build(recipe);
    }

    /** A recipe of numeric columns, without standardization (data made in code, e.g. a simulation). */
    public static FeatureRecipe numeric(List<String> columns) {
        FeatureRecipe.Builder recipe = FeatureRecipe.builder();
        columns.forEach(recipe::numeric);
        return build(recipe);
    }

    /** The raw columns a recipe reads, in order. */
    public static List<String> sources(FeatureRecipe recipe) {
        return recipe.columns().stream().map(FeatureRecipe.Column::name).toList();
    }

    /**
     * The covariate matrix of a table, {@code [rows][recipe.covariates().size()]}, as
     * {@link FeatureRecipe#encode} makes it (standardized if the recipe is).
     *
     * @throws InvalidInputException for unknown columns and missing values (all listed in one
     *                               message), and for values the recipe cannot encode (a number that
     *                               is not one, an unknown category: their count, their file rows and
     *                               the first one's reason)
     */
    public static double[][] encode(FeatureRecipe recipe, CsvTable table) {
        table.checkComplete(sources(recipe));
        List<Map<String, String>> records = table.records();
        double[][] x = new double[records.size()][];
        List<Integer> bad = new ArrayList<>();
        String first = null;
        for (int i = 0; i < x.length; i++) {
            try {
                x[i] = recipe.encode(records.subList(i, i + 1))[0]; // row by row: every bad row is counted
            } catch (IllegalArgumentException e) {
                bad.add(i);
                first = first == null ? e.getMessage() : first;
            }
        }
        if (!bad.isEmpty()) {
            String prefix = "row 1: "; // the recipe numbers the rows of the one-row list it was given
            String reason = first.startsWith(prefix) ? first.substring(prefix.length()) : first;
            throw new InvalidInputException(table.name() + ": " + bad.size() + (bad.size() == 1 ? " row" : " rows")
                    + " cannot be encoded as in training (rows " + table.firstRows(bad) + "); the first: " + reason);
        }
        return x;
    }

    private static FeatureRecipe build(FeatureRecipe.Builder recipe) {
        try {
            return recipe.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage() + " in the features; rename a column or leave one out", e);
        }
    }
}
