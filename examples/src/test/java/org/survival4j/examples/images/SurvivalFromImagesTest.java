package org.survival4j.examples.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Fashion-MNIST subset, the survival tasks made from it, and a CNN that learns one. */
class SurvivalFromImagesTest {
    private static FashionMnist data;

    @BeforeAll
    static void read() throws IOException {
        data = FashionMnist.embedded();
    }

    @Test
    void theEmbeddedSubsetHoldsBalancedClassesOfPixelsInTheUnitInterval() {
        assertEquals(2000, data.train().size());
        assertEquals(500, data.test().size());
        int[] counts = new int[10];
        for (int c : data.train().classes()) {
            counts[c]++;
        }
        for (int count : counts) {
            assertTrue(count > 150 && count < 250, Arrays.toString(counts));
        }
        assertEquals(784, data.train().pixels()[0].length);
        for (float p : data.test().pixels()[17]) {
            assertTrue(p >= 0 && p <= 1);
        }
        assertEquals(9, data.train().classes()[0]); // Fashion-MNIST's first training image is an ankle boot
    }

    @Test
    void aMissingOrDamagedFileIsNamed(@TempDir Path dir) throws IOException {
        IOException missing = assertThrows(IOException.class, () -> FashionMnist.read(dir));
        assertTrue(missing.getMessage().contains("apt-get install dataset-fashion-mnist"), missing.getMessage());

        writeAll(dir, new byte[] {0, 0, 9, 9, 0, 0, 0, 5}); // a wrong magic number
        IOException wrong = assertThrows(IOException.class, () -> FashionMnist.read(dir));
        assertTrue(wrong.getMessage().contains("not an IDX file"), wrong.getMessage());
        writeAll(dir, new byte[] {0, 0, 8, 3, 0, 0, 0, 5}); // images' magic number, 5 images, then nothing
        IOException truncated = assertThrows(IOException.class, () -> FashionMnist.read(dir));
        assertTrue(truncated.getMessage().contains("ends early"), truncated.getMessage());
    }

    private static void writeAll(Path dir, byte[] content) throws IOException {
        for (String part : new String[] {"train", "t10k"}) {
            for (String kind : new String[] {"images-idx3", "labels-idx1"}) {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(
                        dir.resolve(part + "-" + kind + "-ubyte.gz")))) {
                    out.write(content);
                }
            }
        }
    }

    @Test
    void theWeibullTaskCensorsAboutAThirdAndItsOracleRanksByClass() {
        ImageSurvivalTask.Labels labels = ImageSurvivalTask.WEIBULL.labels(data.train().classes(), 1);
        assertEquals(0.7, labels.eventFraction(), 0.08);
        ImageSurvivalTask.Labels order = ImageSurvivalTask.CLASS_ORDER.labels(new int[] {3, 0}, 1);
        assertArrayEquals(new double[] {4, 1}, order.time());
        assertArrayEquals(new double[] {1, 1}, order.event());
    }

    /** Two epochs of the CNN on the 2,000 images: measured 0.69, the oracle 0.74, chance 0.5. */
    @Test
    void theCnnLearnsTheWeibullHazardFromTheImages() {
        ImageSurvivalTask.Labels train = ImageSurvivalTask.WEIBULL.labels(data.train().classes(), 1);
        ImageSurvivalTask.Labels test = ImageSurvivalTask.WEIBULL.labels(data.test().classes(), 2);
        ComputationGraph net = SurvivalFromImages.cnn(7);
        for (int epoch = 0; epoch < 2; epoch++) {
            net.fit(new ListDataSetIterator<>(SurvivalFromImages.batches(data.train(), train, 32), 1));
        }
        double c = SurvivalFromImages.harrell(net, data.test(), test);
        assertTrue(c > FLOOR, "C = " + c);
    }

    private static final double FLOOR = 0.6;
}
