package org.wgan.dl4j.models;

import java.util.Objects;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wgan.dl4j.Optimizers;

/**
 * The settings of the WGAN-GP paper's residual networks ({@link ResNetGenerator}, {@link ResNetCritic}): images
 * {@code [batch, channels, imageSize, imageSize]}, the width {@code width} (the paper's DIM: the maps of every
 * convolution but the generator's last), the latent size, and the number of the generator's upsampling blocks, which
 * fixes its base size {@code imageSize / 2^upBlocks}. The critic always halves the size twice (its first block and
 * one down block), so the image size must be divisible by 4 and by {@code 2^upBlocks}.
 *
 * @param width       maps of the residual blocks (the paper's DIM_G = DIM_D = 128), >= 1
 * @param latentSize  the generator's input size (128 in the paper), >= 1
 * @param channels    image channels (3 for CIFAR-10, 1 for Fashion-MNIST), >= 1
 * @param imageSize   image height and width, divisible by 4 and by {@code 2^upBlocks}
 * @param upBlocks    the generator's residual "up" blocks (3 for 32x32 from 4x4, 2 for 28x28 from 7x7), >= 1
 * @param nonlinearity the activation between layers: ReLU in the paper; a smooth one (softplus, ELU) for
 *                     finite-difference checks
 * @param dataType    FLOAT or DOUBLE
 * @param updater     the optimizer of both networks (each gets its own state)
 * @param seed        the weight initialisation's seed (the critic adds 1 to it)
 */
public record ResNetSpec(int width, int latentSize, int channels, int imageSize, int upBlocks,
        Activation nonlinearity, DataType dataType, IUpdater updater, long seed) {

    /** The paper's width DIM and latent size. */
    public static final int PAPER_WIDTH = 128;
    /** The paper's latent size. */
    public static final int PAPER_LATENT_SIZE = 128;
    /** Default seed of the factories. */
    public static final long DEFAULT_SEED = 1;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the setting, the rule and the value
     * @throws NullPointerException     for a null activation, data type or updater
     */
    public ResNetSpec {
        positive("width", width);
        positive("latentSize", latentSize);
        positive("channels", channels);
        positive("upBlocks", upBlocks);
        Objects.requireNonNull(nonlinearity, "nonlinearity");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(updater, "updater");
        if (upBlocks > 16) {
            throw new IllegalArgumentException("upBlocks must be <= 16, but was " + upBlocks);
        }
        if (imageSize < 4 || imageSize % 4 != 0) {
            throw new IllegalArgumentException("imageSize must be a positive multiple of 4 (the critic halves it"
                    + " twice), but was " + imageSize);
        }
        if (imageSize % (1 << upBlocks) != 0) {
            throw new IllegalArgumentException("imageSize must be divisible by 2^upBlocks = " + (1 << upBlocks)
                    + " (the generator doubles its base size upBlocks times), but was " + imageSize);
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, but was " + dataType);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, but was " + value);
        }
    }

    /**
     * The paper's CIFAR-10 model: 32x32x3, width {@value #PAPER_WIDTH}, latent {@value #PAPER_LATENT_SIZE}, 3 up
     * blocks from 4x4, ReLU, float32, {@link Optimizers#wganGp()} (Adam 1e-4, beta1 0, beta2 0.9; the paper's ResNet
     * used 2e-4 with a linear decay to 0).
     */
    public static ResNetSpec cifar10() {
        return new ResNetSpec(PAPER_WIDTH, PAPER_LATENT_SIZE, 3, 32, 3, Activation.RELU, DataType.FLOAT,
                Optimizers.wganGp(), DEFAULT_SEED);
    }

    /**
     * The 28x28x1 variant for Fashion-MNIST: as {@link #cifar10()}, but the generator starts at 7x7 and has 2 up
     * blocks (7 -> 14 -> 28; a third would need a 3.5x3.5 base), and the critic goes 28 -> 14 -> 7 and keeps its two
     * plain blocks at 7x7, the CIFAR critic's block sequence unchanged.
     */
    public static ResNetSpec fashionMnist() {
        return new ResNetSpec(PAPER_WIDTH, PAPER_LATENT_SIZE, 1, 28, 2, Activation.RELU, DataType.FLOAT,
                Optimizers.wganGp(), DEFAULT_SEED);
    }

    /** The generator's first feature maps' height and width: {@code imageSize / 2^upBlocks}. */
    public int baseSize() {
        return imageSize >> upBlocks;
    }

    /** This spec with another width. */
    public ResNetSpec withWidth(int newWidth) {
        return new ResNetSpec(newWidth, latentSize, channels, imageSize, upBlocks, nonlinearity, dataType, updater,
                seed);
    }

    /** This spec with another latent size. */
    public ResNetSpec withLatentSize(int newLatentSize) {
        return new ResNetSpec(width, newLatentSize, channels, imageSize, upBlocks, nonlinearity, dataType, updater,
                seed);
    }

    /** This spec for other images: {@code [channels, imageSize, imageSize]}, the generator with {@code upBlocks}. */
    public ResNetSpec withImages(int newChannels, int newImageSize, int newUpBlocks) {
        return new ResNetSpec(width, latentSize, newChannels, newImageSize, newUpBlocks, nonlinearity, dataType,
                updater, seed);
    }

    /** This spec with another nonlinearity. */
    public ResNetSpec withNonlinearity(Activation newNonlinearity) {
        return new ResNetSpec(width, latentSize, channels, imageSize, upBlocks, newNonlinearity, dataType, updater,
                seed);
    }

    /** This spec with another data type (FLOAT or DOUBLE). */
    public ResNetSpec withDataType(DataType newDataType) {
        return new ResNetSpec(width, latentSize, channels, imageSize, upBlocks, nonlinearity, newDataType, updater,
                seed);
    }

    /** This spec with another updater. */
    public ResNetSpec withUpdater(IUpdater newUpdater) {
        return new ResNetSpec(width, latentSize, channels, imageSize, upBlocks, nonlinearity, dataType, newUpdater,
                seed);
    }

    /** This spec with another seed. */
    public ResNetSpec withSeed(long newSeed) {
        return new ResNetSpec(width, latentSize, channels, imageSize, upBlocks, nonlinearity, dataType, updater,
                newSeed);
    }
}
