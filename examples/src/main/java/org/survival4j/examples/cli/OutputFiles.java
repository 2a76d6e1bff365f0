package org.survival4j.examples.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.survival4j.examples.train.InvalidInputException;

/**
 * Where the commands write: the output directory is checked before any work is done, and a failed
 * write is reported as one line that says which file could not be written and why.
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
     * Runs one write, turning an {@link IOException} into a one-line {@link InvalidInputException}
     * naming the file and the kind of failure.
     */
    static void write(Path file, FileWrite write) {
        try {
            write.to(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + file + ": " + describe(e), e);
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
