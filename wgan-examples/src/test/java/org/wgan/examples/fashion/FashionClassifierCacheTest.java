package org.wgan.examples.fashion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FashionClassifierCacheTest {

    private static FashionFixtures.Trained small;

    @BeforeAll
    static void trainSmallClassifier() {
        FashionFixtures.assumeInstalled();
        small = FashionFixtures.smallClassifier();
    }

    @Test
    void cacheTrainedWithOtherSettingsIsNotUsed() {
        List<String> log = new ArrayList<>();
        FashionClassifier.Settings otherSeed = new FashionClassifier.Settings(FashionClassifier.ARCHITECTURE_VERSION,
                2, 1, FashionFixtures.TRAINING_IMAGES);

        FashionClassifier cached = FashionClassifierCache.read(small.cacheFile(), otherSeed, log::add);

        assertThat(cached).isNull();
        assertThat(log).singleElement().asString().contains(small.cacheFile().toString())
                .contains("holds architecture v1, seed 1, 1 epochs on 2,000 training images")
                .contains("not architecture v1, seed 2").endsWith("retraining");
    }
}
