package org.survival4j.dl4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.survival4j.momentum.MemoryBank;

/**
 * The checkpoint file of momentum training: one zip with
 * <ul>
 *   <li>{@code online.zip}: the online network and its updater state ({@code ModelSerializer});</li>
 *   <li>{@code target.bin}: the target's flattened parameters (ND4J binary);</li>
 *   <li>{@code bank.bin}: the memory bank rows, oldest first ({@link MemoryBank#write}), if there is a bank;</li>
 *   <li>{@code momentum.json}: format version, network kind, settings, iteration count, last loss.</li>
 * </ul>
 * No Java object serialization is used.
 */
final class MomentumCheckpoint {
    static final int FORMAT = 1;
    private static final String ONLINE = "online.zip";
    private static final String TARGET = "target.bin";
    private static final String BANK = "bank.bin";
    private static final String META = "momentum.json";

    private final NetworkHandle online;
    private final INDArray targetParams;
    private final MemoryBank bank;
    private final MomentumConfig config;
    private final long iterations;
    private final double lastLoss;

    private MomentumCheckpoint(NetworkHandle online, INDArray targetParams, MemoryBank bank, MomentumConfig config,
                               long iterations, double lastLoss) {
        this.online = online;
        this.targetParams = targetParams;
        this.bank = bank;
        this.config = config;
        this.iterations = iterations;
        this.lastLoss = lastLoss;
    }

    static void write(File file, NetworkHandle online, NetworkHandle target, MomentumConfig config, MemoryBank bank,
                      long iterations, double lastLoss) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("network", online.kind());
        meta.put("batchSize", config.batchSize());
        meta.put("steps", config.steps());
        meta.put("rate", config.rate());
        meta.put("iterations", iterations);
        meta.put("lastLoss", Double.isNaN(lastLoss) ? null : lastLoss);
        meta.put("survival4j", String.valueOf(MomentumCheckpoint.class.getPackage().getImplementationVersion()));
        Path tmp = Path.of(file.getPath() + ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                zip.putNextEntry(new ZipEntry(ONLINE));
                online.write(new NonClosing(zip));
                zip.closeEntry();
                writeArray(zip, TARGET, target.params());
                if (bank != null) {
                    zip.putNextEntry(new ZipEntry(BANK));
                    bank.write(zip);
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry(META));
                zip.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
                zip.closeEntry();
            }
            // Replace the old checkpoint only once the new one is complete.
            Files.move(tmp, file.toPath(), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static MomentumCheckpoint read(File file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file.toPath()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        for (String required : new String[] {ONLINE, TARGET, META}) {
            if (!entries.containsKey(required)) {
                throw new IOException(file + " is not a momentum checkpoint: it has no " + required);
            }
        }
        Map<?, ?> meta = new ObjectMapper().readValue(entries.get(META), Map.class);
        int format = number(meta, "format", file).intValue();
        if (format != FORMAT) {
            throw new IOException(file + " has checkpoint format " + format + "; this version reads " + FORMAT);
        }
        MomentumConfig config = MomentumConfig.builder()
                .batchSize(number(meta, "batchSize", file).intValue())
                .steps(number(meta, "steps", file).intValue())
                .rate(number(meta, "rate", file).doubleValue())
                .build();
        NetworkHandle online = NetworkHandle.read((String) meta.get("network"),
                new ByteArrayInputStream(entries.get(ONLINE)));
        INDArray targetParams = readArray(entries.get(TARGET));
        MemoryBank bank = null;
        if (entries.containsKey(BANK)) {
            bank = MemoryBank.read(new ByteArrayInputStream(entries.get(BANK)), config.bankCapacity());
        }
        if (targetParams.length() != online.params().length()) {
            throw new IOException(file + " is damaged: its target network has " + targetParams.length()
                    + " parameters, its online network " + online.params().length());
        }
        // Jackson writes an infinite loss as the string "Infinity"; NaN is written as null
        Object loss = meta.get("lastLoss");
        double lastLoss = loss == null ? Double.NaN
                : loss instanceof String text ? Double.parseDouble(text) : number(meta, "lastLoss", file).doubleValue();
        return new MomentumCheckpoint(online, targetParams, bank, config, number(meta, "iterations", file).longValue(),
                lastLoss);
    }

    private static Number number(Map<?, ?> meta, String key, File file) throws IOException {
        if (meta.get(key) instanceof Number value) {
            return value;
        }
        throw new IOException(file + " is damaged: its meta data has no number \"" + key + "\" (found "
                + meta.get(key) + ")");
    }

    private static void writeArray(ZipOutputStream zip, String name, INDArray array) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(array, out);
        }
        zip.write(bytes.toByteArray());
        zip.closeEntry();
    }

    private static INDArray readArray(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        }
    }

    NetworkHandle online() {
        return online;
    }

    INDArray targetParams() {
        return targetParams;
    }

    MemoryBank bank() {
        return bank;
    }

    MomentumConfig config() {
        return config;
    }

    long iterations() {
        return iterations;
    }

    double lastLoss() {
        return lastLoss;
    }

    /** Lets ModelSerializer write into a zip entry without closing the zip. */
    private static final class NonClosing extends java.io.FilterOutputStream {
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
