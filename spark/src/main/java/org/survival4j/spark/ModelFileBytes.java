package org.survival4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.survival4j.model.SurvivalModel;

/**
 * A survival model as the bytes of its file, the form in which it is broadcast to the executors
 * (the DL4J network never goes through Java serialization), and the models loaded from such bytes
 * in this JVM: each model is loaded once per executor JVM and then shared by its tasks (a
 * {@link SurvivalModel} is thread-safe).
 */
final class ModelFileBytes implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Models loaded in this JVM, most recently used last; a few, as a job rarely scores with many models at once. */
    private static final int KEEP = 4;
    private static final Map<String, SurvivalModel> LOADED = new LinkedHashMap<>(KEEP, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SurvivalModel> eldest) {
            return size() > KEEP;
        }
    };
    private static final AtomicInteger LOADS = new AtomicInteger();

    private final String id;
    private final byte[] bytes;

    private ModelFileBytes(String id, byte[] bytes) {
        this.id = id;
        this.bytes = bytes;
    }

    /** The file of {@code model} (written to a temporary file and read back). */
    static ModelFileBytes of(SurvivalModel model) {
        try {
            Path file = Files.createTempFile("survival4j-model-", ".zip");
            try {
                model.save(file);
                return new ModelFileBytes(UUID.randomUUID().toString(), Files.readAllBytes(file));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model for the executors: " + e.getMessage(), e);
        }
    }

    /** The model of these bytes, loaded on first use in this JVM (every entry checked, as {@link SurvivalModel#load}). */
    SurvivalModel model() {
        synchronized (LOADED) { // one load per JVM, however many tasks ask at once
            SurvivalModel model = LOADED.get(id);
            if (model == null) {
                model = load();
                LOADED.put(id, model);
                LOADS.incrementAndGet();
            }
            return model;
        }
    }

    /** How many models this JVM has loaded from broadcast bytes (for tests). */
    static int loads() {
        return LOADS.get();
    }

    private SurvivalModel load() {
        try {
            Path file = Files.createTempFile("survival4j-model-", ".zip");
            try {
                Files.write(file, bytes);
                return SurvivalModel.load(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the broadcast survival model: " + e.getMessage(), e);
        }
    }
}
