package org.survival4j.examples.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.model.FeatureRecipe;

/**
 * Right-censored survival data ready for training: a covariate matrix, the observed times and the
 * event indicators, with the recipe that produced the covariates from a CSV file; optionally the
 * entry times of counting-process rows (delayed entry, time-varying covariates: a row is at risk at
 * t when {@code start < t <= time}).
 *
 * <pre>{@code
 * SurvivalData train = SurvivalData.readCsv(Path.of("my.csv"), "time", "status", List.of(), System.out::println);
 * SurvivalData test = SurvivalData.of(CsvTable.read(Path.of("other.csv")), "time", "status", train.recipe());
 * }</pre>
 *
 * @param name a short name for printing
 * @param recipe how the covariates were made from CSV columns (before any standardization);
 *     {@link #columns()} are its covariates
 * @param x covariates, one row per subject (not copied)
 * @param time observed time (event or censoring), finite and {@code >= 0}
 * @param event 1 = event observed, 0 = censored; for competing risks the cause, 1..K (0 = censored)
 * @param start entry times, each below its row's time, or {@code null} (every row at risk from 0)
 */
public record SurvivalData(String name, FeatureRecipe recipe, double[][] x, double[] time, double[] event,
                           double[] start) {

    /** Checks the shapes and that every entry time is below its row's time. */
    public SurvivalData {
        if (x.length != time.length || x.length != event.length || start != null && start.length != time.length) {
            throw new IllegalArgumentException(name + ": " + x.length + " covariate rows, " + time.length + " times, "
                    + event.length + " events" + (start == null ? "" : ", " + start.length + " entry times"));
        }
        for (int i = 0; start != null && i < start.length; i++) {
            if (!(start[i] >= 0 && start[i] < time[i])) {
                throw new IllegalArgumentException(name + ": row " + i + " enters at "
                        + SurvivalArguments.format(start[i]) + ", not in [0, time " + SurvivalArguments.format(time[i]) + ")");
            }
        }
        int width = recipe.covariates().size();
        for (double[] row : x) {
            if (row.length != width) {
                throw new IllegalArgumentException(name + ": rows of " + row.length + " covariates, expected " + width);
            }
        }
    }

    /** Data from arrays, with numeric covariates named {@code columns}. */
    public static SurvivalData of(String name, List<String> columns, double[][] x, double[] time, double[] event) {
        return new SurvivalData(name, FeatureEncoding.numeric(columns), x, time, event, null);
    }

    /**
     * Reads a CSV file and chooses the encoding of its feature columns
     * ({@link FeatureEncoding#infer}).
     *
     * @param features the covariate columns; empty for every column except time and event
     * @param notes receives one line per categorical column that was one-hot encoded
     * @throws InvalidInputException for a missing file, a file without data rows, unknown columns,
     *                               missing or non-numeric values, negative times, events other than 0/1
     */
    public static SurvivalData readCsv(Path file, String timeColumn, String eventColumn, List<String> features,
                                       Consumer<String> notes) {
        return fromTable(CsvTable.read(file), timeColumn, eventColumn, features, notes);
    }

    /**
     * As {@link #readCsv}, for a table already read (e.g. the training part of a split, so that
     * one-hot levels are chosen from the training rows only).
     *
     * @throws InvalidInputException as {@link #readCsv}
     */
    public static SurvivalData fromTable(CsvTable table, String timeColumn, String eventColumn,
                                         List<String> features, Consumer<String> notes) {
        return fromTable(table, null, timeColumn, eventColumn, features, notes);
    }

    /**
     * As {@link #fromTable(CsvTable, String, String, List, Consumer)} with an entry-time column
     * ({@code null}: none), for counting-process rows (start, stop, event).
     *
     * @throws InvalidInputException as {@link #readCsv}, and for entry times below 0 or not below the time
     */
    public static SurvivalData fromTable(CsvTable table, String startColumn, String timeColumn, String eventColumn,
                                         List<String> features, Consumer<String> notes) {
        return fromTable(table, startColumn, timeColumn, eventColumn, features, 1, notes);
    }

    /**
     * As {@link #fromTable(CsvTable, String, String, String, List, Consumer)} for competing risks:
     * event codes 0 (censored) to {@code causes}.
     *
     * @throws InvalidInputException as {@link #readCsv}, and for an event code that is not a whole
     *     number in 0..causes
     */
    public static SurvivalData fromTable(CsvTable table, String startColumn, String timeColumn, String eventColumn,
                                         List<String> features, int causes, Consumer<String> notes) {
        requireRows(table);
        List<String> labels = labelColumns(startColumn, timeColumn, eventColumn);
        List<String> sources = new ArrayList<>(features);
        if (sources.isEmpty()) {
            sources.addAll(table.columns());
            sources.removeAll(labels);
        } else {
            for (String label : labels) {
                if (sources.contains(label)) {
                    throw new InvalidInputException("the features must not include the time, event or start column ('"
                            + label + "')");
                }
            }
        }
        if (sources.isEmpty()) {
            throw new InvalidInputException(table.name() + " has no columns besides " + String.join(", ", labels)
                    + " to use as features");
        }
        List<String> used = new ArrayList<>(labels);
        used.addAll(sources);
        table.checkComplete(used);
        return of(table, startColumn, timeColumn, eventColumn, FeatureEncoding.infer(table, sources, notes), causes);
    }

    private static List<String> labelColumns(String startColumn, String timeColumn, String eventColumn) {
        List<String> labels = new ArrayList<>(List.of(timeColumn, eventColumn));
        if (startColumn != null) {
            labels.add(0, startColumn);
        }
        return labels;
    }

    /**
     * Encodes a table with a known recipe (e.g. the one a model was trained with; a standardized
     * recipe gives standardized covariates).
     *
     * @throws InvalidInputException as {@link #readCsv}, and for a category not seen in training
     */
    public static SurvivalData of(CsvTable table, String timeColumn, String eventColumn, FeatureRecipe recipe) {
        return of(table, null, timeColumn, eventColumn, recipe);
    }

    /**
     * As {@link #of(CsvTable, String, String, FeatureRecipe)} with an entry-time column ({@code null}: none).
     *
     * @throws InvalidInputException as {@link #readCsv}, and for entry times below 0 or not below the time
     */
    public static SurvivalData of(CsvTable table, String startColumn, String timeColumn, String eventColumn,
                                  FeatureRecipe recipe) {
        return of(table, startColumn, timeColumn, eventColumn, recipe, 1);
    }

    /**
     * As {@link #of(CsvTable, String, String, String, FeatureRecipe)} with event codes 0
     * (censored) to {@code causes}: competing risks when {@code causes > 1}.
     *
     * @throws InvalidInputException as {@link #readCsv}, and for an event code that is not a whole
     *     number in 0..causes (naming the column and the first such row)
     */
    public static SurvivalData of(CsvTable table, String startColumn, String timeColumn, String eventColumn,
                                  FeatureRecipe recipe, int causes) {
        requireRows(table);
        List<String> used = labelColumns(startColumn, timeColumn, eventColumn);
        used.addAll(FeatureEncoding.sources(recipe));
        table.checkComplete(used);
        double[] time = table.numeric(timeColumn);
        double[] event = table.numeric(eventColumn);
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < time.length; i++) {
            if (time[i] < 0) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException(table.name() + ": time column '" + timeColumn + "' has " + bad.size()
                    + " negative values, in rows " + table.firstRows(bad));
        }
        if (causes > 1) {
            checkCauses(table, eventColumn, event, causes);
        }
        for (int i = 0; i < event.length; i++) {
            if (event[i] != 0 && event[i] != 1 && causes == 1) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException(table.name() + ": event column '" + eventColumn
                    + "' must be 0 (censored) or 1 (event), but has " + bad.size() + " other values (first: "
                    + SurvivalArguments.format(event[bad.get(0)]) + "), in rows " + table.firstRows(bad)
                    + "; recode it");
        }
        double[] start = startColumn == null ? null : table.numeric(startColumn);
        for (int i = 0; start != null && i < start.length; i++) {
            if (!(start[i] >= 0 && start[i] < time[i])) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException(table.name() + ": start column '" + startColumn + "' must be >= 0 and"
                    + " below the time column '" + timeColumn + "' in every row (a row covers the interval (start,"
                    + " time]), but is not in " + bad.size() + " rows (first: start "
                    + SurvivalArguments.format(start[bad.get(0)]) + ", time " + SurvivalArguments.format(time[bad.get(0)])
                    + "), rows " + table.firstRows(bad));
        }
        return new SurvivalData(table.name(), recipe, FeatureEncoding.encode(recipe, table), time, event, start);
    }

    /**
     * Covariates only, for prediction: the table encoded with a known recipe; the times and events
     * are unknown and set to 0.
     *
     * @throws InvalidInputException for a table without data rows, and as {@link FeatureEncoding#encode}
     */
    public static SurvivalData covariatesOnly(CsvTable table, FeatureRecipe recipe) {
        requireRows(table);
        double[] zeros = new double[table.rows()];
        return new SurvivalData(table.name(), recipe, FeatureEncoding.encode(recipe, table), zeros, zeros, null);
    }

    /**
     * The largest event code of a table's event column: 1 for events 0/1, K for competing causes
     * 0..K.
     *
     * @throws InvalidInputException naming the column and the first row whose code is not a whole
     *     number >= 0, or a cause in 1..K without any event
     */
    public static int largestCause(CsvTable table, String eventColumn) {
        double[] event = table.numeric(eventColumn);
        checkCauses(table, eventColumn, event, Integer.MAX_VALUE);
        int largest = (int) Math.max(1, Arrays.stream(event).max().orElse(0));
        boolean[] seen = new boolean[largest + 1];
        for (double e : event) {
            seen[(int) e] = true;
        }
        for (int k = 1; k <= largest && largest > 1; k++) {
            if (!seen[k]) {
                throw new InvalidInputException(table.name() + ": event column '" + eventColumn + "' has codes up to "
                        + largest + " but no row of cause " + k + ": competing causes must be coded 1.." + largest
                        + " (0 = censored), each with events; recode it");
            }
        }
        return largest;
    }

    /** Every code a whole number in 0..causes, or one line naming the column and the first bad row. */
    private static void checkCauses(CsvTable table, String eventColumn, double[] event, int causes) {
        for (int i = 0; i < event.length; i++) {
            if (!(event[i] >= 0 && event[i] <= causes && event[i] == Math.rint(event[i]))) {
                String expected = causes == Integer.MAX_VALUE ? "a whole number >= 0 (0 = censored, 1..K the cause)"
                        : "a whole number from 0 (censored) to " + causes + " (the causes of the training data)";
                throw new InvalidInputException(table.name() + ": event column '" + eventColumn + "' must hold "
                        + expected + ", but row " + table.firstRows(List.of(i)) + " has "
                        + SurvivalArguments.format(event[i]));
            }
        }
    }

    private static void requireRows(CsvTable table) {
        if (table.rows() == 0) {
            throw new InvalidInputException(table.name() + " has a header but no data rows");
        }
    }

    /** The covariate names. */
    public List<String> columns() {
        return recipe.covariates();
    }

    /** Number of subjects. */
    public int size() {
        return time.length;
    }

    /** Number of events (of any cause). */
    public int events() {
        int events = 0;
        for (double e : event) {
            events += e != 0 ? 1 : 0;
        }
        return events;
    }

    /** The observed times of the events (of any cause), in row order. */
    public double[] eventTimes() {
        return IntStream.range(0, size()).filter(i -> event[i] != 0).mapToDouble(i -> time[i]).toArray();
    }

    /** The covariates as a float matrix {@code [n, p]}. */
    public INDArray features() {
        return Nd4j.createFromArray(x).castTo(DataType.FLOAT);
    }

    /**
     * The labels in survival4j's DL4J layout, float {@code [n, 2]} = (time, event), or
     * {@code [n, 3]} = (start, time, event) with entry times.
     */
    public INDArray labels() {
        return Nd4j.createFromArray(labelRows()).castTo(DataType.FLOAT);
    }

    /** The labels in double, {@code [n][2]} = (time, event) or {@code [n][3]} = (start, time, event). */
    public double[][] labelRows() {
        double[][] labels = new double[size()][];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = start == null ? new double[] {time[i], event[i]} : new double[] {start[i], time[i], event[i]};
        }
        return labels;
    }

    /** Features and labels as one DL4J data set. */
    public DataSet dataSet() {
        return new DataSet(features(), labels());
    }

    /** The times as a double vector {@code [n]}, for the metrics. */
    public INDArray timeArray() {
        return Nd4j.createFromArray(time);
    }

    /** The entry times as a double vector {@code [n]}, or {@code null} without them. */
    public INDArray startArray() {
        return start == null ? null : Nd4j.createFromArray(start);
    }

    /** The events as a double vector {@code [n]}, for the metrics. */
    public INDArray eventArray() {
        return Nd4j.createFromArray(event);
    }

    /** The given rows, in the given order. */
    public SurvivalData rows(int[] rows) {
        double[][] nx = new double[rows.length][];
        double[] nt = new double[rows.length];
        double[] ne = new double[rows.length];
        double[] ns = start == null ? null : new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            nx[k] = x[rows[k]];
            nt[k] = time[rows[k]];
            ne[k] = event[rows[k]];
            if (ns != null) {
                ns[k] = start[rows[k]];
            }
        }
        return new SurvivalData(name, recipe, nx, nt, ne, ns);
    }

    /** The same data under another name (for printing). */
    public SurvivalData withName(String newName) {
        return new SurvivalData(newName, recipe, x, time, event, start);
    }

    /**
     * The same data with each time replaced by its rank among the distinct times (1, 2, ...), if
     * float32 labels would merge two distinct times (Unix timestamps, say, where float's spacing is
     * 128 s); else this data. For the Cox loss only, whose likelihood depends on the order and the
     * ties of the times alone: ranks give exactly the likelihood of the double times, where float
     * times would make distinct times ties. Entry times are ranked with the times, which keeps every
     * comparison of a start with a time.
     */
    public SurvivalData withFloatSafeTimes() {
        double[] distinct = DoubleStream.concat(Arrays.stream(time), start == null ? DoubleStream.empty()
                : Arrays.stream(start)).distinct().sorted().toArray();
        boolean merged = false;
        for (int k = 1; k < distinct.length; k++) {
            merged |= (float) distinct[k] == (float) distinct[k - 1];
        }
        if (!merged) {
            return this;
        }
        return new SurvivalData(name, recipe, x, ranks(time, distinct), event,
                start == null ? null : ranks(start, distinct));
    }

    /** Each value's rank (1, 2, ...) among {@code distinct} (sorted, containing every value). */
    private static double[] ranks(double[] values, double[] distinct) {
        double[] ranks = new double[values.length];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = Arrays.binarySearch(distinct, values[i]) + 1;
        }
        return ranks;
    }

    /** The same subjects with other covariates (e.g. standardized). */
    public SurvivalData withCovariates(double[][] newX) {
        return new SurvivalData(name, recipe, newX, time, event, start);
    }

    /**
     * A random split, e.g. a validation set held out of the training data.
     *
     * @param fraction the share of rows in the second part, in (0, 1)
     * @return {@code [rest, held out]}
     */
    public SurvivalData[] split(double fraction, long seed) {
        int[][] parts = splitRows(size(), fraction, seed);
        return new SurvivalData[] {rows(parts[0]), rows(parts[1])};
    }

    /**
     * The row indices of a random split of {@code n} rows: a seeded permutation, of which the last
     * {@code round(fraction * n)} rows are held out.
     *
     * @return {@code [rest, held out]}
     * @throws InvalidInputException if {@code fraction} is not in (0, 1)
     */
    static int[][] splitRows(int n, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new InvalidInputException("the split fraction must be in (0, 1), got "
                    + SurvivalArguments.format(fraction));
        }
        int[] order = permutation(n, new Random(seed));
        int held = (int) Math.round(fraction * n);
        return new int[][] {Arrays.copyOfRange(order, 0, n - held), Arrays.copyOfRange(order, n - held, n)};
    }

    /** A uniformly random order of {@code 0 .. n-1} (Fisher-Yates). */
    static int[] permutation(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
