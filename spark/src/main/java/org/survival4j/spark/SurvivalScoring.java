package org.survival4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;

/**
 * Scores data that stays on the executors with a {@link SurvivalModel}: risk, survival at given
 * times and a quantile time (the median at level 1/2) for every row of a {@code Dataset<Row>} of
 * raw columns or a {@code JavaRDD<double[]>} of encoded inputs.
 *
 * <p>The model travels as the bytes of its file, broadcast once; each executor JVM loads it once
 * (checking every entry, as {@link SurvivalModel#load}) and its tasks share it; the DL4J network is
 * never Java-serialized. Each partition is scored in batches of {@value #BATCH} rows, one forward
 * pass a batch. The results are those of the model called on the driver: the same network, the
 * same baseline, the same code.
 *
 * <pre>{@code
 * SurvivalScoring scoring = SurvivalScoring.of(sc, SurvivalModel.load(Path.of("cox-model.zip")));
 * Dataset<Row> scored = scoring.score(patients, 0.5, 365, 730, 1825);
 * // patients' columns + risk (double), survival (array<double>: S at 365, 730, 1825),
 * // quantile_time (double, null where the survival curve stays above 0.5: "not reached")
 * JavaRDD<SurvivalScore> scores = scoring.score(encodedFeatures, 0.5, 365, 730, 1825);
 * }</pre>
 *
 * <p>A row the model's recipe cannot encode (a missing value it rejects, an unknown category)
 * fails the job with the recipe's message, prefixed by the partition and the batch.
 *
 * @since 0.2
 */
public final class SurvivalScoring {
    /** The column of the risk score (double; higher = shorter survival). */
    public static final String RISK = "risk";
    /** The column of the survival probabilities (array of double, one per scoring time). */
    public static final String SURVIVAL = "survival";
    /** The column of the quantile time (double, null where the level is not reached). */
    public static final String QUANTILE_TIME = "quantile_time";
    /** Rows per forward pass on an executor. */
    public static final int BATCH = 4096;

    private final SurvivalModel model;
    private final Broadcast<ModelFileBytes> broadcast;

    private SurvivalScoring(SurvivalModel model, Broadcast<ModelFileBytes> broadcast) {
        this.model = model;
        this.broadcast = broadcast;
    }

    /**
     * Broadcasts {@code model}'s file to the executors of {@code sc}.
     *
     * @throws IllegalArgumentException for a competing-risks model, whose predictions are a
     *     cumulative incidence per cause, not one risk and survival curve
     */
    public static SurvivalScoring of(JavaSparkContext sc, SurvivalModel model) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(model, "model");
        if (model.competingRisks()) { // refused here, not as a failed task on every executor
            throw new IllegalArgumentException("SurvivalScoring scores single-event models (risk, survival, quantile"
                    + " time); a " + model.kind() + " model predicts the cumulative incidence of each cause: call"
                    + " SurvivalModel.cumulativeIncidence (in a mapPartitions of your own on the executors)");
        }
        return new SurvivalScoring(model, sc.broadcast(ModelFileBytes.of(model)));
    }

    /**
     * {@code rows} with three columns added: {@value #RISK}, {@value #SURVIVAL} (at {@code times})
     * and {@value #QUANTILE_TIME} (at survival {@code level}). Lazy, as any Dataset transformation.
     *
     * @param rows raw rows holding (at least) the recipe's columns, numeric or string, and the
     *     strata column of a stratified model
     * @param level the survival level of the quantile time, in (0, 1)
     * @param times finite, {@code >= 0}
     * @throws IllegalArgumentException if the model has no recipe, a column is missing or of another
     *     type, an output column exists already, or the level or a time is out of range
     */
    public Dataset<Row> score(Dataset<Row> rows, double level, double... times) {
        checkLevelAndTimes(level, times);
        FeatureRecipe recipe = model.recipe();
        if (recipe == null) {
            throw new IllegalArgumentException("this model has no feature recipe: score encoded inputs (a JavaRDD<double[]>)");
        }
        StructType schema = rows.schema();
        List<String> names = new ArrayList<>();
        recipe.columns().forEach(c -> names.add(c.name()));
        if (recipe.strataColumn() != null) {
            names.add(recipe.strataColumn());
        }
        int[] index = new int[names.size()];
        for (int k = 0; k < index.length; k++) {
            index[k] = columnIndex(schema, names.get(k));
        }
        for (String added : List.of(RISK, SURVIVAL, QUANTILE_TIME)) {
            if (Arrays.asList(schema.fieldNames()).contains(added)) {
                throw new IllegalArgumentException("the rows have a column '" + added + "' already: scoring adds it");
            }
        }
        StructType scored = schema.add(RISK, DataTypes.DoubleType, false)
                .add(SURVIVAL, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add(QUANTILE_TIME, DataTypes.DoubleType, true);
        Broadcast<ModelFileBytes> b = broadcast;
        String[] columns = names.toArray(new String[0]);
        double[] t = times.clone();
        return rows.mapPartitions((MapPartitionsFunction<Row, Row>) in ->
                inBatches(in, batch -> scoreRows(b.value().model(), batch, columns, index, level, t)),
                RowEncoder.apply(scored));
    }

    /**
     * The scores of encoded inputs (the recipe's output, {@link SurvivalModel#encode}), in order.
     *
     * @param features rows of {@link SurvivalModel#inputs()} finite values
     * @throws IllegalArgumentException for a stratified model (score a Dataset with the strata
     *     column), or if the level or a time is out of range
     */
    public JavaRDD<SurvivalScore> score(JavaRDD<double[]> features, double level, double... times) {
        checkLevelAndTimes(level, times);
        if (model.stratified()) {
            throw new IllegalArgumentException("a stratified model needs each row's stratum: score a Dataset<Row> with"
                    + " the strata column '" + (model.recipe() == null ? "?" : model.recipe().strataColumn()) + "'");
        }
        Broadcast<ModelFileBytes> b = broadcast;
        double[] t = times.clone();
        return features.mapPartitions(in -> inBatches(in, batch -> {
            SurvivalModel m = b.value().model();
            double[][] x = batch.toArray(new double[0][]);
            return scores(m, x, null, level, t, SurvivalScore::new);
        }));
    }

    // ---------------------------------------------------------------- on the executors

    private static List<Row> scoreRows(SurvivalModel model, List<Row> batch, String[] columns, int[] index,
                                       double level, double[] times) {
        List<Map<String, Object>> raw = new ArrayList<>(batch.size());
        for (Row row : batch) {
            Map<String, Object> values = new HashMap<>();
            for (int k = 0; k < columns.length; k++) {
                values.put(columns[k], row.get(index[k]));
            }
            raw.add(values);
        }
        double[][] x = model.encode(raw);
        List<Object[]> predicted = scores(model, x, model.recipe().strata(raw), level, times,
                // an array column's value in a Row is a Scala Seq (what Row.getList reads)
                (risk, s, q) -> new Object[] {risk, scala.Predef.wrapDoubleArray(s), Double.isFinite(q) ? q : null});
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            Object[] values = new Object[row.length() + 3];
            for (int j = 0; j < row.length(); j++) {
                values[j] = row.get(j);
            }
            System.arraycopy(predicted.get(i), 0, values, row.length(), 3);
            out.add(RowFactory.create(values));
        }
        return out;
    }

    /** Scores of one batch, made into results by {@code make}. */
    private static <R> List<R> scores(SurvivalModel model, double[][] x, int[] strata, double level, double[] times,
                                      ScoreMaker<R> make) {
        double[] risk = model.risk(x);
        double[][] survival = model.survival(x, strata, times);
        double[] quantile = model.quantileTime(x, strata, level);
        List<R> out = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) {
            out.add(make.make(risk[i], survival[i], quantile[i]));
        }
        return out;
    }

    /** A function of one row's risk, survival and quantile time. */
    private interface ScoreMaker<R> {
        R make(double risk, double[] survival, double quantileTime);
    }

    /** {@code in} mapped a batch at a time, lazily; a failure names the partition and the batch. */
    private static <T, R> Iterator<R> inBatches(Iterator<T> in, Function<List<T>, List<R>> map) {
        return new Iterator<>() {
            private Iterator<R> current = Collections.emptyIterator();
            private long done;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && in.hasNext()) {
                    List<T> batch = new ArrayList<>(BATCH);
                    while (batch.size() < BATCH && in.hasNext()) {
                        batch.add(in.next());
                    }
                    try {
                        current = map.apply(batch).iterator();
                    } catch (IllegalArgumentException e) {
                        TaskContext task = TaskContext.get();
                        throw new IllegalArgumentException("partition " + (task == null ? "?" : task.partitionId())
                                + ", the batch from its row " + (done + 1) + ": " + e.getMessage(), e);
                    }
                    done += batch.size();
                }
                return current.hasNext();
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    // ---------------------------------------------------------------- on the driver

    private static int columnIndex(StructType schema, String name) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("the rows have no column '" + name + "' (the model's recipe needs it); columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        StructField field = schema.apply(name);
        DataType type = field.dataType();
        if (!(type instanceof NumericType) && !type.equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("column '" + name + "' is " + type.simpleString()
                    + "; the recipe reads numbers or strings");
        }
        return schema.fieldIndex(name);
    }

    private static void checkLevelAndTimes(double level, double[] times) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("the survival level must be in (0, 1), got " + level);
        }
        for (double t : Objects.requireNonNull(times, "times")) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("times must be finite and >= 0, got " + t);
            }
        }
    }
}
