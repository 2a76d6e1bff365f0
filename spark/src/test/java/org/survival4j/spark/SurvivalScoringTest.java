package org.survival4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;

/**
 * Scoring on the executors (local[2], 2-4 partitions) equals the model called on the driver with
 * the rows of each partition, bit for bit: the executors load the same model file and run the same
 * code on the same machine. (Per partition, because a network's output for a row can differ in its
 * last bit with the number of rows in the call: OpenBLAS picks its matrix-product kernel by size.)
 * The models: small MLPs of {@link SparkFixtures} (float32) trained briefly on rows of
 * {@code SyntheticCohort}, with a recipe of six numeric columns and a one-hot {@code group}.
 */
class SurvivalScoringTest {
    private static final double[] TIMES = {0.1, 0.5, 1, 2, 5};
    private static final FeatureRecipe RECIPE = recipe(null);
    private static JavaSparkContext sc;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        sc = SparkFixtures.localContext();
        spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aDatasetOfRawRowsIsScoredAsOnTheDriver() {
        SurvivalModel model = model(SparkFixtures.coxMlp(5), RECIPE, null);
        List<Map<String, Object>> raw = rawRows(400, 3);
        double level = levelWithRowsOnBothSides(model, raw);
        int before = ModelFileBytes.loads();
        SurvivalScoring scoring = SurvivalScoring.of(sc, model);
        assertRowsEqualTheDriver(model, raw, level, scoring.score(dataset(raw, 4), level, TIMES));
        assertRowsEqualTheDriver(model, raw, level, scoring.score(dataset(raw, 2), level, TIMES));
        // local[2]: the driver and the executor are one JVM, which loaded the broadcast model once for 6 partitions
        assertEquals(1, ModelFileBytes.loads() - before);
    }

    @Test
    void aStratifiedModelReadsEachRowsStratum() {
        FeatureRecipe recipe = recipe("centre");
        SurvivalModel model = model(SparkFixtures.coxMlp(6), recipe, "centre");
        List<Map<String, Object>> raw = rawRows(300, 4);
        assertRowsEqualTheDriver(model, raw, 0.5, SurvivalScoring.of(sc, model).score(dataset(raw, 3), 0.5, TIMES));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SurvivalScoring.of(sc, model).score(sc.parallelize(List.of(new double[8])), 0.5, TIMES))
                .getMessage().contains("strata column 'centre'"));
    }

    @Test
    void encodedInputsAreScoredAsOnTheDriver() {
        SurvivalModel model = model(SparkFixtures.weibullMlp(7), null, null);
        double[][] x = RECIPE.encode(rawRows(250, 5));
        JavaRDD<double[]> rdd = sc.parallelize(Arrays.asList(x), 3);
        List<List<double[]>> partitions = rdd.glom().collect();
        List<List<SurvivalScore>> scored = SurvivalScoring.of(sc, model).score(rdd, 0.5, TIMES).glom().collect();
        assertEquals(3, scored.size());
        for (int p = 0; p < 3; p++) {
            double[][] part = partitions.get(p).toArray(new double[0][]);
            double[] risk = model.risk(part);
            double[][] survival = model.survival(part, TIMES);
            double[] median = model.quantileTime(part, 0.5);
            assertEquals(part.length, scored.get(p).size());
            for (int i = 0; i < part.length; i++) {
                SurvivalScore score = scored.get(p).get(i);
                assertEquals(risk[i], score.risk(), "partition " + p + " row " + i);
                assertArrayEquals(survival[i], score.survival(), "partition " + p + " row " + i);
                assertEquals(median[i], score.quantileTime(), "partition " + p + " row " + i);
            }
        }
    }

    @Test
    void missingColumnsWrongTypesAndBadValuesAreNamed() {
        SurvivalScoring scoring = SurvivalScoring.of(sc, model(SparkFixtures.coxMlp(5), RECIPE, null));
        Dataset<Row> rows = dataset(rawRows(20, 6), 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> scoring.score(rows.drop("x3"), 0.5, TIMES))
                .getMessage().contains("no column 'x3'"));
        Dataset<Row> flag = rows.withColumn("x3", rows.col("x3").gt(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> scoring.score(flag, 0.5, TIMES))
                .getMessage().contains("column 'x3' is boolean"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> scoring.score(rows, 1.5, TIMES))
                .getMessage().contains("level must be in (0, 1)"));
        List<Map<String, Object>> raw = rawRows(20, 6);
        raw.get(13).put("group", "z");
        SparkException e = assertThrows(SparkException.class,
                () -> scoring.score(dataset(raw, 2), 0.5, TIMES).collectAsList());
        assertTrue(e.getMessage().matches("(?s).*partition \\d, the batch from its row 1: row \\d+: column 'group' has 'z'.*"),
                e.getMessage());
    }

    @Test
    void aCompetingRisksModelIsRefusedOnTheDriver() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(new CauseSpecificCoxLossFunction(2)).nIn(2).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        SurvivalModel model = SurvivalModel.builder(net).trainingData(new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}},
                new double[][] {{1, 1}, {2, 2}, {3, 0}, {4, 1}}).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SurvivalScoring.of(sc, model));
        assertTrue(e.getMessage().contains("CAUSE_SPECIFIC_COX model predicts the cumulative incidence"),
                e.getMessage());
    }

    // ---------------------------------------------------------------- fixtures

    private static FeatureRecipe recipe(String strataColumn) {
        FeatureRecipe.Builder b = FeatureRecipe.builder();
        for (int j = 1; j <= 6; j++) {
            b.numeric("x" + j);
        }
        return b.oneHot("group", List.of("a", "b", "c")).strataColumn(strataColumn).build();
    }

    /** Rows of x1..x6 (standard normal), group "a".."c" and centre 1 or 2, seeded. */
    private static List<Map<String, Object>> rawRows(int n, long seed) {
        Random rng = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new HashMap<>();
            for (int j = 1; j <= 6; j++) {
                row.put("x" + j, rng.nextGaussian());
            }
            row.put("group", String.valueOf((char) ('a' + rng.nextInt(3))));
            row.put("centre", 1 + rng.nextInt(2));
            rows.add(row);
        }
        return rows;
    }

    private static Dataset<Row> dataset(List<Map<String, Object>> raw, int partitions) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType);
        for (int j = 1; j <= 6; j++) {
            schema = schema.add("x" + j, DataTypes.DoubleType);
        }
        schema = schema.add("group", DataTypes.StringType).add("centre", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Map<String, Object> r = raw.get(i);
            rows.add(RowFactory.create(i, r.get("x1"), r.get("x2"), r.get("x3"), r.get("x4"), r.get("x5"), r.get("x6"),
                    r.get("group"), r.get("centre")));
        }
        return spark.createDataFrame(sc.parallelize(rows, partitions), schema);
    }

    /** A model of a network trained for two epochs on 300 rows of the synthetic cohort. */
    private static SurvivalModel model(MultiLayerConfiguration conf, FeatureRecipe recipe, String strataColumn) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double[][] x = RECIPE.encode(rawRows(300, 1));
        DataSet labelled = DataSet.merge(SparkFixtures.rows(300, 2));
        DataSet train = new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT), labelled.getLabels());
        for (int epoch = 0; epoch < 2; epoch++) {
            for (DataSet batch : train.batchBy(16)) {
                net.fit(batch);
            }
        }
        SurvivalModel.Builder b = SurvivalModel.builder(net).trainingData(train.getFeatures(), train.getLabels())
                .recipe(recipe);
        if (strataColumn != null) {
            b.strata(recipe.strata(rawRows(300, 1)));
        }
        return b.build();
    }

    private static double levelWithRowsOnBothSides(SurvivalModel model, List<Map<String, Object>> rows) {
        for (double level : new double[] {0.5, 0.4, 0.3, 0.2, 0.1, 0.05}) {
            double[] q = model.quantileTime(rows, level);
            if (Arrays.stream(q).anyMatch(Double::isFinite) && Arrays.stream(q).anyMatch(Double::isInfinite)) {
                return level;
            }
        }
        throw new AssertionError("the rows should reach some survival levels but not all");
    }

    /** Each partition's scored rows against the driver's predictions for that partition's rows. */
    private static void assertRowsEqualTheDriver(SurvivalModel model, List<Map<String, Object>> raw, double level,
                                                 Dataset<Row> scored) {
        StructType schema = scored.schema(); // the rows of javaRDD() carry no schema: look the columns up here
        assertEquals("struct<id:int,x1:double,x2:double,x3:double,x4:double,x5:double,x6:double,group:string,"
                + "centre:int,risk:double,survival:array<double>,quantile_time:double>", schema.simpleString());
        int id = schema.fieldIndex("id");
        int x1 = schema.fieldIndex("x1");
        int riskColumn = schema.fieldIndex(SurvivalScoring.RISK);
        int survivalColumn = schema.fieldIndex(SurvivalScoring.SURVIVAL);
        int q = schema.fieldIndex(SurvivalScoring.QUANTILE_TIME);
        Map<Integer, Row> collected = new HashMap<>(); // through Spark SQL's row encoder, unlike javaRDD() here
        scored.collectAsList().forEach(r -> collected.put(r.getInt(id), r));
        int rows = 0;
        for (List<Row> partition : scored.javaRDD().glom().collect()) {
            List<Map<String, Object>> mine = partition.stream().map(r -> raw.get(r.getInt(id))).toList();
            double[] risk = model.risk(mine);
            double[][] survival = model.survival(mine, TIMES);
            double[] quantile = model.quantileTime(mine, level);
            for (int i = 0; i < partition.size(); i++) {
                Row row = partition.get(i);
                String what = "row " + row.getInt(id);
                assertEquals(mine.get(i).get("x1"), row.get(x1), "the row's own columns are kept");
                assertEquals(risk[i], row.getDouble(riskColumn), what);
                List<Double> s = row.getList(survivalColumn);
                assertArrayEquals(survival[i], s.stream().mapToDouble(Double::doubleValue).toArray(), what);
                if (Double.isFinite(quantile[i])) {
                    assertEquals(quantile[i], row.getDouble(q), what);
                } else {
                    assertNull(row.get(q), what + ": not reached is null");
                }
                Row encoded = collected.get(row.getInt(id));
                assertEquals(row.getDouble(riskColumn), encoded.getDouble(riskColumn), what);
                assertEquals(s, encoded.getList(survivalColumn), what);
                assertEquals(row.get(q), encoded.get(q), what);
            }
            rows += partition.size();
        }
        assertEquals(raw.size(), rows);
    }
}
