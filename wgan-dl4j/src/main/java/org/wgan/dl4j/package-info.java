/**
 * Adapters that let {@code WganTrainer} train DL4J networks. {@link org.wgan.dl4j.MultiLayerCritic} and
 * {@link org.wgan.dl4j.MultiLayerGenerator} wrap an initialised {@code MultiLayerNetwork}, which keeps its own
 * updater as the optimizer; the critic is twice differentiable (for the gradient penalty) when its layers are ones the
 * engine runs, and {@code MultiLayerCritic.withSpectralNormalization(network)} normalises its weights spectrally.
 * {@link org.wgan.dl4j.GraphCritic} and {@link org.wgan.dl4j.GraphGenerator} do the same for a
 * {@code ComputationGraph} with one input and one output, whose vertices the engine runs (DL4J gives graphs no input
 * gradient), and {@code GraphCritic.withSpectralNormalization(graph)} normalises a graph critic's weights (the
 * generators' {@code withSpectralNormalization} factories do the same for generators);
 * {@link org.wgan.dl4j.models} builds the WGAN-GP paper's ResNets and the SN-GAN paper's ResNet critic for them.
 * {@link org.wgan.dl4j.Mlp} builds the dense networks of the toy recipes, {@link org.wgan.dl4j.Optimizers} gives
 * DL4J updaters with validated settings and the papers' presets, and {@link org.wgan.dl4j.GeneratorEma} keeps an
 * exponential moving average of a generator's weights to sample from.
 *
 * <p>Start with {@code MultiLayerCritic.of(network)} and {@code MultiLayerGenerator.of(network)}, passed to
 * {@code WganTrainer.builder().critic(...).generator(...)}, and {@code Mlp.builder()} for the networks. The
 * training passes themselves run in {@link org.wgan.dl4j.engine} (not API).
 */
package org.wgan.dl4j;
