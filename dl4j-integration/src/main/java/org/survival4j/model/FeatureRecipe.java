package org.survival4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The recipe that turns raw rows (values by column name) into a network's input matrix: which
 * columns, how each is encoded, how the covariates are standardized and what a missing value does.
 * It is fixed when a model is trained and saved with it, so that new rows are encoded exactly as the
 * training rows were.
 *
 * <p>Each {@link Column} gives one or more covariates:
 * <ul>
 *   <li>{@link Encoding#NUMERIC}: the number as it is; one covariate named after the column.</li>
 *   <li>{@link Encoding#LOG1P}: \( \log(1 + x) \), for a right-skewed count ({@code x > -1}); one
 *       covariate {@code log1p(column)}.</li>
 *   <li>{@link Encoding#ONE_HOT}: a categorical column; the first level is the reference and gets
 *       no covariate, every other level a 0/1 covariate {@code column=level}. A level not seen in
 *       training is an error.</li>
 *   <li>{@link Encoding#ORDINAL}: ordered categories coded 0, 1, 2, ...; a value is one of the
 *       level labels, or a number placed by the cut points (level {@code k} holds the numbers
 *       {@code x <= cuts[k]} above {@code cuts[k - 1]}; there is one cut fewer than levels). E.g.
 *       tumour size: levels {@code <=20, 20-50, >50}, cuts {@code 20, 50}.</li>
 * </ul>
 * Every covariate \( x_j \) then enters as \( (x_j - m_j) / s_j \) with the training mean and
 * standard deviation ({@code s_j = 1} for a column that was constant).
 *
 * <p>Values: a {@link Number}, or text that parses as a number (numeric columns) or names a level
 * (categorical ones). {@code null}, an empty string and {@code NA} are missing: with
 * {@link MissingValues#REJECT} (the default) a missing value is an error naming its row and column;
 * with {@link MissingValues#TRAINING_MEAN} a missing covariate takes its training mean (0 after
 * standardization; for a one-hot column, the training share of each level). Non-finite numbers
 * are always errors. Immutable and thread-safe.
 *
 * <pre>{@code
 * FeatureRecipe recipe = FeatureRecipe.builder()
 *         .numeric("age").log1p("nodes").oneHot("grade", List.of("1", "2", "3"))
 *         .standardization(new double[] {60, 1.2, 0.6, 0.2}, new double[] {10, 0.8, 0.5, 0.4})
 *         .build();
 * double[][] x = recipe.encode(List.of(Map.of("age", 71, "nodes", "3", "grade", "2")));
 * }</pre>
 *
 * @since 0.2
 */
public final class FeatureRecipe {
    /** How a raw column becomes covariates; see {@link FeatureRecipe}. */
    public enum Encoding { NUMERIC, LOG1P, ONE_HOT, ORDINAL }

    /** What a missing value does. */
    public enum MissingValues {
        /** An error naming the row and the column. */
        REJECT,
        /** The covariate's training mean. */
        TRAINING_MEAN
    }

    /**
     * One raw column and its encoding.
     *
     * @param name the column's name in the raw rows
     * @param encoding how it is encoded
     * @param levels the categories of a {@code ONE_HOT} (reference first) or {@code ORDINAL} column, in order; empty otherwise
     * @param cuts the {@code levels.size() - 1} increasing cut points of an {@code ORDINAL} column, or empty
     */
    public record Column(String name, Encoding encoding, List<String> levels, double[] cuts) {
        /** Checks that the levels and cuts fit the encoding. */
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(encoding, "encoding of column " + name);
            levels = List.copyOf(levels);
            cuts = cuts == null ? new double[0] : cuts.clone();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a column needs a name");
            }
            boolean categorical = encoding == Encoding.ONE_HOT || encoding == Encoding.ORDINAL;
            if (categorical && levels.size() < 2) {
                throw new IllegalArgumentException("column '" + name + "': a " + encoding + " column needs at least"
                        + " two levels, got " + levels);
            }
            if (!categorical && !levels.isEmpty()) {
                throw new IllegalArgumentException("column '" + name + "': a " + encoding + " column has no levels");
            }
            if (new HashSet<>(levels).size() != levels.size()) {
                throw new IllegalArgumentException("column '" + name + "' lists a level twice: " + levels);
            }
            if (encoding == Encoding.ORDINAL ? cuts.length != 0 && cuts.length != levels.size() - 1 : cuts.length != 0) {
                throw new IllegalArgumentException("column '" + name + "': " + cuts.length + " cut points for "
                        + levels.size() + " levels (an ordinal column has one fewer than levels, or none)");
            }
            for (int k = 0; k < cuts.length; k++) {
                if (!Double.isFinite(cuts[k]) || k > 0 && !(cuts[k] > cuts[k - 1])) {
                    throw new IllegalArgumentException("column '" + name + "': cut points must be finite and increasing, got "
                            + Arrays.toString(cuts));
                }
            }
        }

        @Override
        public double[] cuts() {
            return cuts.clone();
        }

        /** The covariate names this column gives, in order. */
        public List<String> covariates() {
            return switch (encoding) {
                case NUMERIC, ORDINAL -> List.of(name);
                case LOG1P -> List.of("log1p(" + name + ")");
                case ONE_HOT -> levels.subList(1, levels.size()).stream().map(l -> name + "=" + l).toList();
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Column c && name.equals(c.name) && encoding == c.encoding && levels.equals(c.levels)
                    && Arrays.equals(cuts, c.cuts);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, encoding, levels, Arrays.hashCode(cuts));
        }
    }

    private final List<Column> columns;
    private final List<String> covariates;
    private final int[] widths; // the covariates of each column: encode() runs per row, Column.covariates() builds a list
    private final double[] mean;
    private final double[] sd;
    private final MissingValues missing;
    private final String strataColumn;

    private FeatureRecipe(List<Column> columns, double[] mean, double[] sd, MissingValues missing, String strataColumn) {
        this.columns = List.copyOf(columns);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("a recipe needs at least one column");
        }
        Set<String> sources = new HashSet<>();
        Map<String, String> names = new HashMap<>();
        List<String> all = new ArrayList<>();
        for (Column c : this.columns) {
            if (!sources.add(c.name())) {
                throw new IllegalArgumentException("column '" + c.name() + "' is listed twice");
            }
            for (String covariate : c.covariates()) {
                String other = names.putIfAbsent(covariate, c.name());
                if (other != null) {
                    throw new IllegalArgumentException("the covariate '" + covariate + "' comes from both column '"
                            + other + "' and column '" + c.name() + "'");
                }
                all.add(covariate);
            }
        }
        if (strataColumn != null && sources.contains(strataColumn)) {
            throw new IllegalArgumentException("column '" + strataColumn + "' is both a feature and the strata column");
        }
        this.covariates = List.copyOf(all);
        this.widths = this.columns.stream().mapToInt(c -> c.covariates().size()).toArray();
        int p = all.size();
        this.mean = mean == null ? new double[p] : mean.clone();
        this.sd = sd == null ? filled(p, 1) : sd.clone();
        if (this.mean.length != p || this.sd.length != p) {
            throw new IllegalArgumentException("the standardization has " + this.mean.length + " means and "
                    + this.sd.length + " standard deviations for " + p + " covariates " + all);
        }
        for (int j = 0; j < p; j++) {
            if (!Double.isFinite(this.mean[j]) || !(this.sd[j] > 0) || !Double.isFinite(this.sd[j])) {
                throw new IllegalArgumentException("covariate '" + all.get(j) + "': the standardization needs a finite"
                        + " mean and a finite standard deviation > 0, got mean " + this.mean[j] + ", sd " + this.sd[j]);
            }
        }
        this.missing = Objects.requireNonNull(missing, "missing");
        this.strataColumn = strataColumn;
    }

    /** A builder; columns in the order they are added. */
    public static Builder builder() {
        return new Builder();
    }

    /** The raw columns, in order. */
    public List<Column> columns() {
        return columns;
    }

    /** The covariate names, in the order of the network's inputs. */
    public List<String> covariates() {
        return covariates;
    }

    /** The training mean of each covariate. */
    public double[] mean() {
        return mean.clone();
    }

    /** The training standard deviation of each covariate (1 where it was constant). */
    public double[] sd() {
        return sd.clone();
    }

    /** What a missing value does. */
    public MissingValues missingValues() {
        return missing;
    }

    /** The column that holds each row's stratum (an integer label), or {@code null} for an unstratified model. */
    public String strataColumn() {
        return strataColumn;
    }

    /**
     * The network inputs of raw rows, standardized: {@code [rows.size()][covariates().size()]}.
     *
     * @param rows values by column name; other columns are ignored
     * @throws IllegalArgumentException naming the (1-based) row, the column and the value that cannot be encoded
     */
    public double[][] encode(List<? extends Map<String, ?>> rows) {
        Objects.requireNonNull(rows, "rows");
        double[][] x = new double[rows.size()][covariates.size()];
        for (int i = 0; i < x.length; i++) {
            Map<String, ?> row = rows.get(i);
            if (row == null) {
                throw new IllegalArgumentException("row " + (i + 1) + " is null");
            }
            int j = 0;
            for (int c = 0; c < widths.length; c++) {
                Column column = columns.get(c);
                encode(column, widths[c], row.get(column.name()), x[i], j, i);
                j += widths[c];
            }
            for (j = 0; j < x[i].length; j++) {
                x[i][j] = (x[i][j] - mean[j]) / sd[j];
            }
        }
        return x;
    }

    /**
     * The stratum label of each raw row, from {@link #strataColumn()}; {@code null} when the recipe has none.
     *
     * @throws IllegalArgumentException naming the row if a label is missing or not an integer
     */
    public int[] strata(List<? extends Map<String, ?>> rows) {
        if (strataColumn == null) {
            return null;
        }
        int[] s = new int[rows.size()];
        for (int i = 0; i < s.length; i++) {
            Object v = rows.get(i) == null ? null : rows.get(i).get(strataColumn);
            double d = number(v);
            if (Double.isNaN(d) || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("row " + (i + 1) + ": the strata column '" + strataColumn
                        + "' needs an integer label, got " + describe(v));
            }
            s[i] = (int) d;
        }
        return s;
    }

    private void encode(Column c, int width, Object value, double[] out, int at, int row) {
        if (isMissing(value)) {
            if (missing == MissingValues.REJECT) {
                throw new IllegalArgumentException("row " + (row + 1) + ": column '" + c.name() + "' is missing"
                        + " (this model's recipe rejects missing values)");
            }
            for (int k = 0; k < width; k++) {
                out[at + k] = mean[at + k];
            }
            return;
        }
        switch (c.encoding()) {
            case NUMERIC -> out[at] = finite(c, value, row);
            case LOG1P -> {
                double v = finite(c, value, row);
                if (!(v > -1)) {
                    throw bad(c, value, row, "log(1 + x) needs x > -1");
                }
                out[at] = Math.log1p(v);
            }
            case ONE_HOT -> {
                int level = c.levels().indexOf(text(value));
                if (level < 0) {
                    throw bad(c, value, row, "a category not seen in training (known: " + String.join(", ", c.levels()) + ")");
                }
                for (int k = 1; k < c.levels().size(); k++) {
                    out[at + k - 1] = level == k ? 1 : 0;
                }
            }
            case ORDINAL -> out[at] = ordinal(c, value, row);
        }
    }

    private static double ordinal(Column c, Object value, int row) {
        int level = c.levels().indexOf(text(value));
        if (level >= 0) {
            return level;
        }
        double v = number(value);
        if (c.cuts.length == 0 || Double.isNaN(v)) {
            throw bad(c, value, row, "not one of the levels " + String.join(", ", c.levels())
                    + (c.cuts.length == 0 ? "" : " nor a number"));
        }
        int k = 0;
        while (k < c.cuts.length && v > c.cuts[k]) {
            k++;
        }
        return k;
    }

    private static double finite(Column c, Object value, int row) {
        double v = number(value);
        if (Double.isNaN(v)) {
            throw bad(c, value, row, "not a finite number");
        }
        return v;
    }

    /** The value as a finite number, or NaN. */
    private static double number(Object value) {
        double v;
        if (value instanceof Number n) {
            v = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                v = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        } else {
            return Double.NaN;
        }
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue()); // 2.0 names the level "2"
        }
        return String.valueOf(value).strip();
    }

    private static boolean isMissing(Object value) {
        return value == null || value instanceof String s && (s.isBlank() || s.strip().equals("NA"));
    }

    private static IllegalArgumentException bad(Column c, Object value, int row, String why) {
        return new IllegalArgumentException("row " + (row + 1) + ": column '" + c.name() + "' has " + describe(value)
                + ": " + why);
    }

    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureRecipe r && columns.equals(r.columns) && Arrays.equals(mean, r.mean)
                && Arrays.equals(sd, r.sd) && missing == r.missing && Objects.equals(strataColumn, r.strataColumn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, Arrays.hashCode(mean), Arrays.hashCode(sd), missing, strataColumn);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FeatureRecipe(%s, missing values: %s%s)", covariates, missing,
                strataColumn == null ? "" : ", strata: " + strataColumn);
    }

    /** Builds a {@link FeatureRecipe}; without {@link #standardization} the covariates enter as they are. */
    public static final class Builder {
        private final List<Column> columns = new ArrayList<>();
        private double[] mean;
        private double[] sd;
        private MissingValues missing = MissingValues.REJECT;
        private String strataColumn;

        private Builder() {
        }

        /** Adds a column. */
        public Builder column(Column column) {
            columns.add(Objects.requireNonNull(column, "column"));
            return this;
        }

        /** Adds a numeric column. */
        public Builder numeric(String name) {
            return column(new Column(name, Encoding.NUMERIC, List.of(), null));
        }

        /** Adds a numeric column entered as {@code log(1 + x)}. */
        public Builder log1p(String name) {
            return column(new Column(name, Encoding.LOG1P, List.of(), null));
        }

        /** Adds a categorical column; {@code levels.get(0)} is the reference. */
        public Builder oneHot(String name, List<String> levels) {
            return column(new Column(name, Encoding.ONE_HOT, levels, null));
        }

        /** Adds an ordered categorical column with cut points for numeric values (may be empty). */
        public Builder ordinal(String name, List<String> levels, double... cuts) {
            return column(new Column(name, Encoding.ORDINAL, levels, cuts));
        }

        /** The training mean and standard deviation of each covariate, in covariate order. */
        public Builder standardization(double[] mean, double[] sd) {
            this.mean = Objects.requireNonNull(mean, "mean").clone();
            this.sd = Objects.requireNonNull(sd, "sd").clone();
            return this;
        }

        /** What a missing value does (default {@link MissingValues#REJECT}). */
        public Builder missingValues(MissingValues missing) {
            this.missing = Objects.requireNonNull(missing, "missing");
            return this;
        }

        /** The column holding each row's stratum label (a stratified Cox model). */
        public Builder strataColumn(String name) {
            this.strataColumn = name;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a column or covariate name repeats, or the standardization
         *     does not fit the covariates or is not finite with positive standard deviations
         */
        public FeatureRecipe build() {
            return new FeatureRecipe(columns, mean, sd, missing, strataColumn);
        }
    }
}
