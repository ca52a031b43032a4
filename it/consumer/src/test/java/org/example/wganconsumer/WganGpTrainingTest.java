package org.example.wganconsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.TrainingSummary;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.losses.Objectives;

/** Trains a WGAN-GP through the published artifacts only, as a project that depends on wgan would. */
class WganGpTrainingTest {

    @Test
    void trainsTenWganGpStepsWithFiniteLosses() {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                Mlp.builder().sizes(2, 32, 32, 2).updater(Optimizers.wganGp()).seed(1).build());
        MultiLayerCritic critic = MultiLayerCritic.of(
                Mlp.builder().sizes(2, 32, 32, 1).updater(Optimizers.wganGp()).seed(2).build());
        List<GeneratorStepEvent> steps = new ArrayList<>();

        TrainingSummary summary = WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.gradientPenalty(10))
                .criticStepsPerGeneratorStep(5)
                .batchSize(32)
                .realSamples(ToyDatasets.eightGaussians())
                .maxGeneratorSteps(10)
                .seed(1)
                .listener(new TrainerListener() {
                    @Override
                    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                        steps.add(event);
                    }
                })
                .build()
                .fit();

        assertEquals(10, summary.generatorSteps());
        assertEquals(50, summary.criticUpdates());
        assertEquals(10, steps.size());
        for (GeneratorStepEvent step : steps) {
            assertTrue(Double.isFinite(step.criticLoss()), () -> "critic loss at " + step);
            assertTrue(Double.isFinite(step.generatorLoss()), () -> "generator loss at " + step);
            assertTrue(Double.isFinite(step.penalty()) && step.penalty() >= 0, () -> "penalty at " + step);
        }
        assertTrue(Double.isFinite(summary.lastCriticLoss()), summary::toString);
        assertTrue(Double.isFinite(summary.lastGeneratorLoss()), summary::toString);
    }

    @Test
    void bomPinsTheNd4jAndDl4jTheLibrariesWereBuiltWith() throws IOException {
        String expected = System.getProperty("expected.dl4j.version");
        assertNotNull(expected, "expected.dl4j.version (set by the build)");
        assertEquals(expected, versionOf("org.nd4j", "nd4j-api"));
        assertEquals(expected, versionOf("org.nd4j", "nd4j-native"));
        assertEquals(expected, versionOf("org.deeplearning4j", "deeplearning4j-nn"));
    }

    private static String versionOf(String groupId, String artifactId) throws IOException {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = WganGpTrainingTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, () -> resource + " is not on the class path");
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
