package org.wgan.examples.fashion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.wgan.core.checkpoint.AtomicFiles;

/**
 * The cache file of a trained {@link FashionClassifier}: DL4J's model zip with one more entry,
 * {@value #METADATA_ENTRY}, that holds the training settings and the test accuracy as properties. A cache is read
 * back only when those settings are the ones asked for and the network has the classifier's architecture; anything
 * else (an unreadable file, other settings) is reported through the log and answered with null, so that the caller
 * trains again. The file is written atomically (a temporary file in the same folder, then renamed).
 */
final class FashionClassifierCache {

    /** The zip entry that holds the training settings. */
    static final String METADATA_ENTRY = "wgan-fashion-classifier.properties";

    private FashionClassifierCache() {
    }

    /** The cached classifier, or null (with the reason logged) if the file is unreadable or its settings differ. */
    static FashionClassifier read(Path cacheFile, FashionClassifier.Settings wanted, Consumer<String> log) {
        Properties properties;
        FashionClassifier.Settings found;
        double accuracy;
        try {
            properties = readMetadata(cacheFile);
            found = settings(properties);
            accuracy = Double.parseDouble(required(properties, "testAccuracy"));
        } catch (IOException | RuntimeException e) {
            log.accept("Fashion classifier cache " + cacheFile + " is unreadable (" + e + "); retraining");
            return null;
        }
        if (!found.equals(wanted)) {
            log.accept("Fashion classifier cache " + cacheFile + " holds " + found + ", not " + wanted
                    + "; retraining");
            return null;
        }
        try {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(cacheFile.toFile(), false);
            FashionClassifier.checkArchitecture(network);
            log.accept(String.format(Locale.ROOT, "Fashion classifier loaded from %s (%s, test accuracy %.4f)",
                    cacheFile, found, accuracy));
            return new FashionClassifier(network, found, accuracy);
        } catch (IOException | RuntimeException e) {
            log.accept("Fashion classifier cache " + cacheFile + " is unreadable (" + e + "); retraining");
            return null;
        }
    }

    /** Writes {@code classifier} to {@code cacheFile}; a failure is logged, and the caller carries on without. */
    static void write(FashionClassifier classifier, Path cacheFile, Consumer<String> log) {
        try {
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            ModelSerializer.writeModel(classifier.network(), model, false);
            AtomicFiles.write(cacheFile, out -> writeWithMetadata(model.toByteArray(),
                    properties(classifier.settings(), classifier.testAccuracy()), out));
            log.accept("Fashion classifier written to " + cacheFile);
        } catch (IOException | RuntimeException e) {
            log.accept("Fashion classifier cache " + cacheFile + " could not be written (" + e
                    + "); continuing without it");
        }
    }

    private static Properties properties(FashionClassifier.Settings settings, double testAccuracy) {
        Properties properties = new Properties();
        properties.setProperty("architectureVersion", Integer.toString(settings.architectureVersion()));
        properties.setProperty("seed", Long.toString(settings.seed()));
        properties.setProperty("epochs", Integer.toString(settings.epochs()));
        properties.setProperty("trainingImages", Integer.toString(settings.trainingImages()));
        properties.setProperty("testAccuracy", Double.toString(testAccuracy));
        return properties;
    }

    /** @throws IllegalArgumentException if a key is missing or malformed */
    private static FashionClassifier.Settings settings(Properties properties) {
        return new FashionClassifier.Settings(Integer.parseInt(required(properties, "architectureVersion")),
                Long.parseLong(required(properties, "seed")),
                Integer.parseInt(required(properties, "epochs")),
                Integer.parseInt(required(properties, "trainingImages")));
    }

    private static Properties readMetadata(Path cacheFile) throws IOException {
        try (ZipFile zip = new ZipFile(cacheFile.toFile())) {
            ZipEntry entry = zip.getEntry(METADATA_ENTRY);
            if (entry == null) {
                throw new IOException("no " + METADATA_ENTRY + " entry");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Properties properties = new Properties();
                properties.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)));
                return properties;
            }
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing key " + key);
        }
        return value;
    }

    private static void writeWithMetadata(byte[] modelZip, Properties metadata, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(modelZip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(zip);
                zip.closeEntry();
            }
        }
        StringWriter text = new StringWriter();
        metadata.store(text, "Fashion-MNIST classifier of org.wgan.examples.fashion.FashionClassifier");
        zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
        zip.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        zip.closeEntry();
        zip.finish();
    }
}
