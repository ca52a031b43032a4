package org.wgan.dl4j.models;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.wgan.dl4j.GraphCritic;
import org.wgan.dl4j.models.ResNetCritic.Variant;

/**
 * The SN-GAN paper's residual critic for CIFAR-10 (Miyato et al. 2018, "Spectral Normalization for Generative
 * Adversarial Networks", appendix B.4, the ResNet discriminator: ResBlock down 128, ResBlock down 128, ResBlock 128,
 * ResBlock 128, ReLU, global sum pooling, dense 1; code: {@code pfnet-research/sngan_projection},
 * {@code dis_models/snresnet_32.py} and {@code resblocks.py}), as a DL4J ComputationGraph from images
 * {@code [batch, channels, size, size]} to one score per sample {@code [batch, 1]}. Its blocks are the WGAN-GP
 * critic's ({@link ResNetCritic}; w = {@link ResNetSpec#width()}, 128 in both papers, s = the nonlinearity, ReLU in
 * both, pool = mean pooling of 2x2 squares):
 * <pre>
 *   block 1 ("OptimizedBlock(3, 128)"):  out = conv1x1(pool(x)) + pool(conv3x3(s(conv3x3(x))))          size / 2
 *   block 2 ("Block", downsample):      out = pool(conv1x1(x)) + pool(conv3x3(s(conv3x3(s(x)))))       size / 2
 *   blocks 3 and 4 ("Block"):           out = x + conv3x3(s(conv3x3(s(x))))
 *   -> s -> global SUM pooling -> dense 1 ("SNLinear(128, 1)")
 * </pre>
 * It differs from the WGAN-GP critic in three ways: the global pooling sums the last maps where WGAN-GP averages them
 * (so the dense layer sees 64 times larger inputs at 32x32, 8x8 maps), the weights start as in the SN-GAN code
 * (Chainer's {@code GlorotUniform}: {@code U(-a, a)}, {@code a = scale * sqrt(6 / (fanIn + fanOut))}, scale sqrt 2 for
 * the 3x3 convolutions, 1 for the 1x1 shortcuts and the dense layer; biases 0), and every convolution and the dense
 * layer are spectrally normalised: {@link #critic(ResNetSpec)} wraps the graph with
 * {@link GraphCritic#withSpectralNormalization(ComputationGraph, long)} (the graph itself holds the raw weights).
 * Every convolution has a bias; the dense layer has one too (the paper's table does not say; Chainer's
 * {@code SNLinear} has one by default), where {@code snresnet_32.py}, written for the conditional projection
 * discriminator, builds it with {@code nobias=True}: one parameter fewer there, and a bias cancels from the
 * Wasserstein critic loss anyway. Vertex names as in
 * {@link ResNetCritic}: {@code d1...d4} (the blocks' sums; {@code d2_conv1}, {@code d2_shortcut}, ...),
 * {@code output_pool} (the sum pooling) and {@code output}.
 *
 * <p>The engine runs every vertex, sum pooling included, so the gradient penalty composes with it (SN-GAN trained it
 * without one). The power iteration runs once per optimizer update, the paper's Algorithm 1, where the SN-GAN code's
 * Chainer links advance it at every training-mode forward pass (it scores real and fake samples in separate passes).
 *
 * <p>At SN-GAN's settings (w = 128, 32x32x3: {@link ResNetSpec#cifar10()}) it has 1,053,825 parameters, the WGAN-GP
 * critic's count: the same layers, and pooling has none.
 */
public final class SnGanCritic {

    private SnGanCritic() {
    }

    /**
     * The graph of {@code spec} (its width, images, nonlinearity, data type and updater; the generator's settings are
     * not read), initialised with {@code spec.seed() + 1}, without spectral normalisation: wrap it with
     * {@link GraphCritic#withSpectralNormalization(ComputationGraph)}, or use {@link #critic(ResNetSpec)}.
     */
    public static ComputationGraph of(ResNetSpec spec) {
        return ResNetCritic.of(spec, Variant.SN_GAN);
    }

    /**
     * The spectrally normalised critic over {@link #of(ResNetSpec)}: every convolution and the dense layer
     * normalised, the power iteration's vectors drawn from {@code spec.seed()}.
     */
    public static GraphCritic critic(ResNetSpec spec) {
        return GraphCritic.withSpectralNormalization(of(spec), spec.seed());
    }
}
