package org.wgan.core.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file so that a crash or an error midway never leaves a partial file under its name: the content goes to
 * a temporary file in the same folder ({@code .<name>.<digits>.tmp}), is flushed to disk, and is renamed over the
 * target atomically. The writer holds a lock on its temporary file while it writes, so that
 * {@link #deleteIfAbandoned(Path)} can tell a temporary file left by a killed process from one being written.
 */
public final class AtomicFiles {

    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.\\d+\\.tmp");

    /** Writes a file's content to a stream (which it must not close). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code file} atomically, creating its folder if needed.
     *
     * @throws IOException if writing fails (the temporary file is removed and {@code file} is as it was), or the
     *                     file system cannot rename atomically
     */
    public static void write(Path file, Content content) throws IOException {
        write(file, content, out -> out);
    }

    /** As {@link #write(Path, Content)}, the file's stream wrapped by {@code wrap} (tests inject failures). */
    static void write(Path file, Content content, UnaryOperator<OutputStream> wrap) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                markInUse(channel);
                OutputStream out = new BufferedOutputStream(wrap.apply(Channels.newOutputStream(channel)), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot write " + target + " atomically: the file system of " + folder
                        + " does not support atomic renames", e);
            }
            moved = true;
            syncFolder(folder);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * The name of the file a temporary file of {@link #write(Path, Content)} was to become, or null when
     * {@code fileName} is not named as one.
     */
    static String targetOf(String fileName) {
        Matcher m = TEMPORARY.matcher(fileName);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * Deletes a temporary file of {@link #write(Path, Content)} unless a writer still holds it: one this process is
     * running, or another process's (a killed process holds no lock).
     *
     * @return true if it was deleted
     * @throws IOException if it cannot be opened or deleted, or the file system has no locks
     */
    static boolean deleteIfAbandoned(Path temporary) throws IOException {
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return false;
            }
            Files.delete(temporary);
            return true;
        } catch (OverlappingFileLockException | NoSuchFileException e) {
            return false; // written by this process, or already gone
        }
    }

    private static void markInUse(FileChannel channel) {
        try {
            channel.tryLock(); // released when the channel closes
        } catch (IOException e) {
            // a file system without locks: the write goes on, unmarked
        }
    }

    private static void syncFolder(Path folder) {
        // makes the rename itself durable; not every platform can open a folder for this, and the rename is done
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort only
        }
    }
}
