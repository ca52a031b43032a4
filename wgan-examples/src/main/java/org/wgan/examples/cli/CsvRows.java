package org.wgan.examples.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.data.SampleSource;
import org.wgan.core.internal.Checks;
import org.wgan.examples.support.InvalidOptionException;

/**
 * Rows of numbers from a CSV file ({@code wgan train --data-csv}): comma-separated, a first row that is not all
 * numbers taken as the column names, every other row with the same count of finite numbers. Each column is
 * standardised ({@code (x - mean) / std}, the population std; a constant column keeps std 1) so the networks see
 * unit scales; {@link #next} draws rows uniformly with replacement as {@code [batch, columns]} float32, and
 * {@link #unstandardise} maps generated rows back.
 */
final class CsvRows implements SampleSource {

    private final Path file;
    private final List<String> names;
    private final float[] values;
    private final int rows;
    private final int columns;
    private final double[] means;
    private final double[] scales;
    private final String fingerprint;

    private CsvRows(Path file, List<String> names, float[] values, int rows, double[] means, double[] scales,
            String fingerprint) {
        this.file = file;
        this.names = List.copyOf(names);
        this.values = values;
        this.rows = rows;
        this.columns = names.size();
        this.means = means;
        this.scales = scales;
        this.fingerprint = fingerprint;
    }

    /**
     * Reads and standardises {@code file}.
     *
     * @throws NoSuchFileException    when it is missing
     * @throws InvalidOptionException naming --data-csv, the line and the column of a cell that is not a finite
     *                                number, a row of another length, or a file without two data rows
     */
    static CsvRows read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such CSV file (--data-csv)");
        }
        List<double[]> data = new ArrayList<>();
        List<String> names = null;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true)
                     .setIgnoreEmptyLines(true).setCommentMarker('#').build().parse(reader)) {
            for (CSVRecord record : parser) {
                long line = parser.getCurrentLineNumber();
                if (names == null && data.isEmpty() && !allNumbers(record)) {
                    names = record.toList();
                    continue;
                }
                int expected = names != null ? names.size() : data.isEmpty() ? record.size() : data.get(0).length;
                if (record.size() != expected) {
                    throw new InvalidOptionException(String.format(Locale.ROOT, "--data-csv %s: line %d has %d"
                            + " columns, but the file's rows have %d", file, line, record.size(), expected));
                }
                double[] row = new double[record.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = number(record.get(c), file, line, c + 1);
                }
                data.add(row);
            }
        }
        if (data.size() < 2) {
            throw new InvalidOptionException("--data-csv " + file + " needs at least 2 rows of numbers, but has "
                    + data.size());
        }
        int columns = data.get(0).length;
        if (names == null) {
            names = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                names.add("x" + (c + 1));
            }
        }
        double[] means = new double[columns];
        double[] scales = new double[columns];
        for (double[] row : data) {
            for (int c = 0; c < columns; c++) {
                means[c] += row[c] / data.size();
            }
        }
        for (double[] row : data) {
            for (int c = 0; c < columns; c++) {
                scales[c] += (row[c] - means[c]) * (row[c] - means[c]) / data.size();
            }
        }
        for (int c = 0; c < columns; c++) {
            scales[c] = scales[c] > 0 ? Math.sqrt(scales[c]) : 1;
        }
        float[] values = new float[data.size() * columns];
        for (int r = 0; r < data.size(); r++) {
            for (int c = 0; c < columns; c++) {
                values[r * columns + c] = (float) ((data.get(r)[c] - means[c]) / scales[c]);
            }
        }
        return new CsvRows(file, names, values, data.size(), means, scales, fingerprintOf(file, data.size()));
    }

    private static boolean allNumbers(CSVRecord record) {
        for (String cell : record) {
            try {
                Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static double number(String cell, Path file, long line, int column) {
        double value;
        try {
            value = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(String.format(Locale.ROOT, "--data-csv %s: line %d, column %d is '%s',"
                    + " not a number", file, line, column, cell));
        }
        if (!Double.isFinite(value)) {
            throw new InvalidOptionException(String.format(Locale.ROOT, "--data-csv %s: line %d, column %d is %s;"
                    + " the rows must be finite numbers", file, line, column, cell));
        }
        return value;
    }

    private static String fingerprintOf(Path file, int rows) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return rows + " rows, sha256 " + HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public INDArray next(int batchSize, Random random) {
        Checks.atLeast("batchSize", batchSize, 1);
        float[] out = new float[batchSize * columns];
        for (int i = 0; i < batchSize; i++) {
            System.arraycopy(values, random.nextInt(rows) * columns, out, i * columns, columns);
        }
        return Nd4j.create(out, new long[] {batchSize, columns}, DataType.FLOAT);
    }

    /** Generated (standardised) rows back in the file's units: {@code x * std + mean} per column. */
    static double[][] unstandardise(INDArray generated, double[] means, double[] scales) {
        int n = (int) generated.size(0);
        double[][] out = new double[n][means.length];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < means.length; c++) {
                out[r][c] = generated.getDouble(r, c) * scales[c] + means[c];
            }
        }
        return out;
    }

    /** Writes {@code rows} as CSV with {@code names} as the header. */
    static void write(Path target, List<String> names, double[][] rows) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        StringBuilder text = new StringBuilder(String.join(",", names)).append('\n');
        for (double[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                text.append(c == 0 ? "" : ",").append(row[c]);
            }
            text.append('\n');
        }
        Files.writeString(target, text, StandardCharsets.UTF_8);
    }

    Path file() {
        return file;
    }

    List<String> names() {
        return names;
    }

    int rows() {
        return rows;
    }

    int columns() {
        return columns;
    }

    double[] means() {
        return means.clone();
    }

    double[] scales() {
        return scales.clone();
    }

    String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,d rows of %d columns from %s (standardised per column)", rows, columns,
                file);
    }
}
