package org.survival4j.examples.train;

import java.util.ArrayList;
import java.util.List;

/**
 * How one column of a CSV file becomes one or more covariates.
 *
 * <ul>
 *   <li>{@link Kind#NUMERIC}: the number as it is; one covariate named after the column.</li>
 *   <li>{@link Kind#LOG1P}: \( \log(1 + x) \) for a right-skewed count or concentration
 *       ({@code x > -1}); one covariate {@code log1p(column)}.</li>
 *   <li>{@link Kind#ONE_HOT}: a categorical column with the given levels; the first level is the
 *       reference and gets no covariate, each other level one 0/1 covariate {@code column=level}.
 *       A level not seen in training is an error.</li>
 *   <li>{@link Kind#SIZE_CATEGORY}: tumour size as the Rotterdam categories 0 ({@code <=20} mm),
 *       1 ({@code 20-50}) and 2 ({@code >50}), from either those labels or a size in mm (GBSG).</li>
 * </ul>
 *
 * @param source the CSV column
 * @param kind how it is encoded
 * @param levels the categories of a {@code ONE_HOT} column, reference first; empty otherwise
 */
public record FeatureColumn(String source, Kind kind, List<String> levels) {

    /** The encodings. */
    public enum Kind { NUMERIC, LOG1P, ONE_HOT, SIZE_CATEGORY }

    /** Checks the levels. */
    public FeatureColumn {
        levels = List.copyOf(levels);
        if (kind == Kind.ONE_HOT && levels.size() < 2) {
            throw new IllegalArgumentException("a one-hot column needs at least two levels: " + source);
        }
    }

    /** A numeric column. */
    public static FeatureColumn numeric(String source) {
        return new FeatureColumn(source, Kind.NUMERIC, List.of());
    }

    /** A numeric column entered as {@code log(1 + x)}. */
    public static FeatureColumn log1p(String source) {
        return new FeatureColumn(source, Kind.LOG1P, List.of());
    }

    /** A categorical column; {@code levels.get(0)} is the reference. */
    public static FeatureColumn oneHot(String source, List<String> levels) {
        return new FeatureColumn(source, Kind.ONE_HOT, levels);
    }

    /** Tumour size as Rotterdam's three categories. */
    public static FeatureColumn sizeCategory(String source) {
        return new FeatureColumn(source, Kind.SIZE_CATEGORY, List.of());
    }

    /** The names of the covariates this column gives, in order. */
    public List<String> outputNames() {
        return switch (kind) {
            case NUMERIC, SIZE_CATEGORY -> List.of(source);
            case LOG1P -> List.of("log1p(" + source + ")");
            case ONE_HOT -> {
                List<String> names = new ArrayList<>();
                for (String level : levels.subList(1, levels.size())) {
                    names.add(source + "=" + level);
                }
                yield names;
            }
        };
    }

    /**
     * Encodes the column of a table into {@code x[i][offset ...]}.
     *
     * @throws InvalidInputException for missing values, values that are not numbers, values out of
     *                               range or categories not seen in training
     */
    void encode(CsvTable table, double[][] x, int offset) {
        switch (kind) {
            case NUMERIC -> {
                double[] v = table.numeric(source);
                for (int i = 0; i < v.length; i++) {
                    x[i][offset] = v[i];
                }
            }
            case LOG1P -> {
                double[] v = table.numeric(source);
                List<Integer> bad = new ArrayList<>();
                for (int i = 0; i < v.length; i++) {
                    if (v[i] <= -1) {
                        bad.add(i);
                    }
                    x[i][offset] = Math.log1p(v[i]);
                }
                rejectIf(bad, table, "values <= -1 (log(1 + x) is undefined)");
            }
            case ONE_HOT -> {
                String[] v = table.text(source);
                List<Integer> bad = new ArrayList<>();
                for (int i = 0; i < v.length; i++) {
                    int level = levels.indexOf(v[i]);
                    if (level < 0) {
                        bad.add(i);
                    }
                    for (int k = 1; k < levels.size(); k++) {
                        x[i][offset + k - 1] = level == k ? 1 : 0;
                    }
                }
                rejectIf(bad, table, "categories not seen in training (known: " + String.join(", ", levels)
                        + "; first unknown: '" + (bad.isEmpty() ? "" : v[bad.get(0)]) + "')");
            }
            case SIZE_CATEGORY -> {
                String[] v = table.text(source);
                List<Integer> bad = new ArrayList<>();
                for (int i = 0; i < v.length; i++) {
                    x[i][offset] = sizeCategoryOf(v[i]);
                    if (Double.isNaN(x[i][offset])) {
                        bad.add(i);
                    }
                }
                rejectIf(bad, table, "values that are neither a size in mm nor one of <=20, 20-50, >50");
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** Rotterdam's size category for a label or a size in mm; NaN if neither. */
    static double sizeCategoryOf(String value) {
        switch (value) {
            case "<=20":
                return 0;
            case "20-50":
                return 1;
            case ">50":
                return 2;
            default:
                double mm = CsvTable.parse(value);
                if (Double.isNaN(mm) || mm < 0) {
                    return Double.NaN;
                }
                return mm <= 20 ? 0 : mm <= 50 ? 1 : 2;
        }
    }

    private void rejectIf(List<Integer> bad, CsvTable table, String what) {
        if (!bad.isEmpty()) {
            throw new InvalidInputException(table.name() + ": column '" + source + "' has " + bad.size() + " " + what
                    + ", in rows " + table.firstRows(bad));
        }
    }
}
