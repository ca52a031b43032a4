package org.wgan.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;

/**
 * The critic's values over a square grid of 2-column data, which the dashboard draws as a heat map under the sample
 * points of the same step. A run writes one {@code critic-<step>.csv} ({@link #fileName(long)}) next to each
 * {@code samples-<step>.csv}, in the data's units (as the samples).
 *
 * <p>The file, in UTF-8 text:
 * <pre>
 * xMin,xMax,yMin,yMax,n
 * -2.0,2.0,-1.5,1.5,3
 * v(x0,y0),v(x1,y0),v(x2,y0)
 * v(x0,y1),v(x1,y1),v(x2,y1)
 * v(x0,y2),v(x1,y2),v(x2,y2)
 * </pre>
 * a header line, the bounds and the points per axis {@code n}, then {@code n} lines of {@code n} values: line
 * {@code j} holds {@code y_j = yMin + j (yMax - yMin) / (n - 1)}, its value {@code i} is at
 * {@code x_i = xMin + i (xMax - xMin) / (n - 1)}.
 */
public final class ValueSurface {

    /** The header line. */
    public static final String HEADER = "xMin,xMax,yMin,yMax,n";
    /** The most points per axis: 512 x 512 values is about 5 MB of text. */
    public static final int MAX_POINTS = 512;

    private ValueSurface() {
    }

    /** {@code critic-<step>.csv}, the step in at least six digits as the sample files: the name the page looks for. */
    public static String fileName(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, but was " + step);
        }
        return String.format(Locale.ROOT, "critic-%06d.csv", step);
    }

    /**
     * Writes the surface to {@code file} atomically (a temporary file beside it, moved over it), so the page never
     * reads half of one.
     *
     * @param values the critic's value at {@code (x_i, y_j)} in {@code values[j * n + i]}, {@code n * n} of them
     * @throws IllegalArgumentException when a bound is not finite, {@code xMin >= xMax} or {@code yMin >= yMax},
     *                                  {@code n} is not in 2..{@value #MAX_POINTS}, {@code values} does not hold
     *                                  {@code n * n} values, or one is not finite (naming its index)
     * @throws IOException              when the file cannot be written
     */
    public static void write(Path file, double xMin, double xMax, double yMin, double yMax, int n, float[] values)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(values, "values");
        range("x", xMin, xMax);
        range("y", yMin, yMax);
        if (n < 2 || n > MAX_POINTS) {
            throw new IllegalArgumentException("n must be in 2.." + MAX_POINTS + ", but was " + n);
        }
        if (values.length != n * n) {
            throw new IllegalArgumentException("values must hold n * n = " + n * n + " values, but held "
                    + values.length);
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        text.append(xMin).append(',').append(xMax).append(',').append(yMin).append(',').append(yMax).append(',')
                .append(n).append('\n');
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                float v = values[j * n + i];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("values must be finite, but values[" + (j * n + i) + "] was "
                            + v);
                }
                text.append(i == 0 ? "" : ",").append(v);
            }
            text.append('\n');
        }
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), ".critic", ".csv.tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void range(String axis, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min >= max) {
            throw new IllegalArgumentException(axis + "Min and " + axis + "Max must be finite with " + axis + "Min < "
                    + axis + "Max, but were " + min + " and " + max);
        }
    }
}
