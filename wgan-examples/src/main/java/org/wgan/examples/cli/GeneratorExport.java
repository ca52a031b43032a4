package org.wgan.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.wgan.core.Generator;
import org.wgan.dl4j.GraphGenerator;
import org.wgan.dl4j.MultiLayerGenerator;

/**
 * A generator as a plain DL4J {@code ModelSerializer} zip (no updater state), loadable with
 * {@code ModelSerializer.restoreMultiLayerNetwork} (or {@code restoreComputationGraph}) and no wgan jar, with a
 * {@code wgan.json} entry (and the same JSON beside the zip, {@code <name>.wgan.json}) saying how to feed it:
 * the latent size and distribution, the image shape and value range.
 *
 * @param format        {@value #FORMAT}
 * @param network       {@code MultiLayerNetwork} or {@code ComputationGraph}
 * @param latentSize    the input's width: {@code [batch, latentSize]} float32
 * @param latent        the latent distribution the generator was trained on
 * @param channels      1 (grey) or 3 (RGB, in that order)
 * @param imageSize     the output's side: {@code [batch, channels, imageSize, imageSize]} (NCHW)
 * @param valueRange    the output's range, {@code [-1, 1]} (tanh); a pixel {@code p} in 0..255 is
 *                      {@code round((v + 1) * 127.5)}
 * @param generatorStep the training step the weights are from
 * @param ema           whether these are the EMA generator's weights
 * @param run           the run's settings
 */
record GeneratorExport(String format, String network, int latentSize, String latent, int channels, int imageSize,
        double[] valueRange, long generatorStep, boolean ema, RunSettings run) {

    static final String FORMAT = "wgan-generator/1";
    static final String ENTRY = "wgan.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes {@code generator}, the run's (or with {@code ema} its average's) weights of generator step
     * {@code step}, to {@code zip} with its description.
     */
    static void write(RunSettings run, Generator generator, long step, boolean ema, Path zip) throws IOException {
        new GeneratorExport(FORMAT, generator instanceof GraphGenerator ? "ComputationGraph" : "MultiLayerNetwork",
                run.latentSize(), "gaussian N(0, I)", run.channels(), run.size(), new double[] {-1, 1}, step, ema,
                run).write(generator, zip);
    }

    /**
     * Writes {@code generator} to {@code zip} (through a temporary file moved into place) with this description
     * inside and beside it.
     */
    private void write(Generator generator, Path zip) throws IOException {
        Path parent = zip.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path plain = Files.createTempFile(parent, ".export", ".zip.tmp");
        Path described = Files.createTempFile(parent, ".export", ".zip.tmp");
        try {
            if (generator instanceof GraphGenerator graph) {
                ModelSerializer.writeModel(graph.graph(), plain.toFile(), false);
            } else {
                ModelSerializer.writeModel(((MultiLayerGenerator) generator).network(), plain.toFile(), false);
            }
            byte[] json = JSON.writeValueAsBytes(this);
            try (ZipFile in = new ZipFile(plain.toFile());
                 OutputStream file = Files.newOutputStream(described);
                 ZipOutputStream out = new ZipOutputStream(file)) {
                Enumeration<? extends ZipEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
                out.putNextEntry(new ZipEntry(ENTRY));
                out.write(json);
                out.closeEntry();
            }
            Files.write(parent.resolve(baseName(zip) + ".wgan.json"), json);
            Files.move(described, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(plain);
            Files.deleteIfExists(described);
        }
    }

    static String baseName(Path zip) {
        String name = zip.getFileName().toString();
        return name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    }

    /** An exported generator and its description. */
    record Loaded(GeneratorExport description, Generator generator) {
    }

    /**
     * Reads an export: its {@code wgan.json} entry, then the network through ModelSerializer, wrapped as the library's
     * generator.
     *
     * @throws NoSuchFileException when the file is missing
     * @throws IOException         naming the file when it is not a wgan export
     */
    static Loaded read(Path zip) throws IOException {
        if (!Files.exists(zip)) {
            throw new NoSuchFileException(zip.toString(), null, "no such generator export");
        }
        GeneratorExport description;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(ENTRY);
            if (entry == null) {
                throw new IOException(zip + ": not a wgan export (no " + ENTRY + " entry); write one with wgan export");
            }
            try (InputStream in = file.getInputStream(entry)) {
                description = JSON.readValue(in, GeneratorExport.class);
            }
        }
        if (!FORMAT.equals(description.format())) {
            throw new IOException(zip + ": export format " + description.format() + ", this wgan reads " + FORMAT);
        }
        Generator generator;
        if (description.network().equals("ComputationGraph")) {
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
            generator = GraphGenerator.of(graph);
        } else {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
            generator = MultiLayerGenerator.of(network);
        }
        return new Loaded(description, generator);
    }
}
