package org.survival4j.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.survival4j.examples.train.InvalidInputException;

/**
 * Where the commands write: the output directory is checked before any work is done, files are
 * replaced whole (written beside their place, then moved in; a training run's files as one set),
 * and a failed write is reported as one line that says which file could not be written and why,
 * leaving the earlier files as they were.
 *
 * <p>Java's file exceptions often carry only the path as their message (an
 * {@code AccessDeniedException}'s message is the file name), so the messages here add the
 * exception's kind:
 * <pre>{@code
 * OutputFiles.write(Path.of("survival4j-out/metrics.json"), file -> Files.writeString(file, "{}"));
 * // on a read-only directory throws InvalidInputException:
 * //   cannot write survival4j-out/metrics.json: AccessDeniedException
 * }</pre>
 */
final class OutputFiles {
    /** Writes one file; may throw {@link IOException}. */
    @FunctionalInterface
    interface FileWrite {
        void to(Path file) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputFiles() {
    }

    /**
     * Creates {@code dir} if needed and checks that it is a writable directory.
     *
     * @param option the option that named it, for the message (e.g. {@code "--out"})
     * @throws InvalidInputException if it is a regular file, cannot be created or is not writable
     */
    static Path prepareDirectory(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException(option + " " + dir + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidInputException("cannot create " + option + " directory " + dir + ": " + describe(e), e);
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidInputException(option + " " + dir + " is not writable");
        }
        return dir;
    }

    /**
     * Checks that a file can be written later: its directory exists and it is not a directory.
     *
     * @throws InvalidInputException otherwise, naming the option and the file
     */
    static Path checkWritableFile(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(option + " " + file + " is a directory, not a file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new InvalidInputException(option + " " + file + ": the directory " + parent + " does not exist");
        }
        return file;
    }

    /**
     * Runs one write into a temporary file beside {@code file} and then moves it into place, so that
     * {@code file} holds either its old content or the complete new one, never a part. An
     * {@link IOException} becomes a one-line {@link InvalidInputException} naming the file and the
     * kind of failure; the temporary file is removed.
     */
    static void write(Path file, FileWrite write) {
        Path temp = null;
        try {
            // A name of our own rather than createTempFile, so that the file gets the usual permissions
            // (createTempFile makes it owner-only); the extension stays, since some writers (XChart)
            // append one to a name without it.
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            temp = file.resolveSibling("." + name + "." + Long.toHexString(RANDOM.nextLong())
                    + (dot > 0 ? name.substring(dot) : ".part"));
            write.to(temp);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new InvalidInputException("cannot write " + file + ": " + describe(e), e);
        }
    }

    /**
     * Writes a set of files into {@code dir} as one: {@code writes} writes them into a fresh staging
     * directory inside {@code dir}, and only when all have succeeded does each entry replace its
     * namesake in {@code dir} (a directory as a whole). If a write fails, {@code dir} is left as it
     * was and the staging directory is removed.
     *
     * @param writes writes the files into the directory it is given
     * @throws InvalidInputException if a write or a move fails
     */
    static void writeAll(Path dir, Consumer<Path> writes) {
        Path staging;
        try {
            staging = Files.createTempDirectory(dir, ".staging-");
        } catch (IOException e) {
            throw new InvalidInputException("cannot write into " + dir + ": " + describe(e), e);
        }
        try {
            writes.accept(staging);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e instanceof InvalidInputException ? new InvalidInputException(e.getMessage() + " (" + dir
                    + " was left as it was)", e) : e;
        }
        try {
            List<Path> entries;
            try (Stream<Path> listing = Files.list(staging)) {
                entries = listing.toList();
            }
            Path replaced = Files.createDirectory(staging.resolve(".replaced")); // removed with staging
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Path target = dir.resolve(name);
                if (Files.exists(target)) {
                    Files.move(target, replaced.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot move the new files into " + dir + ": " + describe(e)
                    + "; what was written is in " + staging, e);
        }
        deleteQuietly(staging);
    }

    /** Deletes a file or a directory tree, ignoring failures (clean-up of temporary files only). */
    private static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temporary file is harmless; the real error is reported by the caller
        }
    }

    /**
     * The kind of an I/O failure and its detail, e.g. {@code AccessDeniedException} or
     * {@code FileSystemException (No space left on device)}; the path, which NIO exceptions use as
     * their message, is left out.
     */
    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        String detail = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        return detail == null || detail.isBlank() ? kind : kind + " (" + detail + ")";
    }
}
