package org.survival4j.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** The entries of a checkpoint zip, read and rewritten, to damage one part in a test. */
public final class ZipEntries {
    private ZipEntries() {
    }

    /** Every entry of {@code zip}, in order. */
    public static Map<String, byte[]> read(File zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip.toPath()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    /** A copy of {@code from} as {@code to}, with entry {@code name} replaced (or added), or left out if {@code content} is null. */
    public static void rewrite(File from, File to, String name, byte[] content) throws IOException {
        Map<String, byte[]> entries = read(from);
        if (content == null) {
            entries.remove(name);
        } else {
            entries.put(name, content);
        }
        write(to, entries);
    }

    /** A zip of these entries, in order. */
    public static void write(File to, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to.toPath()))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }
}
