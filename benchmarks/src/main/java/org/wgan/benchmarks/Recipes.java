package org.wgan.benchmarks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.SampleSource;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.GraphCritic;
import org.wgan.dl4j.GraphGenerator;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.models.ResNetCritic;
import org.wgan.dl4j.models.ResNetGenerator;
import org.wgan.dl4j.models.ResNetSpec;
import org.wgan.examples.fashion.FashionModels;
import org.wgan.losses.Objectives;

/** The training recipes the benchmarks and the memory probe run, built the same way for both. */
final class Recipes {

    /** Batch size of the Fashion-MNIST recipe. */
    static final int FASHION_BATCH_SIZE = 64;
    /** Batch size of the ResNet recipe (the WGAN-GP paper's CIFAR-10 batch). */
    static final int RESNET_BATCH_SIZE = 64;

    private Recipes() {
    }

    /**
     * The WGAN-GP authors' toy recipe: 2-512-512-512 ReLU generator and critic, Adam (1e-4, 0.5, 0.9), penalty
     * weight 0.1, 5 critic steps, 8 Gaussians.
     */
    static WganTrainer toyWganGp(int batchSize) {
        return toyWganGpBuilder(batchSize).build();
    }

    /** {@link #toyWganGp}'s builder, for a benchmark that adds listeners. */
    static WganTrainer.Builder toyWganGpBuilder(int batchSize) {
        return WganTrainer.builder()
                .generator(MultiLayerGenerator.of(Mlp.builder().sizes(2, 512, 512, 512, 2).seed(1)
                        .updater(Optimizers.adam(1e-4, 0.5, 0.9)).build()))
                .critic(MultiLayerCritic.of(Mlp.builder().sizes(2, 512, 512, 512, 1).seed(2)
                        .updater(Optimizers.adam(1e-4, 0.5, 0.9)).build()))
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.gradientPenalty(0.1))
                .realSamples(ToyDatasets.eightGaussians())
                .batchSize(batchSize);
    }

    /**
     * The Fashion-MNIST WGAN-GP example (`FashionGan --objective WGAN_GP`): the {@link FashionModels} critic and
     * generator at {@code width}, Adam (1e-4, 0, 0.9) for both, penalty weight 10, 5 critic steps, batch 64, latent
     * N(0, I) of 64; real batches are blocks of a fixed pool of random images in [-1, 1] (the values do not change
     * the work).
     */
    static WganTrainer fashionWganGp(int width) {
        INDArray pool = Nd4j.rand(DataType.FLOAT, 8L * FASHION_BATCH_SIZE, 1, 28, 28).muli(2).subi(1);
        return WganTrainer.builder()
                .generator(MultiLayerGenerator.of(FashionModels.generator(1, FashionModels.LATENT_SIZE, width,
                        Optimizers.wganGp())))
                .critic(MultiLayerCritic.of(FashionModels.critic(2, width, Optimizers.wganGp())))
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.gradientPenalty(10.0))
                .criticStepsPerGeneratorStep(5)
                .latentSampler(LatentSamplers.gaussian(FashionModels.LATENT_SIZE))
                .realSamples(blocksOf(pool))
                .batchSize(FASHION_BATCH_SIZE)
                .seed(1)
                .build();
    }

    /**
     * The WGAN-GP paper's CIFAR-10 ResNet ({@code gan_cifar_resnet.py}; {@link ResNetSpec#cifar10()} at width
     * {@code width}, the paper's DIM: {@link ResNetGenerator} seeded 1, {@link ResNetCritic} seeded 2) on 32x32x3
     * images, Adam (1e-4, 0, 0.9) for both, penalty weight 10, 5 critic steps, batch 64, latent N(0, I) of 128;
     * real batches are blocks of a fixed pool of random images in [-1, 1], as in {@link #fashionWganGp}.
     */
    static WganTrainer resnetWganGp(int width) {
        return resnetWganGp(ResNetSpec.cifar10().withWidth(width));
    }

    /**
     * {@link #resnetWganGp(int)} on {@code spec}'s images: with {@link ResNetSpec#fashionMnist()}, the recipe of
     * {@code FashionGan --model RESNET} (28x28x1).
     */
    static WganTrainer resnetWganGp(ResNetSpec spec) {
        INDArray pool = Nd4j.rand(DataType.FLOAT, 8L * RESNET_BATCH_SIZE, spec.channels(), spec.imageSize(),
                spec.imageSize()).muli(2).subi(1);
        return WganTrainer.builder()
                .generator(GraphGenerator.of(ResNetGenerator.of(spec)))
                .critic(GraphCritic.of(ResNetCritic.of(spec)))
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.gradientPenalty(10.0))
                .criticStepsPerGeneratorStep(5)
                .latentSampler(LatentSamplers.gaussian(spec.latentSize()))
                .realSamples(blocksOf(pool))
                .batchSize(RESNET_BATCH_SIZE)
                .seed(1)
                .build();
    }

    /** A batch of {@code [batch, c, h, w]} images: the block of {@code pool} at a random multiple of the batch. */
    private static SampleSource blocksOf(INDArray pool) {
        int rows = Math.toIntExact(pool.size(0));
        return (batch, random) -> {
            long from = (long) random.nextInt(rows / batch) * batch;
            return pool.get(NDArrayIndex.interval(from, from + batch), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
        };
    }
}
