package org.wgan.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file whose contents are not what its reader expects: a malformed IDX file (bad gzip stream, bad magic
 * number, unsupported data type, a dimension below 1, too few or too many data bytes), or a well-formed one that
 * does not hold the expected data set (wrong image size, mismatched counts, a label out of range). The message
 * starts with the file's path and then says what was wrong.
 */
public class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file at fault. */
    private final transient Path file;

    /**
     * @param file  the file at fault
     * @param fault what was wrong with it, e.g. {@code "bad magic number: expected 0x00000803, found 0x00000801"}
     */
    public IdxFormatException(Path file, String fault) {
        super(file + ": " + fault);
        this.file = file;
    }

    /**
     * @param file  the file at fault
     * @param fault what was wrong with it
     * @param cause the low-level failure (e.g. a {@link java.util.zip.ZipException} from the gzip stream)
     */
    public IdxFormatException(Path file, String fault, Throwable cause) {
        super(file + ": " + fault, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
