package org.wgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.core.data.FashionMnist;

/**
 * The default classifier ({@link FashionClassifier#DEFAULT_EPOCHS} epochs on all 60,000 training images, seed 1),
 * trained from scratch: measured at test accuracy MEASURED. Takes about MINUTES minutes on 2 cores. Run with
 * {@code mvn -B test -Pslow -pl wgan-examples -am -Dtest=FashionClassifierAccuracyTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class FashionClassifierAccuracyTest {

    @Test
    void defaultClassifierReachesTheMeasuredTestAccuracy(@TempDir Path folder) {
        FashionFixtures.assumeInstalled();
        FashionMnist data = FashionFixtures.data();
        List<String> log = new ArrayList<>();

        FashionClassifier classifier = FashionClassifier.loadOrTrain(data, folder.resolve("classifier.zip"),
                log::add);

        log.forEach(System.out::println);
        assertThat(classifier.testAccuracy()).isGreaterThanOrEqualTo(0.90);
        assertThat(classifier.accuracy(data.images(FashionMnist.Split.TEST), data.labels(FashionMnist.Split.TEST)))
                .isEqualTo(classifier.testAccuracy());
    }
}
