package org.wgan.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Where a zip file's entries keep their compressed bytes, and zips rewritten entry by entry, for damaging tests. */
final class ZipLayout {

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int DATA_DESCRIPTOR = 16;

    private ZipLayout() {
    }

    /** [start, end) of one entry's compressed bytes in the file. */
    record Region(String entry, int start, int end) {
        boolean contains(int position) {
            return position >= start && position < end;
        }
    }

    /** Every entry's compressed data, in file order (read from the local headers and the central directory). */
    static Map<String, Region> dataRegions(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer zip = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Region> regions = new LinkedHashMap<>();
        try (ZipFile archive = new ZipFile(file.toFile())) {
            int offset = 0;
            while (offset + 30 <= bytes.length && zip.getInt(offset) == LOCAL_HEADER) {
                boolean descriptor = (zip.getShort(offset + 6) & 8) != 0;
                int nameLength = Short.toUnsignedInt(zip.getShort(offset + 26));
                int extraLength = Short.toUnsignedInt(zip.getShort(offset + 28));
                String name = new String(bytes, offset + 30, nameLength, StandardCharsets.UTF_8);
                int start = offset + 30 + nameLength + extraLength;
                int end = start + Math.toIntExact(archive.getEntry(name).getCompressedSize());
                regions.put(name, new Region(name, start, end));
                offset = end + (descriptor ? DATA_DESCRIPTOR : 0);
            }
        }
        return regions;
    }

    /** The region holding {@code position}, or null when it lies outside every entry's data. */
    static Region regionAt(Map<String, Region> regions, int position) {
        return regions.values().stream().filter(r -> r.contains(position)).findFirst().orElse(null);
    }

    /** Every entry's bytes, in archive order. */
    static Map<String, byte[]> entries(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    /** A well-formed zip of these entries: CRC-32s and sizes consistent with whatever bytes they hold. */
    static void write(Path file, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        Files.write(file, bytes.toByteArray());
    }
}
