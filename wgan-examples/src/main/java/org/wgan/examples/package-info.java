/**
 * Runnable examples. {@link org.wgan.examples.EightGaussians} is the main one: a weight-clipped WGAN on the
 * 8-Gaussians toy data with mode-coverage metrics and a PNG scatter. {@link org.wgan.examples.FashionGan} is the
 * image example: DCGAN-style WGAN-GP and its cross-entropy baseline on Fashion-MNIST ({@link
 * org.wgan.examples.FashionModels}), with checkpoints, {@code --resume} and a Frechet-distance evaluation over the
 * features of the project's own classifier ({@link org.wgan.examples.FashionClassifier},
 * {@link org.wgan.examples.FashionEvaluation}). {@link org.wgan.examples.ToyGan} runs the WGAN-GP authors' toy
 * recipe; the didactic demos show why the Wasserstein distance helps.
 */
package org.wgan.examples;
