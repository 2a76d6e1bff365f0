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
 * The checkpoint file of momentum training, one format for every front end: a zip of
 * {@code momentum.json} (the engine's state and settings, then the front end's), {@code bank.bin}
 * (the memory bank, bit-exact) and the front end's network entries. The layout is documented in
 * {@code docs/architecture.md}. A checkpoint is written to a temporary file and then moved over the
 * target, so a failed save leaves an older one intact; no Java object serialization is used.
 * Checkpoints of format 1 (the first release, one JSON schema per front end) still restore.
 *
 * <pre>{@code
 * MomentumCheckpoint.write(file, "SameDiff", engine, Map.of("output", "logHz"),
 *         Map.of("online.fb", out -> online.save(out, true)));
 * MomentumCheckpoint saved = MomentumCheckpoint.read(file, "SameDiff");
 * saved.restore(engine, 1);   // bank, iterations, last loss
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

    /** Writes one zip entry; the stream is not to be closed (closing it is harmless). */
    @FunctionalInterface
    public interface EntryWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private MomentumCheckpoint(File file, JsonNode json, Map<String, byte[]> entries) throws IOException {
        this.file = file;
        this.json = json;
        this.entries = entries;
        int format = json.path("format").asInt(-1);
        if (format != 1 && format != FORMAT) {
            throw new IOException(file + " has checkpoint format " + json.path("format") + " (written by survival4j "
                    + json.path("survival4j").asText("unknown") + "); this version reads formats 1 and " + FORMAT);
        }
        // Format 1: the DL4J front end named its network kind, the SameDiff one nothing.
        if (format == 1 && json.has("network") && !json.get("network").isTextual()) {
            throw damaged(JSON + " has \"network\" = " + json.get("network") + ", not a network kind");
        }
        this.frontEnd = format == 1 ? json.path("network").asText("SameDiff") : text("frontEnd");
        try {
            this.config = MomentumConfig.builder().batchSize(number("batchSize").intValue())
                    .steps(number("steps").intValue()).rate(number("rate").doubleValue()).build();
        } catch (IllegalArgumentException e) {
            throw damaged(JSON + " holds invalid settings: " + e.getMessage());
        }
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
        String version = MomentumCheckpoint.class.getPackage().getImplementationVersion();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("survival4j", version == null ? "development build" : version);
        meta.put("frontEnd", frontEnd);
        meta.put("batchSize", engine.config().batchSize());
        meta.put("steps", engine.config().steps());
        meta.put("rate", engine.config().rate());
        meta.put("iterations", engine.iterations());
        double lastLoss = engine.lastLoss();
        meta.put("lastLoss", Double.isNaN(lastLoss) ? null : lastLoss);
        meta.put("bankRows", engine.bankSize());
        meta.putAll(settings);
        Map<String, EntryWriter> all = new LinkedHashMap<>();
        all.put(JSON, out -> out.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta)));
        MemoryBank bank = engine.bank();
        if (bank != null) {
            all.put(BANK, bank::write);
        }
        all.putAll(networks);

        Path temporary = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temporary))) {
                for (Map.Entry<String, EntryWriter> entry : all.entrySet()) {
                    zip.putNextEntry(new ZipEntry(entry.getKey()));
                    entry.getValue().writeTo(new NonClosing(zip));
                    zip.closeEntry();
                }
            }
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a checkpoint written by {@link #write} (or by the first release of either front end).
     *
     * @param frontEnds the front ends whose checkpoints the caller restores
     * @throws IOException naming the file and the part, if the file is not a readable checkpoint, was
     *     written by a newer version or another front end, or its settings are missing or invalid
     */
    public static MomentumCheckpoint read(File file, String... frontEnds) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        JsonNode json;
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
        try {
            json = MAPPER.readTree(entries.get(JSON));
        } catch (IOException e) {
            throw new IOException(file + " is damaged: " + JSON + " is not valid JSON: " + e.getMessage(), e);
        }
        MomentumCheckpoint checkpoint = new MomentumCheckpoint(file, json, entries);
        if (!List.of(frontEnds).contains(checkpoint.frontEnd)) {
            throw new IOException(file + " is a checkpoint of a " + checkpoint.frontEnd + " model; this restores "
                    + String.join(" or ", frontEnds) + " models");
        }
        return checkpoint;
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
     * A setting from {@code momentum.json}, e.g. one the front end wrote.
     *
     * @throws IOException naming the file and the key if it is missing
     */
    public JsonNode setting(String key) throws IOException {
        if (!json.hasNonNull(key)) {
            throw damaged(JSON + " has no \"" + key + "\"");
        }
        return json.get(key);
    }

    private String text(String key) throws IOException {
        JsonNode value = setting(key);
        if (!value.isTextual()) {
            throw damaged(JSON + " has \"" + key + "\" = " + value + ", not a text");
        }
        return value.asText();
    }

    private Number number(String key) throws IOException {
        JsonNode value = setting(key);
        if (!value.isNumber()) {
            throw damaged(JSON + " has \"" + key + "\" = " + value + ", not a number");
        }
        return value.numberValue();
    }

    /**
     * Reads a network entry.
     *
     * @throws IOException naming the file and the entry if it is missing or {@code reader} fails on
     *     it (with any exception: a damaged entry makes ND4J and FlatBuffers throw all kinds)
     */
    public <T> T read(String name, EntryReader<T> reader) throws IOException {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new IOException(file + " is not a complete momentum checkpoint: it has no entry " + name);
        }
        try {
            return reader.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is damaged: its entry " + name + " cannot be read (" + e + ")", e);
        }
    }

    /** Reads one zip entry. */
    @FunctionalInterface
    public interface EntryReader<T> {
        T read(InputStream in) throws IOException;
    }

    /** An exception saying that a part of this checkpoint is damaged. */
    public IOException damaged(String what) {
        return new IOException(file + " is damaged: " + what);
    }

    /**
     * Puts the saved bank, iteration count and last loss into {@code engine}, made with {@link #config()}.
     *
     * @param columns the output columns the front end's loss reads, or 0 if it does not know them
     * @throws IOException if the bank is damaged, does not fit the settings or the loss (its output
     *     columns, its event codes: event indicators or causes), or disagrees with {@code momentum.json}
     */
    public void restore(MomentumEngine engine, int columns) throws IOException {
        long iterations = number(json.has("iteration") ? "iteration" : "iterations").longValue(); // format 1 SameDiff
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
            if (bank.causes() != engine.causes()) {
                throw damaged(BANK + " holds " + MemoryBank.describeCodes(bank.causes()) + " but the loss takes "
                        + MemoryBank.describeCodes(engine.causes()));
            }
        }
        if (bank == null && iterations > 0 && !json.has("bankRows")) { // format 1 wrote no row count
            throw damaged("it has no " + BANK + " although " + iterations + " iterations were trained");
        }
        int rows = bank == null ? 0 : bank.size();
        if (json.has("bankRows") && json.path("bankRows").asInt(-1) != rows) {
            throw damaged(BANK + " holds " + rows + " rows but " + JSON + " says " + json.path("bankRows"));
        }
        JsonNode loss = json.path("lastLoss");
        double lastLoss = Double.NaN;
        try {
            if (loss.isNumber() || loss.isTextual()) { // Jackson writes an infinite loss as a string
                lastLoss = loss.isNumber() ? loss.asDouble() : Double.parseDouble(loss.asText());
            }
        } catch (NumberFormatException e) {
            throw damaged(JSON + " has a lastLoss of " + loss);
        }
        engine.restore(bank, iterations, lastLoss);
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
