package org.wgan.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every setting of a {@code wgan train} run, as its folder's {@code run.json} holds them: what {@code --resume}
 * reads back and checks, and what {@code sample} and {@code info} rebuild the models from.
 *
 * @param wganVersion     the library version that wrote the file
 * @param source          {@code images} (a folder), {@code csv} (a file of rows, {@code --data-csv}) or {@code
 *                        fashion-mnist} (the IDX files of the {@code FashionGan} preset)
 * @param images          the images folder, the CSV file or the Fashion-MNIST folder, absolute
 * @param data            the data's fingerprint (file count and a digest of names and sizes; rows and a digest of
 *                        the CSV file)
 * @param imageCount      images (or rows) used (skipped images are not counted)
 * @param size            image side S; 0 for CSV rows
 * @param channels        1 (grey) or 3 (RGB); 0 for CSV rows
 * @param fit             CROP or PAD
 * @param flips           random horizontal flips
 * @param model           DCGAN or RESNET
 * @param objective       WGAN_GP or NON_SATURATING
 * @param width           the models' width
 * @param latentSize      the latent size
 * @param batchSize       samples per batch
 * @param criticSteps     critic steps per generator step
 * @param penaltyWeight   the gradient penalty's weight
 * @param emaDecay        the generator EMA's decay; 0 for none
 * @param seed            seed of the networks, the data draws and the noise
 * @param steps           generator steps to train to (a resumed run may raise it)
 * @param checkpointEvery generator steps between checkpoints
 * @param sampleEvery     generator steps between sample grids
 * @param columnNames     the CSV file's columns (empty for images)
 * @param means           each column's mean, which standardisation subtracts (empty for images)
 * @param scales          each column's standard deviation, which it divides by (empty for images)
 */
public record RunSettings(String wganVersion, String source, String images, String data, int imageCount, int size,
        int channels,
        String fit, boolean flips, String model, String objective, int width, int latentSize, int batchSize,
        int criticSteps, double penaltyWeight, double emaDecay, long seed, long steps, long checkpointEvery,
        long sampleEvery, List<String> columnNames, double[] means, double[] scales) {

    /** The file in a run folder. */
    public static final String FILE = "run.json";
    /** The {@code source} of rows of a CSV file. */
    public static final String CSV = "csv";
    /** The {@code source} of a folder of images. */
    public static final String IMAGES = "images";
    /** The {@code source} of the Fashion-MNIST IDX files ({@code FashionGan}). */
    public static final String FASHION_MNIST = "fashion-mnist";

    /** The library's version, from the jar's manifest (0.1.0-SNAPSHOT when run from classes). */
    public static String libraryVersion() {
        String version = RunSettings.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }

    /** Whether the run trains on rows of a CSV file rather than images. */
    public boolean csv() {
        return CSV.equals(source);
    }

    /** Whether the run trains on the Fashion-MNIST IDX files of the {@code FashionGan} preset. */
    public boolean fashionMnist() {
        return FASHION_MNIST.equals(source);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The settings a resumed run must share: all but the version, the data's path, the step budget and the output
     * intervals.
     */
    Map<String, Object> fixed() {
        Map<String, Object> values = new LinkedHashMap<>();
        // the data's identity is its fingerprint, not its path: a moved folder resumes with --images at its new place
        values.put("source", source);
        values.put("data", data);
        values.put("size", size);
        values.put("channels", channels);
        values.put("fit", fit);
        values.put("flips", flips);
        values.put("model", model);
        values.put("objective", objective);
        values.put("width", width);
        values.put("latentSize", latentSize);
        values.put("batchSize", batchSize);
        values.put("criticSteps", criticSteps);
        values.put("penaltyWeight", penaltyWeight);
        values.put("emaDecay", emaDecay);
        values.put("seed", seed);
        return values;
    }

    /** {@code "size: run 64, now 32"} for every fixed setting that differs, in {@link #fixed} order. */
    public List<String> differencesFrom(RunSettings run) {
        List<String> differences = new ArrayList<>();
        Map<String, Object> theirs = run.fixed();
        fixed().forEach((key, value) -> {
            if (!Objects.equals(value, theirs.get(key))) {
                differences.add(key + ": run " + theirs.get(key) + ", now " + value);
            }
        });
        return differences;
    }

    /** Writes {@code folder/run.json} atomically (a temporary file moved over it). */
    public void writeTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, ".run", ".json.tmp");
        try {
            JSON.writeValue(temporary.toFile(), this);
            try {
                Files.move(temporary, folder.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads {@code folder/run.json}.
     *
     * @throws NoSuchFileException naming it and what a run folder is, when it is missing
     * @throws IOException         naming it when it is not a run's settings
     */
    public static RunSettings readFrom(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "not a run folder of wgan train (no " + FILE
                    + "); pass the --output of a run");
        }
        try {
            return JSON.readValue(file.toFile(), RunSettings.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a readable " + FILE + " (" + e.getOriginalMessage() + ")", e);
        }
    }
}
