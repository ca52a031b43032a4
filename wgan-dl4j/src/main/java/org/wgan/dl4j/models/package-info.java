/**
 * Ready-made DL4J networks from the papers, as {@code ComputationGraph}s for {@link org.wgan.dl4j.GraphGenerator}
 * and {@link org.wgan.dl4j.GraphCritic}: the residual generator and critic of the WGAN-GP paper (Gulrajani et al.
 * 2017, {@code gan_cifar_resnet.py}) for 32x32 CIFAR-10 images and a 28x28 Fashion-MNIST variant, and the SN-GAN
 * paper's residual critic (Miyato et al. 2018), spectrally normalised.
 *
 * <p>Start with {@link org.wgan.dl4j.models.ResNetSpec#cifar10()} or
 * {@link org.wgan.dl4j.models.ResNetSpec#fashionMnist()}, then {@link org.wgan.dl4j.models.ResNetGenerator#of} and
 * {@link org.wgan.dl4j.models.ResNetCritic#of}, or {@link org.wgan.dl4j.models.SnGanCritic#critic} for the SN-GAN
 * critic.
 */
package org.wgan.dl4j.models;
