/**
 * The image example: DCGAN-style WGAN-GP and its cross-entropy baseline on Fashion-MNIST. Start with
 * {@link org.wgan.examples.fashion.FashionGan} (the main, with checkpoints and {@code --resume}); the models are in
 * {@link org.wgan.examples.fashion.FashionModels}, and the Frechet-distance evaluation over the features of the
 * project's own classifier in {@link org.wgan.examples.fashion.FashionEvaluation} and
 * {@link org.wgan.examples.fashion.FashionClassifier}.
 */
package org.wgan.examples.fashion;
