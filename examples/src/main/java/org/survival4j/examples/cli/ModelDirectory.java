package org.survival4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.survival4j.dl4j.Momentum;
import org.survival4j.examples.train.FeatureEncoding;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.Standardization;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.metrics.BreslowBaseline;

/**
 * A saved model: a directory with
 * <ul>
 *   <li>{@code momentum.zip} ({@link Momentum#save}: online and target networks, memory bank,
 *       iteration count; the target predicts) or {@code network.zip} (a plainly trained network,
 *       DL4J's {@link ModelSerializer} format);</li>
 *   <li>{@code baseline.json}: the Breslow baseline cumulative hazard of a Cox model (event times
 *       and \( \hat H_0 \) at each);</li>
 *   <li>{@code model.json}: the loss, the training settings, the time and event columns, the
 *       feature recipe ({@link FeatureEncoding}), the standardization and default prediction times.</li>
 * </ul>
 * JSON is written with Jackson; nothing uses Java serialization.
 */
public final class ModelDirectory {
    static final String METADATA = "model.json";
    static final String BASELINE = "baseline.json";
    static final String MOMENTUM = "momentum.zip";
    static final String NETWORK = "network.zip";
    static final int FORMAT = 1;

    /** The metadata in {@code model.json}. */
    public record Metadata(int format, String trainingData, String timeColumn, String eventColumn,
                           FeatureEncoding features, Standardization standardization, TrainingSettings settings,
                           String network, double[] defaultTimes) {
    }

    /** The baseline in {@code baseline.json}. */
    public record Baseline(double[] eventTimes, double[] cumulativeHazards) {
    }

    /** A model read back: the metadata, the predictor and (Cox) the baseline. */
    public record Loaded(Metadata metadata, MultiLayerNetwork predictor, BreslowBaseline baseline) {
        /** As a {@link TrainedModel} (without history or momentum state). */
        public TrainedModel model() {
            return new TrainedModel(metadata.settings(), predictor, null, baseline, List.of());
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelDirectory() {
    }

    /**
     * Writes a trained model and its metadata into {@code dir} (created if needed).
     *
     * @throws InvalidInputException if a file cannot be written, naming it and the kind of failure
     */
    public static void write(Path dir, TrainedModel model, Metadata metadata) {
        OutputFiles.prepareDirectory(dir, "model directory");
        if (model.momentum() != null) {
            OutputFiles.write(dir.resolve(MOMENTUM), f -> model.momentum().save(f.toFile()));
        } else {
            OutputFiles.write(dir.resolve(NETWORK), f -> ModelSerializer.writeModel(model.predictor(), f.toFile(), false));
        }
        if (model.baseline() != null) {
            BreslowBaseline b = model.baseline();
            Baseline baseline = new Baseline(b.eventTimes(BreslowBaseline.NO_STRATA),
                    b.cumulativeHazards(BreslowBaseline.NO_STRATA));
            OutputFiles.write(dir.resolve(BASELINE), f -> JSON.writeValue(f.toFile(), baseline));
        }
        OutputFiles.write(dir.resolve(METADATA), f -> JSON.writeValue(f.toFile(), metadata));
    }

    /**
     * Reads a model written by {@link #write}; {@code dir} may also be a training output directory
     * holding it in {@code model/}.
     *
     * @throws InvalidInputException if the directory holds no model or a file is damaged
     */
    public static Loaded read(Path dir) {
        if (!Files.exists(dir.resolve(METADATA)) && Files.exists(dir.resolve("model").resolve(METADATA))) {
            dir = dir.resolve("model");
        }
        Path metadataFile = dir.resolve(METADATA);
        if (!Files.isRegularFile(metadataFile)) {
            throw new InvalidInputException("no model in " + dir + ": " + METADATA + " not found (train one with"
                    + " 'survival4j train --out DIR' and pass DIR)");
        }
        try {
            Metadata metadata = JSON.readValue(metadataFile.toFile(), Metadata.class);
            if (metadata.format() != FORMAT) {
                throw new InvalidInputException(metadataFile + " has format " + metadata.format() + ", expected " + FORMAT);
            }
            Path network = dir.resolve(metadata.network());
            MultiLayerNetwork predictor = metadata.network().equals(MOMENTUM)
                    ? Momentum.restore(network.toFile()).target()
                    : ModelSerializer.restoreMultiLayerNetwork(network.toFile(), false);
            BreslowBaseline baseline = null;
            if (metadata.settings().loss() == TrainingSettings.LossKind.COX) {
                Baseline b = JSON.readValue(dir.resolve(BASELINE).toFile(), Baseline.class);
                baseline = BreslowBaseline.of(b.eventTimes(), b.cumulativeHazards());
            }
            return new Loaded(metadata, predictor, baseline);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException("cannot read the model in " + dir + ": " + e.getMessage(), e);
        }
    }
}
