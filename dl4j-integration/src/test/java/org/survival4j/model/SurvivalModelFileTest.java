package org.survival4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.loss.Ties;
import org.survival4j.testing.ZipEntries;

/**
 * A saved and reloaded {@link SurvivalModel} predicts what the model predicted when it was made,
 * and a damaged or inconsistent file is refused with the name of the entry at fault.
 */
class SurvivalModelFileTest {
    private static final double[] TIMES = {0, 0.3, 0.75, 1.2, 2.5, 40};

    @TempDir
    Path dir;

    private static final INDArray X = ModelFixtures.TRAINING_X;
    private static final INDArray PROBE = ModelFixtures.features(7, 6);

    @Test
    void aReloadedModelPredictsExactlyWhatItPredictedWhenItWasMade() throws IOException {
        Map<String, SurvivalModel> models = Map.of("cox", ModelFixtures.cox(false, false), "cox with momentum", ModelFixtures.cox(true, false),
                "cox, counting process, momentum", ModelFixtures.cox(true, true), "weibull", ModelFixtures.weibull(), "grid", ModelFixtures.grid());
        double[][] x = PROBE.toDoubleMatrix();
        for (Map.Entry<String, SurvivalModel> e : models.entrySet()) {
            SurvivalModel made = e.getValue();
            SurvivalModel loaded = reloaded(e.getKey(), made);
            String what = e.getKey();
            assertEquals(made.kind(), loaded.kind(), what);
            // same weights, same inputs, same process: equal to the last bit (the issue asks 1e-12)
            assertArrayEquals(made.risk(x), loaded.risk(x), 1e-12, what);
            assertArrayEquals(made.quantileTime(x, 0.5), loaded.quantileTime(x, 0.5), 1e-12, what);
            double[][] a = made.survival(x, TIMES);
            double[][] b = loaded.survival(x, TIMES);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 1e-12, what + " row " + i);
            }
            assertArrayEquals(made.timeGrid(), loaded.timeGrid(), what);
            assertEquals(made.summary(), loaded.summary(), what);
        }
    }

    /**
     * Competing risks: a reloaded cause-specific Cox (with strata; trained with momentum), Fine-Gray
     * or DeepHit model gives the same incidences, event-free survival and medians to the last bit:
     * the baselines are stored as the doubles they are, the grid times likewise.
     */
    @Test
    void aReloadedCompetingRisksModelPredictsExactlyWhatItPredictedWhenItWasMade() throws IOException {
        Map<String, SurvivalModel> models = Map.of("cause-specific", ModelFixtures.causeSpecific(false, false),
                "cause-specific, strata", ModelFixtures.causeSpecific(false, true), "cause-specific, momentum",
                ModelFixtures.causeSpecific(true, false), "fine-gray", ModelFixtures.fineGray(), "deephit",
                ModelFixtures.deepHit());
        double[][] x = PROBE.toDoubleMatrix();
        int[] strata = {0, 1, 1, 0, 1, 0, 0};
        for (Map.Entry<String, SurvivalModel> e : models.entrySet()) {
            SurvivalModel made = e.getValue();
            SurvivalModel loaded = reloaded(e.getKey(), made);
            String what = e.getKey();
            int[] s = made.stratified() ? strata : null;
            assertEquals(made.kind(), loaded.kind(), what);
            assertEquals(made.stratified(), loaded.stratified(), what);
            assertArrayEquals(made.causes(), loaded.causes(), what);
            assertArrayEquals(made.gridTimes(), loaded.gridTimes(), what);
            for (int k : made.causes()) {
                assertRowsEqual(made.cumulativeIncidence(x, s, k, TIMES), loaded.cumulativeIncidence(x, s, k, TIMES),
                        what + " cause " + k);
            }
            if (made.kind() != SurvivalModel.Kind.FINE_GRAY) {
                assertRowsEqual(made.survival(x, s, TIMES), loaded.survival(x, s, TIMES), what + " event-free");
                assertArrayEquals(made.quantileTime(x, s, 0.5), loaded.quantileTime(x, s, 0.5), 0, what);
            }
            assertArrayEquals(made.timeGrid(), loaded.timeGrid(), what);
            assertEquals(made.summary(), loaded.summary(), what);
        }
    }

    /** {@code model} saved under a file name made from {@code name} and loaded back. */
    private SurvivalModel reloaded(String name, SurvivalModel model) throws IOException {
        Path file = dir.resolve(name.replaceAll("\\W", "_") + ".zip");
        model.save(file);
        return SurvivalModel.load(file);
    }

    private static void assertRowsEqual(double[][] expected, double[][] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 0, what + " row " + i);
        }
    }

    @Test
    void aRecipeAndASummaryTravelWithTheModel() throws IOException {
        FeatureRecipe recipe = FeatureRecipe.builder().numeric("age").log1p("nodes").ordinal("size",
                List.of("<=20", "20-50", ">50"), 20, 50).standardization(new double[] {60, 1, 1}, new double[] {10, 0.5, 0.7})
                .missingValues(FeatureRecipe.MissingValues.TRAINING_MEAN).build();
        INDArray y = ModelFixtures.labels(X, 7, false);
        MultiLayerNetwork net = ModelFixtures.mlp(new CoxLossFunction(Ties.BRESLOW), 1, DataType.DOUBLE);
        TrainingSummary summary = new TrainingSummary(96, 60, Map.of("epochs", "2"), Map.of("test.harrell", 0.61));
        SurvivalModel made = SurvivalModel.builder(net).trainingData(X, y).recipe(recipe).summary(summary).build();
        made.save(dir.resolve("m.zip"));
        SurvivalModel loaded = SurvivalModel.load(dir.resolve("m.zip"));
        assertEquals(recipe, loaded.recipe());
        assertEquals(summary, loaded.summary());
        List<Map<String, ?>> rows = List.of(Map.of("age", 71, "nodes", "3", "size", "25"),
                Map.of("age", "44.5", "size", ">50"));
        assertArrayEquals(made.risk(rows), loaded.risk(rows), 0);
    }

    @Test
    void aRecipeGivenAfterTheBuildTravelsWithTheModelAndMustFitItsInputs() throws IOException {
        SurvivalModel encodedOnly = ModelFixtures.cox(false, false);
        FeatureRecipe recipe = FeatureRecipe.builder().numeric("a").log1p("b").numeric("c")
                .standardization(new double[] {1, 2, 3}, new double[] {4, 5, 6}).build();
        SurvivalModel withRecipe = encodedOnly.withRecipe(recipe);
        withRecipe.save(dir.resolve("m.zip"));
        SurvivalModel loaded = SurvivalModel.load(dir.resolve("m.zip"));
        assertEquals(recipe, loaded.recipe());
        assertEquals(null, encodedOnly.recipe());
        List<Map<String, ?>> rows = List.of(Map.of("a", 2, "b", 7, "c", -1));
        assertArrayEquals(encodedOnly.risk(recipe.encode(rows)), loaded.risk(rows), 0);

        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> encodedOnly.withRecipe(FeatureRecipe.builder().numeric("a").numeric("b").build()));
        assertTrue(wide.getMessage().contains("2 covariates"), wide.getMessage());
        IllegalArgumentException strata = assertThrows(IllegalArgumentException.class,
                () -> encodedOnly.withRecipe(FeatureRecipe.builder().numeric("a").numeric("b").numeric("c")
                        .strataColumn("site").build()));
        assertTrue(strata.getMessage().contains("no strata"), strata.getMessage());
    }

    /** 0.2's first save went through a temporary file made by createTempFile: the model file was owner-only. */
    @Test
    void aSavedModelHasThePermissionsOfAnyNewFileThereAndNoTemporaryFileIsLeft() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path model = dir.resolve("m.zip");
        ModelFixtures.cox(false, false).save(model);
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(model));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(model, plain), files.sorted().toList());
        }
    }

    @Test
    void everyDamagedEntryIsRefusedByName() throws IOException {
        assertEveryDamagedEntryIsRefusedByName(ModelFixtures.cox(false, false), "baseline.json");
        assertEveryDamagedEntryIsRefusedByName(ModelFixtures.causeSpecific(false, true), "baselines.json");
        assertEveryDamagedEntryIsRefusedByName(ModelFixtures.fineGray(), "baseline.json");
    }

    private void assertEveryDamagedEntryIsRefusedByName(SurvivalModel model, String baseline) throws IOException {
        Path file = dir.resolve("m.zip");
        model.save(file);
        Map<String, byte[]> entries = ZipEntries.read(file.toFile());
        assertEquals(List.of("manifest.json", "manifest.sha256", "network.zip", baseline, "summary.json"),
                List.copyOf(entries.keySet()));
        for (String entry : entries.keySet()) {
            byte[] bytes = entries.get(entry);
            byte[] flipped = bytes.clone();
            flipped[bytes.length / 2] ^= 0x20;
            for (byte[] damage : List.of(Arrays.copyOf(bytes, bytes.length / 2), flipped, new byte[0])) {
                Path damaged = dir.resolve("damaged.zip");
                ZipEntries.rewrite(file.toFile(), damaged.toFile(), entry, damage);
                IOException e = assertThrows(IOException.class, () -> SurvivalModel.load(damaged), entry);
                assertTrue(e.getMessage().contains(entry), "names " + entry + ": " + e.getMessage());
            }
        }
        Path missing = dir.resolve("missing.zip");
        ZipEntries.rewrite(file.toFile(), missing.toFile(), baseline, null);
        assertMessage(missing, "entry " + baseline + " is missing");
    }

    @Test
    void aTruncatedOrForeignFileIsRefused() throws IOException {
        Path file = dir.resolve("m.zip");
        ModelFixtures.cox(false, false).save(file);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IOException.class, () -> SurvivalModel.load(truncated));
        Path text = dir.resolve("text.zip");
        Files.writeString(text, "not a zip");
        assertMessage(text, "not a survival model file");
        assertMessage(dir.resolve("absent.zip"), "no such file");
    }

    @Test
    void aManifestThatDisagreesWithTheNetworkIsRefusedNamingTheField() throws Exception {
        Path file = dir.resolve("m.zip");
        ModelFixtures.cox(false, false).save(file);
        String manifest = new String(ZipEntries.read(file.toFile()).get("manifest.json"), StandardCharsets.UTF_8);
        assertInconsistent(file, manifest.replace("\"kind\" : \"COX\"", "\"kind\" : \"WEIBULL\""), "says kind WEIBULL");
        assertInconsistent(file, manifest.replace("\"ties\" : \"EFRON\"", "\"ties\" : \"BRESLOW\""), "says BRESLOW");
        assertInconsistent(file, manifest.replace("\"inputs\" : 3", "\"inputs\" : 2"), "inputs");
        assertInconsistent(file, manifest.replace("\"outputs\" : 1", "\"outputs\" : 2"), "outputs");
        assertInconsistent(file, manifest.replace("\"format\" : 1", "\"format\" : 7"), "newer survival4j");
        assertInconsistent(file, manifest.replace("\"stratified\" : false", "\"stratified\" : true"), "baseline.json");
        assertInconsistent(file, manifest.replace("\"kind\" : \"COX\"", "\"kind\" : \"SPLINE\""), "'kind'");
    }

    @Test
    void aRecipeOfTheWrongWidthIsRefused() throws IOException {
        FeatureRecipe twoColumns = FeatureRecipe.builder().numeric("a").numeric("b").build();
        MultiLayerNetwork net = ModelFixtures.mlp(new CoxLossFunction(), 1, DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SurvivalModel.builder(net)
                .trainingData(X, ModelFixtures.labels(X, 7, false)).recipe(twoColumns).build());
        assertTrue(e.getMessage().contains("2 covariates"), e.getMessage());
    }

    @Test
    void aModelDirectoryOfRelease010IsRefusedWithAClearMessage() throws IOException {
        Path old = Files.createDirectories(dir.resolve("run1/model"));
        Files.writeString(old.resolve("model.json"), "{\"format\": 1}");
        assertMessage(dir.resolve("run1"), "model directory of survival4j 0.1");
        assertMessage(old, "model directory of survival4j 0.1");
    }

    @Test
    void competingRisksEntriesThatDisagreeAreRefusedNamingWhat() throws Exception {
        Path csc = dir.resolve("csc.zip");
        ModelFixtures.causeSpecific(false, true).save(csc);
        ObjectNode manifest = manifest(csc);
        assertInconsistent(csc, with(manifest, "kind", "FINE_GRAY"), "is a CAUSE_SPECIFIC_COX network but"
                + " manifest.json says kind FINE_GRAY");
        assertInconsistent(csc, with(manifest, "ties", "BRESLOW"), "trained with EFRON ties but manifest.json says"
                + " BRESLOW");
        assertInconsistent(csc, with(manifest, "causes", JSON.createArrayNode().add(1).add(2).add(3)),
                "gives the incidence of causes [1, 2] but manifest.json says [1, 2, 3]");
        assertInconsistent(csc, with(manifest, "stratified", false), "baselines.json is stratified but manifest.json"
                + " says the model is not");
        ObjectNode baselines = (ObjectNode) JSON.readTree(ZipEntries.read(csc.toFile()).get("baselines.json"));
        ObjectNode threeCauses = baselines.deepCopy();
        ((ArrayNode) threeCauses.get("causes")).addNull();
        assertInconsistent(csc, "baselines.json", threeCauses, "baselines.json has baselines of 3 causes but"
                + " manifest.json gives 2");
        ObjectNode otherStrata = baselines.deepCopy();
        ((ArrayNode) otherStrata.get("causes").get(1).get("strata")).set(1, JSON.getNodeFactory().numberNode(5));
        assertInconsistent(csc, "baselines.json", otherStrata, "the baseline of cause 2 has strata [0, 5]");
        ObjectNode noneAtAll = baselines.deepCopy();
        ((ArrayNode) noneAtAll.get("causes")).removeAll().addNull().addNull();
        assertInconsistent(csc, "baselines.json", noneAtAll, "no cause has a baseline");

        Path cox = dir.resolve("cox.zip");
        ModelFixtures.cox(false, false).save(cox);
        assertInconsistent(cox, "baselines.json", baselines, "a COX model has no baselines.json");

        Path fg = dir.resolve("fg.zip");
        ModelFixtures.fineGray().save(fg);
        assertInconsistent(fg, with(manifest(fg), "causes", JSON.createArrayNode().add(1)),
                "gives the incidence of causes [2] but manifest.json says [1]");

        Path deepHit = dir.resolve("deephit.zip");
        ModelFixtures.deepHit().save(deepHit);
        ObjectNode dh = manifest(deepHit);
        assertInconsistent(deepHit, with(dh, "gridTimes", JSON.createArrayNode().add(0).add(1).add(2).add(3)),
                "has 5 grid intervals but manifest.json gives 4 gridTimes");
        assertInconsistent(deepHit, with(dh, "gridTimes", JSON.createArrayNode().add(0).add(1).add(1).add(2).add(3)),
                "grid times must be finite, >= 0 and increasing; grid time 2 is 1.0 after 1.0");
        assertInconsistent(deepHit, "baseline.json", JSON.readTree(ZipEntries.read(cox.toFile()).get("baseline.json")),
                "a DEEPHIT model has no baseline.json");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode manifest(Path file) throws IOException {
        return (ObjectNode) JSON.readTree(ZipEntries.read(file.toFile()).get("manifest.json"));
    }

    private static String with(ObjectNode manifest, String field, Object value) {
        ObjectNode changed = manifest.deepCopy();
        changed.set(field, JSON.valueToTree(value));
        return changed.toString();
    }

    /** Replaces the manifest, with a matching checksum: a file changed on purpose, not damaged. */
    private void assertInconsistent(Path file, String manifest, String expected) throws Exception {
        Map<String, byte[]> entries = ZipEntries.read(file.toFile());
        entries.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        assertRefused(entries, expected);
    }

    /**
     * Adds or replaces entry {@code name} and lists it in the manifest with its size and checksum:
     * a file changed on purpose, whose parts disagree.
     */
    private void assertInconsistent(Path file, String name, JsonNode content, String expected) throws Exception {
        Map<String, byte[]> entries = ZipEntries.read(file.toFile());
        byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
        entries.put(name, bytes);
        ObjectNode manifest = (ObjectNode) JSON.readTree(entries.get("manifest.json"));
        ((ObjectNode) manifest.get("entries")).putObject(name).put("bytes", bytes.length).put("sha256", sha256(bytes));
        entries.put("manifest.json", manifest.toString().getBytes(StandardCharsets.UTF_8));
        assertRefused(entries, expected);
    }

    private void assertRefused(Map<String, byte[]> entries, String expected) throws Exception {
        entries.put("manifest.sha256", sha256(entries.get("manifest.json")).getBytes(StandardCharsets.US_ASCII));
        Path changed = dir.resolve("changed.zip");
        ZipEntries.write(changed.toFile(), entries);
        IOException e = assertThrows(IOException.class, () -> SurvivalModel.load(changed), expected);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void assertMessage(Path file, String expected) {
        IOException e = assertThrows(IOException.class, () -> SurvivalModel.load(file));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
