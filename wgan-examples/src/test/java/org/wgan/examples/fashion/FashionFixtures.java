package org.wgan.examples.fashion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.wgan.core.data.FashionMnist;

/**
 * What the Fashion-MNIST tests share, built once per test JVM: the data set, and a small classifier trained for 1
 * epoch on the first {@value #TRAINING_IMAGES} training images (seconds, where the default classifier takes minutes).
 */
final class FashionFixtures {

    static final int TRAINING_IMAGES = 2_000;
    static final long SEED = 1;

    /** The small classifier, the cache file it was written to, and what its training logged. */
    record Trained(FashionClassifier classifier, Path cacheFile, List<String> log) {
    }

    private static FashionMnist data;
    private static Trained small;

    private FashionFixtures() {
    }

    /** Skips the calling test where Debian's dataset-fashion-mnist package is not installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(FashionMnist.isAvailable(FashionMnist.DEFAULT_DIRECTORY), "Fashion-MNIST is not in "
                + FashionMnist.DEFAULT_DIRECTORY + "; apt-get install dataset-fashion-mnist");
    }

    static synchronized FashionMnist data() {
        if (data == null) {
            try {
                data = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return data;
    }

    static synchronized Trained smallClassifier() {
        if (small == null) {
            try {
                Path folder = Files.createTempDirectory("fashion-classifier-test");
                Path cache = folder.resolve("classifier.zip");
                folder.toFile().deleteOnExit();
                cache.toFile().deleteOnExit();
                List<String> log = new ArrayList<>();
                FashionClassifier classifier = FashionClassifier.loadOrTrain(data(), TRAINING_IMAGES, cache, SEED, 1,
                        log::add);
                small = new Trained(classifier, cache, List.copyOf(log));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return small;
    }
}
