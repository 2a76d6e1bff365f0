package org.survival4j.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.stream.IntStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.DeepHitLossFunction;
import org.survival4j.dl4j.FineGrayLossFunction;
import org.survival4j.dl4j.GridHazardLossFunction;
import org.survival4j.loss.Ties;
import org.survival4j.metrics.BreslowBaseline;
import org.survival4j.metrics.CauseSpecificIncidence;
import org.survival4j.metrics.FineGrayIncidence;
import org.survival4j.model.SurvivalModel.Kind;

/**
 * The one-file form of a {@link SurvivalModel}: a zip whose {@code manifest.json} lists every other
 * entry with its size and SHA-256 (and {@code manifest.sha256} holds the manifest's own), so that a
 * damaged, truncated or swapped entry is refused by name before anything is built from it. Entries:
 * <ul>
 *   <li>{@code manifest.json}: format version, the survival4j and DL4J versions that wrote it, the
 *       kind of model, the network class, inputs and outputs, the ties (Cox, cause-specific Cox,
 *       Fine-Gray), the knots (grid), the causes whose incidence it gives (competing risks), the
 *       grid times (DeepHit), and the entry list;</li>
 *   <li>{@code network.zip}: the predicting network, DL4J's {@link ModelSerializer} format (no updater);</li>
 *   <li>{@code baseline.json} (Cox; Fine-Gray: of the subdistribution hazard): per stratum, the
 *       event times and \( \hat H_0 \) there;</li>
 *   <li>{@code baselines.json} (cause-specific Cox): per cause, such a baseline, or null for a
 *       cause without training events;</li>
 *   <li>{@code recipe.json} (optional): the {@link FeatureRecipe};</li>
 *   <li>{@code summary.json}: the {@link TrainingSummary} and the model's time grid.</li>
 * </ul>
 * After the checksums, every entry is checked against the others: the network's loss, ties, knots,
 * causes, grid intervals, inputs and outputs against the manifest, the recipe's width against the inputs, the baseline's
 * numbers. JSON numbers are written so that they read back to the same double.
 */
final class ModelFile {
    /** The format this version writes and reads. */
    static final int FORMAT = 1;
    static final String MANIFEST = "manifest.json";
    static final String MANIFEST_SHA256 = "manifest.sha256";
    static final String NETWORK = "network.zip";
    static final String BASELINE = "baseline.json";
    static final String BASELINES = "baselines.json";
    static final String RECIPE = "recipe.json";
    static final String SUMMARY = "summary.json";
    /** A model file's entries are read whole; this bounds what a damaged size field can make us allocate. */
    private static final long MAX_ENTRY_BYTES = 1L << 31;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ModelFile() {
    }

    /** The survival4j and DL4J versions of this build (from Maven, at build time). */
    static Map<String, String> versions() {
        Properties p = new Properties();
        try (InputStream in = ModelFile.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // leave them unknown: the versions are information, not something a prediction depends on
        }
        return Map.of("survival4j", p.getProperty("survival4j", "unknown"), "dl4j", p.getProperty("dl4j", "unknown"));
    }

    static void write(SurvivalModel model, Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        ByteArrayOutputStream network = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model.network(), network, false);
        entries.put(NETWORK, network.toByteArray());
        if (model.baseline() != null) {
            entries.put(BASELINE, json(baseline(model.baseline())));
        }
        if (model.fineGrayIncidence() != null) {
            entries.put(BASELINE, json(baseline(model.fineGrayIncidence().baseline())));
        }
        if (model.causeSpecificIncidence() != null) {
            entries.put(BASELINES, json(baselines(model.causeSpecificIncidence())));
        }
        if (model.recipe() != null) {
            entries.put(RECIPE, json(recipe(model.recipe())));
        }
        entries.put(SUMMARY, json(summary(model.summary(), model.timeGrid())));

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        versions().forEach(manifest::put);
        manifest.put("kind", model.kind().name());
        manifest.put("network", model.network() instanceof MultiLayerNetwork ? "MultiLayerNetwork" : "ComputationGraph");
        manifest.put("inputs", model.inputs());
        manifest.put("outputs", model.outputs());
        if (model.ties() != null) {
            manifest.put("ties", model.ties().name());
        }
        if (model.knots() != null) {
            manifest.set("knots", doubles(model.knots()));
        }
        if (model.competingRisks()) {
            ArrayNode causes = manifest.putArray("causes");
            Arrays.stream(model.causes()).forEach(causes::add);
        }
        if (model.gridTimes() != null) {
            manifest.set("gridTimes", doubles(model.gridTimes()));
        }
        manifest.put("stratified", model.stratified());
        ObjectNode list = manifest.putObject("entries");
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            list.putObject(e.getKey()).put("bytes", e.getValue().length).put("sha256", sha256(e.getValue()));
        }

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // beside the file under a name of its own rather than createTempFile, which makes the file
        // owner-only: a model file gets the permissions of any new file there
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 ZipOutputStream zip = new ZipOutputStream(out)) {
                byte[] manifestBytes = json(manifest);
                put(zip, MANIFEST, manifestBytes);
                put(zip, MANIFEST_SHA256, sha256(manifestBytes).getBytes(StandardCharsets.US_ASCII));
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    put(zip, e.getKey(), e.getValue());
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static SurvivalModel read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            if (Files.isRegularFile(file.resolve("model.zip"))) {
                return read(file.resolve("model.zip"));
            }
            if (Files.isRegularFile(file.resolve("model.json")) || Files.isRegularFile(file.resolve("model/model.json"))) {
                throw new IOException(file + " is a model directory of survival4j 0.1 (model.json with a separate network);"
                        + " that format is not read any more: train the model again to get a model file");
            }
            throw new IOException(file + " is a directory without a model (no model.zip in it)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        Map<String, byte[]> entries = unzip(file);
        String where = file + ": ";
        byte[] manifestBytes = entries.get(MANIFEST);
        if (manifestBytes == null) {
            throw new IOException(where + "no " + MANIFEST + " (not a survival model file)");
        }
        byte[] manifestSum = require(where, entries, MANIFEST_SHA256);
        if (!sha256(manifestBytes).equals(new String(manifestSum, StandardCharsets.US_ASCII).strip())) {
            throw new IOException(where + "entry " + MANIFEST + " is damaged (its checksum in " + MANIFEST_SHA256
                    + " differs), or " + MANIFEST_SHA256 + " is");
        }
        JsonFields manifest = new JsonFields(where + MANIFEST, parse(where + MANIFEST, manifestBytes));
        int format = manifest.integer("format", 1, Integer.MAX_VALUE);
        if (format != FORMAT) {
            throw new IOException(where + "format " + format + (format > FORMAT ? " was written by a newer survival4j ("
                    + manifest.text("survival4j") + "); this version reads format " + FORMAT : " is not known"));
        }
        checkEntries(where, manifest, entries);

        Kind kind = manifest.enumValue("kind", Kind.class);
        int inputs = manifest.integer("inputs", 1, Integer.MAX_VALUE);
        int outputs = manifest.integer("outputs", 1, Integer.MAX_VALUE);
        boolean stratified = manifest.bool("stratified");
        boolean competing = kind == Kind.CAUSE_SPECIFIC_COX || kind == Kind.FINE_GRAY || kind == Kind.DEEPHIT;
        Ties ties = kind == Kind.COX || kind == Kind.CAUSE_SPECIFIC_COX || kind == Kind.FINE_GRAY
                ? manifest.enumValue("ties", Ties.class) : null;
        double[] knots = kind == Kind.GRID ? manifest.doubles("knots") : null;
        int[] causes = competing ? manifest.ints("causes") : null;
        double[] gridTimes = kind == Kind.DEEPHIT ? manifest.doubles("gridTimes") : null;

        Predictor predictor = new Predictor(network(where, manifest.text("network"), entries.get(NETWORK)));
        ILossFunction loss = checkNetwork(where + NETWORK, predictor, kind, ties, knots, inputs, outputs);
        if (competing) {
            checkCauses(where + NETWORK, loss, causes, gridTimes);
        }

        boolean oneBaseline = kind == Kind.COX || kind == Kind.FINE_GRAY;
        for (String entry : List.of(BASELINE, BASELINES)) {
            if (entries.containsKey(entry) && !entry.equals(oneBaseline ? BASELINE : kind == Kind.CAUSE_SPECIFIC_COX
                    ? BASELINES : "")) {
                throw new IOException(where + MANIFEST + ": a " + kind + " model has no " + entry + ", but the file"
                        + " holds one");
            }
        }
        if (stratified && !oneBaseline && kind != Kind.CAUSE_SPECIFIC_COX) {
            throw new IOException(where + MANIFEST + ": a " + kind + " model has no strata");
        }
        BreslowBaseline baseline = null;
        CompetingRisksCurves curves = null;
        if (oneBaseline) {
            JsonFields json = new JsonFields(where + BASELINE, parse(where + BASELINE, require(where, entries, BASELINE)));
            baseline = baseline(json, stratified);
            if (kind == Kind.FINE_GRAY) {
                FineGrayIncidence fineGray = FineGrayIncidence.of(causes[0], baseline);
                curves = CompetingRisksCurves.fineGray(fineGray);
                baseline = null;
            }
        } else if (kind == Kind.CAUSE_SPECIFIC_COX) {
            curves = CompetingRisksCurves.causeSpecific(baselines(new JsonFields(where + BASELINES,
                    parse(where + BASELINES, require(where, entries, BASELINES))), causes.length, stratified));
        } else if (kind == Kind.DEEPHIT) {
            curves = manifest.build(() -> CompetingRisksCurves.deepHit((DeepHitLossFunction) loss, gridTimes));
        }
        FeatureRecipe recipe = null;
        if (entries.containsKey(RECIPE)) {
            recipe = recipe(new JsonFields(where + RECIPE, parse(where + RECIPE, entries.get(RECIPE))));
            if (recipe.covariates().size() != inputs) {
                throw new IOException(where + RECIPE + " gives " + recipe.covariates().size() + " covariates but the"
                        + " network takes " + inputs + " inputs");
            }
            if ((recipe.strataColumn() != null) != stratified) {
                throw new IOException(where + RECIPE + (stratified ? " names no strata column for a stratified model"
                        : " names a strata column for a model without strata"));
            }
        }
        JsonFields summaryJson = new JsonFields(where + SUMMARY, parse(where + SUMMARY, require(where, entries, SUMMARY)));
        int rows = summaryJson.integer("rows", 1, Integer.MAX_VALUE);
        int events = summaryJson.integer("events", 0, Integer.MAX_VALUE);
        Map<String, String> settings = summaryJson.textMap("settings");
        Map<String, Double> metrics = summaryJson.numberMap("metrics");
        TrainingSummary summary = summaryJson.build(() -> new TrainingSummary(rows, events, settings, metrics));
        double[] grid = summaryJson.doubles("timeGrid");
        for (int k = 0; k < grid.length; k++) {
            if (!(grid[k] >= 0) || Double.isInfinite(grid[k]) || k > 0 && !(grid[k] > grid[k - 1])) {
                throw new IOException(where + SUMMARY + ": timeGrid must be finite, >= 0 and increasing (at " + k + ")");
            }
        }
        return new SurvivalModel(kind, predictor, inputs, outputs, ties, knots, baseline, curves, recipe, summary, grid);
    }

    // ---------------------------------------------------------------- checks

    private static void checkEntries(String where, JsonFields manifest, Map<String, byte[]> entries) throws IOException {
        JsonNode listed = manifest.object("entries");
        for (String name : entries.keySet()) {
            if (!name.equals(MANIFEST) && !name.equals(MANIFEST_SHA256) && !listed.has(name)) {
                throw new IOException(where + "entry " + name + " is not listed in " + MANIFEST
                        + " (the file was changed after it was written)");
            }
        }
        for (Iterator<String> it = listed.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            byte[] bytes = entries.get(name);
            if (bytes == null) {
                throw new IOException(where + "entry " + name + " is missing");
            }
            JsonFields entry = new JsonFields(where + MANIFEST + ", entry " + name, listed.get(name));
            long size = entry.integer("bytes", 0, Integer.MAX_VALUE);
            if (bytes.length != size || !sha256(bytes).equals(entry.text("sha256"))) {
                throw new IOException(where + "entry " + name + " is damaged (" + bytes.length + " bytes, "
                        + (bytes.length != size ? size + " expected" : "checksum differs") + ")");
            }
        }
        for (String required : List.of(NETWORK, SUMMARY)) {
            require(where, entries, required);
        }
    }

    /** Checks the network against the manifest's kind, ties, knots, inputs and outputs; returns its loss. */
    private static ILossFunction checkNetwork(String where, Predictor predictor, Kind kind, Ties ties,
                                              double[] knots, int inputs, int outputs) throws IOException {
        ILossFunction loss = predictor.lossFunction();
        Kind actual;
        try {
            actual = SurvivalModel.kindOf(loss);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        if (actual != kind) {
            throw new IOException(where + " is a " + actual + " network but " + MANIFEST + " says kind " + kind);
        }
        Ties trained = loss instanceof CoxLossFunction c ? c.ties() : loss instanceof CauseSpecificCoxLossFunction c
                ? c.ties() : loss instanceof FineGrayLossFunction f ? f.ties() : null;
        if (trained != ties) {
            throw new IOException(where + " was trained with " + trained + " ties but " + MANIFEST + " says " + ties);
        }
        if (kind == Kind.GRID && !Arrays.equals(((GridHazardLossFunction) loss).knots(), knots)) {
            throw new IOException(where + " has knots " + Arrays.toString(((GridHazardLossFunction) loss).knots())
                    + " but " + MANIFEST + " says " + Arrays.toString(knots));
        }
        double[][] out;
        try {
            out = predictor.output(new double[1][inputs]);
        } catch (RuntimeException e) {
            throw new IOException(where + " does not take the " + inputs + " inputs " + MANIFEST + " gives: "
                    + e.getMessage(), e);
        }
        if (out[0].length != outputs) {
            throw new IOException(where + " has " + out[0].length + " outputs but " + MANIFEST + " says " + outputs);
        }
        int expected = switch (kind) {
            case COX, FINE_GRAY -> 1;
            case GRID -> knots.length;
            case CAUSE_SPECIFIC_COX -> ((CauseSpecificCoxLossFunction) loss).causes();
            case DEEPHIT -> ((DeepHitLossFunction) loss).causes() * ((DeepHitLossFunction) loss).intervals();
            case WEIBULL -> outputs;
        };
        if (outputs != expected || kind == Kind.WEIBULL && outputs > 2) {
            throw new IOException(where + " has " + outputs + " outputs; a " + kind + " model needs "
                    + (kind == Kind.WEIBULL ? "1 or 2" : expected));
        }
        return loss;
    }

    /**
     * Checks a competing-risks network's causes (1..K, or a Fine-Gray loss's cause of interest) and
     * DeepHit's intervals against the manifest's causes and grid times.
     */
    private static void checkCauses(String where, ILossFunction loss, int[] causes, double[] gridTimes)
            throws IOException {
        int[] trained = loss instanceof FineGrayLossFunction f ? new int[] {f.cause()}
                : IntStream.rangeClosed(1, loss instanceof DeepHitLossFunction d ? d.causes()
                : ((CauseSpecificCoxLossFunction) loss).causes()).toArray();
        if (!Arrays.equals(trained, causes)) {
            throw new IOException(where + " gives the incidence of causes " + Arrays.toString(trained) + " but "
                    + MANIFEST + " says " + Arrays.toString(causes));
        }
        if (loss instanceof DeepHitLossFunction d && d.intervals() != gridTimes.length) {
            throw new IOException(where + " has " + d.intervals() + " grid intervals but " + MANIFEST + " gives "
                    + gridTimes.length + " gridTimes");
        }
    }

    private static Model network(String where, String type, byte[] bytes) throws IOException {
        try {
            return switch (type) {
                case "MultiLayerNetwork" -> ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
                case "ComputationGraph" -> ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
                default -> throw new IOException(where + MANIFEST + ": network must be MultiLayerNetwork or"
                        + " ComputationGraph, got '" + type + "'");
            };
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith(where)) {
                throw io;
            }
            throw new IOException(where + NETWORK + " cannot be read as a " + type + ": " + e, e);
        }
    }

    private static byte[] require(String where, Map<String, byte[]> entries, String name) throws IOException {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new IOException(where + "entry " + name + " is missing");
        }
        return bytes;
    }

    // ---------------------------------------------------------------- parts to and from JSON

    private static ObjectNode baseline(BreslowBaseline b) {
        ObjectNode node = JSON.createObjectNode();
        node.put("stratified", b.stratified());
        ArrayNode strata = node.putArray("strata");
        ArrayNode times = node.putArray("eventTimes");
        ArrayNode hazards = node.putArray("cumulativeHazards");
        for (int s : b.strata()) {
            strata.add(s);
            times.add(doubles(b.eventTimes(s)));
            hazards.add(doubles(b.cumulativeHazards(s)));
        }
        return node;
    }

    private static BreslowBaseline baseline(JsonFields json, boolean stratified) throws IOException {
        int[] strata = json.ints("strata");
        double[][] times = json.doubleRows("eventTimes");
        double[][] hazards = json.doubleRows("cumulativeHazards");
        if (json.bool("stratified") != stratified) {
            throw new IOException(json.where + (stratified ? " holds one unstratified baseline but " + MANIFEST
                    + " says the model is stratified" : " is stratified but " + MANIFEST + " says the model is not"));
        }
        if (!stratified && (strata.length != 1 || strata[0] != BreslowBaseline.NO_STRATA || times.length != 1
                || hazards.length != 1)) {
            throw new IOException(json.where + ": a model without strata has one baseline (strata [0]), got strata "
                    + Arrays.toString(strata) + " with " + times.length + " lists of event times");
        }
        return json.build(() -> stratified ? BreslowBaseline.of(strata, times, hazards)
                : BreslowBaseline.of(times[0], hazards[0]));
    }

    private static ObjectNode baselines(CauseSpecificIncidence incidence) {
        ObjectNode node = JSON.createObjectNode();
        node.put("stratified", incidence.stratified());
        ArrayNode causes = node.putArray("causes");
        for (int k = 1; k <= incidence.causes(); k++) {
            if (incidence.hasBaseline(k)) {
                causes.add(baseline(incidence.baseline(k)));
            } else {
                causes.addNull();
            }
        }
        return node;
    }

    private static CauseSpecificIncidence baselines(JsonFields json, int causes, boolean stratified)
            throws IOException {
        JsonNode list = json.array("causes");
        if (list.size() != causes) {
            throw new IOException(json.where + " has baselines of " + list.size() + " causes but " + MANIFEST
                    + " gives " + causes);
        }
        if (json.bool("stratified") != stratified) {
            throw new IOException(json.where + (stratified ? " is unstratified but " + MANIFEST + " says the model is"
                    + " stratified" : " is stratified but " + MANIFEST + " says the model is not"));
        }
        BreslowBaseline[] baselines = new BreslowBaseline[causes];
        for (int k = 0; k < causes; k++) {
            if (!list.get(k).isNull()) {
                baselines[k] = baseline(new JsonFields(json.where + ", cause " + (k + 1), list.get(k)), stratified);
            }
        }
        return json.build(() -> CauseSpecificIncidence.of(baselines));
    }

    private static ObjectNode recipe(FeatureRecipe r) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode columns = node.putArray("columns");
        for (FeatureRecipe.Column c : r.columns()) {
            ObjectNode col = columns.addObject().put("name", c.name()).put("encoding", c.encoding().name());
            ArrayNode levels = col.putArray("levels");
            c.levels().forEach(levels::add);
            col.set("cuts", doubles(c.cuts()));
        }
        node.set("mean", doubles(r.mean()));
        node.set("sd", doubles(r.sd()));
        node.put("missingValues", r.missingValues().name());
        if (r.strataColumn() != null) {
            node.put("strataColumn", r.strataColumn());
        }
        return node;
    }

    private static FeatureRecipe recipe(JsonFields json) throws IOException {
        FeatureRecipe.Builder b = FeatureRecipe.builder();
        JsonNode columns = json.array("columns");
        for (int k = 0; k < columns.size(); k++) {
            JsonFields col = new JsonFields(json.where + ", column " + (k + 1), columns.get(k));
            String name = col.text("name");
            FeatureRecipe.Encoding encoding = col.enumValue("encoding", FeatureRecipe.Encoding.class);
            List<String> levels = col.texts("levels");
            double[] cuts = col.doubles("cuts");
            col.build(() -> b.column(new FeatureRecipe.Column(name, encoding, levels, cuts)));
        }
        double[] mean = json.doubles("mean");
        double[] sd = json.doubles("sd");
        FeatureRecipe.MissingValues missing = json.enumValue("missingValues", FeatureRecipe.MissingValues.class);
        String strata = json.node.hasNonNull("strataColumn") ? json.text("strataColumn") : null;
        return json.build(() -> b.standardization(mean, sd).missingValues(missing).strataColumn(strata).build());
    }

    private static ObjectNode summary(TrainingSummary s, double[] timeGrid) {
        ObjectNode node = JSON.createObjectNode();
        node.put("rows", s.rows());
        node.put("events", s.events());
        ObjectNode settings = node.putObject("settings");
        s.settings().forEach(settings::put);
        ObjectNode metrics = node.putObject("metrics");
        s.metrics().forEach(metrics::put);
        node.set("timeGrid", doubles(timeGrid));
        return node;
    }

    private static ArrayNode doubles(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    // ---------------------------------------------------------------- bytes

    private static byte[] json(JsonNode node) throws IOException {
        return JSON.writeValueAsBytes(node);
    }

    private static JsonNode parse(String where, byte[] bytes) throws IOException {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IOException(where + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(where)) {
                throw e;
            }
            throw new IOException(where + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> unzip(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (entries.containsKey(e.getName())) {
                    throw new IOException(file + ": entry " + e.getName() + " appears twice");
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int r; (r = zip.read(buffer)) > 0; ) {
                    total += r;
                    if (total > MAX_ENTRY_BYTES) {
                        throw new IOException(file + ": entry " + e.getName() + " is larger than a model entry can be");
                    }
                    bytes.write(buffer, 0, r);
                }
                entries.put(e.getName(), bytes.toByteArray());
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + " is not a readable survival model file (a damaged or truncated zip: " + e + ")", e);
        }
        if (entries.isEmpty()) {
            throw new IOException(file + " is not a survival model file (no zip entries)");
        }
        return entries;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
