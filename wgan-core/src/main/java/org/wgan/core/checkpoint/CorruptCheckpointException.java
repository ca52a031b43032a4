package org.wgan.core.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A checkpoint file whose bytes are not the ones written: a flipped bit on disk, a copy cut short, an entry lost or
 * rewritten. The message names the file, the entry and what did not match.
 */
public final class CorruptCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file, as the reader was given it. */
    private final transient Path file;

    /**
     * @param file  the checkpoint file
     * @param fault what is wrong, e.g. {@code "entry critic/parameters has CRC-32 ..., but the archive lists ..."}
     * @param cause the exception that found it, or null
     */
    public CorruptCheckpointException(Path file, String fault, Throwable cause) {
        super("checkpoint " + Objects.requireNonNull(file, "file") + " is corrupt or truncated: " + fault, cause);
        this.file = file;
    }

    /** The checkpoint file that failed its checks. */
    public Path file() {
        return file;
    }
}
