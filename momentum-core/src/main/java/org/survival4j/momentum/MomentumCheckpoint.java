package org.survival4j.momentum;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The checkpoint file of momentum training, one format for every front end: a zip with
 * <ul>
 *   <li>{@code momentum.json}: format version, the survival4j version that wrote it, the front end
 *       ({@code "MultiLayerNetwork"}, {@code "ComputationGraph"} or {@code "SameDiff"}), the
 *       {@link MomentumConfig} ({@code batchSize}, {@code steps}, {@code rate}), {@code iterations},
 *       {@code lastLoss} (null before the first step), {@code bankRows}, then the front end's own
 *       settings;</li>
 *   <li>{@code bank.bin}: the memory bank rows, oldest first, bit-exact ({@link MemoryBank#write});
 *       absent while the bank was never filled;</li>
 *   <li>the front end's network entries, e.g. the online network with its updater state and the
 *       target network.</li>
 * </ul>
 * The zip is written to a temporary file next to the target and then moved over it, so a failed
 * save leaves an older checkpoint intact. No Java object serialization is used.
 *
 * <p>Format 1 (the first release) wrote one JSON schema per front end; both still restore.
 *
 * <pre>{@code
 * MomentumCheckpoint.write(file, "SameDiff", engine, Map.of("output", "logHz"),
 *         Map.of("online.fb", out -> online.save(out, true)));
 * MomentumCheckpoint saved = MomentumCheckpoint.read(file, "SameDiff");
 * saved.restore(engine);   // bank, iterations, last loss
 * }</pre>
 *
 * @since 0.1
 */
public final class MomentumCheckpoint {
    static final int FORMAT = 2;
    private static final String JSON = "momentum.json";
    private static final String BANK = "bank.bin";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final File file;
    private final JsonNode json;
    private final Map<String, byte[]> entries;
    private final String frontEnd;
    private final MomentumConfig config;

    /** Writes one entry of the zip; the stream must not be closed. */
    @FunctionalInterface
    public interface EntryWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private MomentumCheckpoint(File file, JsonNode json, Map<String, byte[]> entries, String frontEnd,
                               MomentumConfig config) {
        this.file = file;
        this.json = json;
        this.entries = entries;
        this.frontEnd = frontEnd;
        this.config = config;
    }

    /**
     * Writes a checkpoint.
     *
     * @param frontEnd what trained the networks, as {@link #read} expects it back
     * @param engine the momentum state: settings, bank, iterations, last loss
     * @param settings the front end's own settings, stored in {@code momentum.json} after the engine's
     * @param networks the front end's network entries by name, written in this order
     * @throws IOException if {@code file} is a directory or cannot be written
     */
    public static void write(File file, String frontEnd, MomentumEngine engine, Map<String, Object> settings,
                             Map<String, EntryWriter> networks) throws IOException {
        Path path = file.toPath().toAbsolutePath();
        if (Files.isDirectory(path)) {
            throw new IOException(file + " is a directory: give the checkpoint's file name");
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("survival4j", version());
        meta.put("frontEnd", frontEnd);
        MomentumConfig config = engine.config();
        meta.put("batchSize", config.batchSize());
        meta.put("steps", config.steps());
        meta.put("rate", config.rate());
        meta.put("iterations", engine.iterations());
        double lastLoss = engine.lastLoss();
        meta.put("lastLoss", Double.isNaN(lastLoss) ? null : lastLoss); // Jackson writes infinities as strings
        meta.put("bankRows", engine.bankSize());
        meta.putAll(settings);
        MemoryBank bank = engine.bank();

        Path temporary = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temporary))) {
                put(zip, JSON, out -> out.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta)));
                if (bank != null) {
                    put(zip, BANK, bank::write);
                }
                for (Map.Entry<String, EntryWriter> network : networks.entrySet()) {
                    put(zip, network.getKey(), network.getValue());
                }
            }
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void put(ZipOutputStream zip, String name, EntryWriter writer) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        writer.writeTo(new NonClosing(zip));
        zip.closeEntry();
    }

    private static String version() {
        String version = MomentumCheckpoint.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    /**
     * Reads a checkpoint written by {@link #write} (or by the first release of either front end).
     *
     * @param frontEnds the front ends whose checkpoints the caller restores
     * @throws IOException if the file is not a readable checkpoint, was written by a newer version or
     *     another front end, or its settings are missing or invalid; the message names the file and
     *     the part
     */
    public static MomentumCheckpoint read(File file, String... frontEnds) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file.toPath()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new IOException(file + " is not a readable checkpoint zip: " + e.getMessage(), e);
        }
        if (!entries.containsKey(JSON)) {
            throw new IOException(file + " is not a momentum checkpoint: it has no entry " + JSON);
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(entries.get(JSON));
        } catch (IOException e) {
            throw new IOException(file + " is damaged: " + JSON + " is not valid JSON: " + e.getMessage(), e);
        }
        int format = json.path("format").asInt(-1);
        if (format != 1 && format != FORMAT) {
            throw new IOException(file + " has checkpoint format " + json.path("format") + " (written by survival4j "
                    + json.path("survival4j").asText("unknown") + "); this version reads formats 1 and " + FORMAT);
        }
        // Format 1: the DL4J front end named its network kind, the SameDiff one nothing.
        String frontEnd = format == 1 ? json.path("network").asText("SameDiff") : text(json, "frontEnd", file);
        if (!List.of(frontEnds).contains(frontEnd)) {
            throw new IOException(file + " is a checkpoint of a " + frontEnd + " model; this restores "
                    + String.join(" or ", frontEnds) + " models");
        }
        for (String key : new String[] {"batchSize", "steps", "rate"}) {
            number(json, key, file);
        }
        try {
            MomentumConfig config = MomentumConfig.builder().batchSize(json.path("batchSize").asInt())
                    .steps(json.path("steps").asInt()).rate(json.path("rate").asDouble()).build();
            return new MomentumCheckpoint(file, json, entries, frontEnd, config);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is damaged: " + JSON + " holds invalid settings: " + e.getMessage(), e);
        }
    }

    /** The front end that wrote the checkpoint. */
    public String frontEnd() {
        return frontEnd;
    }

    /** The momentum settings. */
    public MomentumConfig config() {
        return config;
    }

    /**
     * A setting of the front end, as JSON.
     *
     * @throws IOException naming the file and the key if it is missing
     */
    public JsonNode setting(String key) throws IOException {
        if (!json.hasNonNull(key)) {
            throw damaged(JSON + " has no \"" + key + "\"");
        }
        return json.get(key);
    }

    /**
     * The bytes of a network entry.
     *
     * @throws IOException naming the file and the entry if it is missing
     */
    public InputStream entry(String name) throws IOException {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new IOException(file + " is not a complete momentum checkpoint: it has no entry " + name);
        }
        return new ByteArrayInputStream(bytes);
    }

    /** An exception saying that a part of this checkpoint is damaged. */
    public IOException damaged(String what) {
        return new IOException(file + " is damaged: " + what);
    }

    /**
     * Puts the saved bank, iteration count and last loss into {@code engine}, which must have been
     * made with {@link #config()}.
     *
     * @param columns the output columns the front end's loss reads, or 0 if it does not know them
     * @throws IOException if the bank is damaged, does not fit the settings or the loss, or disagrees
     *     with {@code momentum.json}
     */
    public void restore(MomentumEngine engine, int columns) throws IOException {
        if (!engine.config().equals(config)) {
            throw new IllegalArgumentException("the engine has " + engine.config() + ", the checkpoint " + config);
        }
        long iterations = number(json, json.has("iterations") ? "iterations" : "iteration", file).longValue();
        MemoryBank bank = null;
        if (entries.containsKey(BANK)) {
            try {
                bank = MemoryBank.read(new ByteArrayInputStream(entries.get(BANK)), config.bankCapacity());
            } catch (IOException e) {
                throw damaged(BANK + ": " + e.getMessage());
            }
            if (columns > 0 && bank.columns() != columns) {
                throw damaged(BANK + " has " + bank.columns() + " output columns but the loss reads " + columns);
            }
        }
        int rows = bank == null ? 0 : bank.size();
        if (json.has("bankRows") && json.path("bankRows").asInt(-1) != rows) {
            throw damaged(BANK + " holds " + rows + " rows but " + JSON + " says " + json.path("bankRows"));
        }
        JsonNode loss = json.path("lastLoss");
        double lastLoss;
        if (loss.isNumber()) {
            lastLoss = loss.asDouble();
        } else if (loss.isTextual()) { // an infinite loss
            try {
                lastLoss = Double.parseDouble(loss.asText());
            } catch (NumberFormatException e) {
                throw damaged(JSON + " has a lastLoss of \"" + loss.asText() + "\"");
            }
        } else {
            lastLoss = Double.NaN;
        }
        engine.restore(bank, iterations, lastLoss);
    }

    private static Number number(JsonNode json, String key, File file) throws IOException {
        if (!json.hasNonNull(key)) {
            throw new IOException(file + " is damaged: " + JSON + " has no \"" + key + "\"");
        }
        if (!json.get(key).isNumber()) {
            throw new IOException(file + " is damaged: " + JSON + " has \"" + key + "\" = " + json.get(key)
                    + ", not a number");
        }
        return json.get(key).numberValue();
    }

    private static String text(JsonNode json, String key, File file) throws IOException {
        if (!json.path(key).isTextual()) {
            throw new IOException(file + " is damaged: " + JSON + " has no text \"" + key + "\"");
        }
        return json.get(key).asText();
    }

    /** Lets writers that close their stream (ModelSerializer) write into one zip entry. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
