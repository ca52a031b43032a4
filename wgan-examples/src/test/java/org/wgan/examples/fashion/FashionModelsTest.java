package org.wgan.examples.fashion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.losses.Objectives;

class FashionModelsTest {

    private static final int WIDTH = 4;

    @Test
    void generatorMapsLatentVectorsToImagesInMinusOneToOne() {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                FashionModels.generator(1, FashionModels.LATENT_SIZE, WIDTH, Optimizers.wganGp()));
        INDArray images = generator.generate(LatentSamplers.gaussian(FashionModels.LATENT_SIZE).sample(3,
                new Random(1)));

        assertThat(images.shape()).containsExactly(3, 1, 28, 28);
        assertThat(images.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
        assertThat(images.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1.0);
    }

    @Test
    void criticScoresImagesAndTakesTheExactGradientPenalty() {
        MultiLayerCritic critic = MultiLayerCritic.of(FashionModels.critic(2, WIDTH, Optimizers.wganGp()));

        assertThat(critic.score(Nd4j.rand(DataType.FLOAT, 5, 1, 28, 28)).shape()).containsExactly(5, 1);
        LipschitzConstraints.gradientPenalty(10).validate(critic); // throws for layers it cannot differentiate twice
    }

    @Test
    void trainingUpdatesTheBatchNormRunningStatisticsThatSamplingUses() {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                FashionModels.generator(1, FashionModels.LATENT_SIZE, WIDTH, Optimizers.wganGp()));
        MultiLayerCritic critic = MultiLayerCritic.of(FashionModels.critic(2, WIDTH, Optimizers.wganGp()));
        Layer batchNorm = generator.network().getLayer(1);
        INDArray before = batchNorm.getParam("mean").dup();

        WganTrainer.builder().generator(generator).critic(critic).objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.gradientPenalty(10)).batchSize(8).criticStepsPerGeneratorStep(1)
                .realSamples((batch, random) -> Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28)).build().step();

        assertThat(batchNorm.getParam("mean")).isNotEqualTo(before);
        assertThat(batchNorm.getParam("mean").amaxNumber().doubleValue()).isGreaterThan(0);
    }
}
