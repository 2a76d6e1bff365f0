package org.survival4j.examples.images;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, Zalando Research, MIT licence): 28 x 28 grey
 * images of 10 kinds of clothing, read from the gzipped IDX files in which it is distributed.
 * {@link #embedded()} is a subset shipped with survival4j (the first 2,000 training and 500 test
 * images); {@link #read(Path)} reads the full set, e.g. from Debian's {@code dataset-fashion-mnist}
 * package ({@link #INSTALLED}).
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.embedded();
 * float[][] pixels = data.train().pixels();   // [n][784], in [0, 1]
 * int[] classes = data.train().classes();     // 0..9
 * }</pre>
 */
public record FashionMnist(Images train, Images test) {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the full set. */
    public static final Path INSTALLED = Path.of("/usr/share/datasets/fashion-mnist");
    /** Pixels per side. */
    public static final int SIDE = 28;
    private static final String EMBEDDED = "/org/survival4j/datasets/fashion-mnist/";

    /** Images with their classes. */
    public record Images(float[][] pixels, int[] classes) {
        /** Number of images. */
        public int size() {
            return classes.length;
        }

        /** The first {@code n} images (all of them if there are fewer); the rows are shared, not copied. */
        public Images first(int n) {
            int m = Math.min(n, size());
            return new Images(Arrays.copyOf(pixels, m), Arrays.copyOf(classes, m));
        }
    }

    /** The subset shipped in the examples jar: 2,000 training and 500 test images. */
    public static FashionMnist embedded() throws IOException {
        return new FashionMnist(images(resource("train"), "embedded train"), images(resource("t10k"), "embedded t10k"));
    }

    private static InputStream[] resource(String part) throws IOException {
        InputStream images = FashionMnist.class.getResourceAsStream(EMBEDDED + part + "-images-idx3-ubyte.gz");
        InputStream labels = FashionMnist.class.getResourceAsStream(EMBEDDED + part + "-labels-idx1-ubyte.gz");
        if (images == null || labels == null) {
            throw new IOException("the embedded Fashion-MNIST subset is missing from the classpath (" + EMBEDDED + ")");
        }
        return new InputStream[] {images, labels};
    }

    /**
     * The full set from {@code dir}, which holds {@code train-images-idx3-ubyte.gz},
     * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz} and
     * {@code t10k-labels-idx1-ubyte.gz}.
     *
     * @throws IOException naming the file that is missing or damaged, and how to install the set
     */
    public static FashionMnist read(Path dir) throws IOException {
        return new FashionMnist(images(files(dir, "train"), dir + "/train"), images(files(dir, "t10k"), dir + "/t10k"));
    }

    private static InputStream[] files(Path dir, String part) throws IOException {
        Path images = dir.resolve(part + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(part + "-labels-idx1-ubyte.gz");
        for (Path p : new Path[] {images, labels}) {
            if (!Files.isRegularFile(p)) {
                throw new IOException(p + " not found: install Debian's dataset-fashion-mnist package"
                        + " (apt-get install dataset-fashion-mnist, files in " + INSTALLED + ") or pass the"
                        + " directory holding Fashion-MNIST's four .gz files");
            }
        }
        return new InputStream[] {Files.newInputStream(images), Files.newInputStream(labels)};
    }

    private static Images images(InputStream[] streams, String name) throws IOException {
        try (DataInputStream images = new DataInputStream(new GZIPInputStream(streams[0]));
             DataInputStream labels = new DataInputStream(new GZIPInputStream(streams[1]))) {
            int n = header(images, 2051, name + " images");
            int rows = images.readInt();
            int cols = images.readInt();
            if (rows != SIDE || cols != SIDE) {
                throw new IOException(name + " images are " + rows + " x " + cols + ", not " + SIDE + " x " + SIDE);
            }
            int m = header(labels, 2049, name + " labels");
            if (m != n) {
                throw new IOException(name + ": " + n + " images but " + m + " labels");
            }
            float[][] pixels = new float[n][SIDE * SIDE];
            byte[] buffer = new byte[SIDE * SIDE];
            int[] classes = new int[n];
            for (int i = 0; i < n; i++) {
                images.readFully(buffer);
                for (int j = 0; j < buffer.length; j++) {
                    pixels[i][j] = (buffer[j] & 0xFF) / 255f;
                }
                classes[i] = labels.readUnsignedByte();
                if (classes[i] > 9) {
                    throw new IOException(name + " labels: image " + i + " has class " + classes[i] + ", not 0..9");
                }
            }
            return new Images(pixels, classes);
        } catch (EOFException e) {
            throw new IOException(name + ": the file ends early (truncated or damaged)", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(name + ": not a valid gzip file (" + e.getMessage() + ")", e);
        }
    }

    /** Reads an IDX header's magic number and item count. */
    private static int header(DataInputStream in, int magic, String name) throws IOException {
        int found = in.readInt();
        if (found != magic) {
            throw new IOException(name + ": not an IDX file of the expected kind (magic number " + found + ", expected "
                    + magic + ")");
        }
        int n = in.readInt();
        if (n < 0) {
            throw new IOException(name + ": negative item count " + n);
        }
        return n;
    }
}
