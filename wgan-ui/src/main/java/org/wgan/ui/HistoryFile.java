package org.wgan.ui;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a {@code history.csv} that another thread or process appends to, only the bytes added since the last call.
 * Only complete lines are read: a partial last line (a flush under way) waits for its newline. A file that shrinks,
 * or whose last line read is no longer where it was (a resumed run rewrites the file, then appends), is read again
 * from its start, and the call says so.
 */
final class HistoryFile {

    /**
     * What one call found.
     *
     * @param restarted whether the file was rewritten since the last call, so that {@code rows} are all of it
     * @param rows      the complete rows added (all rows when {@code restarted})
     */
    record Read(boolean restarted, List<Row> rows) {
    }

    private static final byte[] NOTHING = new byte[0];

    private final Path file;
    private long offset;
    private byte[] lastLine = NOTHING;

    HistoryFile(Path file) {
        this.file = file;
    }

    /** The rows added since the last call; none (and restarted if rows were read before) when there is no file. */
    Read read() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            boolean restarted = false;
            if (size < offset || !lastLineStillAt(channel)) {
                restarted = offset > 0;
                offset = 0;
                lastLine = NOTHING;
            }
            if (size == offset) {
                return new Read(restarted, List.of());
            }
            byte[] added = readFully(channel, offset, Math.toIntExact(Math.min(size - offset, Integer.MAX_VALUE - 8)));
            int end = lastNewline(added);
            if (end < 0) {
                return new Read(restarted, List.of());
            }
            List<Row> rows = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= end; i++) {
                if (added[i] == '\n') {
                    Row row = Row.parse(new String(added, start, i - start, StandardCharsets.UTF_8));
                    if (row != null) {
                        rows.add(row);
                    }
                    lastLine = Arrays.copyOfRange(added, start, i + 1);
                    start = i + 1;
                }
            }
            offset += end + 1;
            return new Read(restarted, rows);
        } catch (NoSuchFileException e) {
            boolean restarted = offset > 0;
            offset = 0;
            lastLine = NOTHING;
            return new Read(restarted, List.of());
        }
    }

    private boolean lastLineStillAt(FileChannel channel) throws IOException {
        if (lastLine.length == 0) {
            return true;
        }
        return Arrays.equals(readFully(channel, offset - lastLine.length, lastLine.length), lastLine);
    }

    private static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
