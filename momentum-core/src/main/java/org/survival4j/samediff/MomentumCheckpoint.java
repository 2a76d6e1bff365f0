package org.survival4j.samediff;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.momentum.MemoryBank;

/**
 * Reads and writes {@link SameDiffMomentum} checkpoints: one zip with
 * <ul>
 *   <li>{@code momentum.json}: format version, graph names, loss, batch size, steps, rate, logEvery,
 *       iteration, last loss (null before the first iteration), bank rows (checked against the bank);</li>
 *   <li>{@code online.fb}: the online graph in SameDiff's FlatBuffers format, with the updater state;</li>
 *   <li>{@code target.fb}: the target graph, same format, without updater state;</li>
 *   <li>{@code bank.bin}: the bank rows oldest first ({@link MemoryBank#write}), bit-exact.</li>
 * </ul>
 * The zip is written to a temporary file and then moved over the target, so a failed save leaves an
 * older checkpoint intact. No Java serialization is used.
 */
final class MomentumCheckpoint {
    static final int FORMAT = 1;
    private static final String JSON = "momentum.json";
    private static final String ONLINE = "online.fb";
    private static final String TARGET = "target.fb";
    private static final String BANK = "bank.bin";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MomentumCheckpoint() {
    }

    static void write(File file, SameDiffMomentum momentum) throws IOException {
        Path path = file.toPath().toAbsolutePath();
        Path temporary = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temporary))) {
                put(zip, JSON, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(describe(momentum)));
                put(zip, ONLINE, graphBytes(momentum.online(), true));
                put(zip, TARGET, graphBytes(momentum.target(), false));
                ByteArrayOutputStream bank = new ByteArrayOutputStream();
                momentum.bank().write(bank);
                put(zip, BANK, bank.toByteArray());
            }
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static SameDiffMomentum read(File file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file.toPath()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        JsonNode json = MAPPER.readTree(entry(entries, JSON, file));
        int format = json.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IOException(file + ": checkpoint format " + format + ", this version reads " + FORMAT);
        }
        MomentumSettings settings = settings(json, file);
        SameDiff online = SameDiff.load(new ByteArrayInputStream(entry(entries, ONLINE, file)), true);
        SameDiff targetGraph = SameDiff.load(new ByteArrayInputStream(entry(entries, TARGET, file)), false);
        TargetGraph target = TargetGraph.of(targetGraph, settings.rate());
        target.checkMatches(online);
        PooledLoss pooled = PooledLoss.find(online, MomentumSettings.PREFIX, settings.loss(), settings.capacity());
        MemoryBank bank = MemoryBank.read(new ByteArrayInputStream(entry(entries, BANK, file)), settings.capacity());
        if (bank.columns() != settings.loss().columns()) {
            throw new IOException(file + ": the bank has " + bank.columns() + " output columns but "
                    + settings.loss() + " reads " + settings.loss().columns());
        }
        if (json.path("bankRows").isInt() && json.path("bankRows").asInt() != bank.size()) {
            throw new IOException(file + ": " + BANK + " holds " + bank.size() + " rows but " + JSON + " says "
                    + json.path("bankRows").asInt());
        }
        JsonNode lastLoss = json.path("lastLoss");
        require(json, "iteration", file);
        return new SameDiffMomentum(online, settings, target, bank, pooled, json.path("iteration").asLong(),
                lastLoss.isNumber() ? lastLoss.asDouble() : Double.NaN);
    }

    private static Map<String, Object> describe(SameDiffMomentum momentum) {
        MomentumSettings s = momentum.settings();
        Map<String, Object> loss = new LinkedHashMap<>();
        loss.put("kind", s.loss().kind().name());
        loss.put("ties", s.loss().ties() == null ? null : s.loss().ties().name());
        loss.put("reduction", s.loss().reduction().name());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("features", s.features());
        json.put("output", s.output());
        json.put("labels", s.labels());
        json.put("loss", loss);
        json.put("batchSize", s.batchSize());
        json.put("steps", s.steps());
        json.put("rate", s.rate());
        json.put("logEvery", s.logEvery());
        json.put("iteration", momentum.iteration());
        json.put("lastLoss", Double.isFinite(momentum.lastLoss()) ? momentum.lastLoss() : null);
        json.put("bankRows", momentum.bankSize());
        return json;
    }

    private static MomentumSettings settings(JsonNode json, File file) throws IOException {
        for (String field : new String[] {"features", "output", "labels", "loss", "batchSize", "steps", "rate"}) {
            require(json, field, file);
        }
        JsonNode loss = json.path("loss");
        require(loss, "kind", file);
        require(loss, "reduction", file);
        List<String> features = new ArrayList<>();
        json.path("features").forEach(n -> features.add(n.asText()));
        try {
            Ties ties = loss.path("ties").isTextual() ? Ties.valueOf(loss.path("ties").asText()) : null;
            SurvivalLoss survivalLoss = SurvivalLoss.of(SurvivalLoss.Kind.valueOf(loss.path("kind").asText()), ties,
                    Reduction.valueOf(loss.path("reduction").asText()));
            return new MomentumSettings(features, json.path("output").asText(), json.path("labels").asText(),
                    survivalLoss, json.path("batchSize").asInt(), json.path("steps").asInt(),
                    json.path("rate").asDouble(), json.path("logEvery").asInt());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is damaged: " + JSON + " holds invalid settings: " + e.getMessage(), e);
        }
    }

    private static void require(JsonNode json, String field, File file) throws IOException {
        if (!json.hasNonNull(field)) {
            throw new IOException(file + " is damaged: " + JSON + " has no \"" + field + "\"");
        }
    }

    private static byte[] graphBytes(SameDiff graph, boolean withUpdaterState) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        graph.save(bytes, withUpdaterState);
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] entry(Map<String, byte[]> entries, String name, File file) throws IOException {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new IOException(file + " is not a momentum checkpoint: it has no entry " + name);
        }
        return bytes;
    }
}
