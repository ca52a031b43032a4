/**
 * The image example: DCGAN-style WGAN-GP and its cross-entropy baseline on Fashion-MNIST. Start with
 * {@link org.wgan.examples.fashion.FashionGan}, the main (its options), and
 * {@link org.wgan.examples.fashion.FashionTraining}, the training it runs (checkpoints, {@code --resume}, sample
 * grids, the training plot); the models are in {@link org.wgan.examples.fashion.FashionModels}. The Frechet-distance
 * evaluation, {@link org.wgan.examples.fashion.FashionEvaluation}, works in the feature space of the project's own
 * classifier, {@link org.wgan.examples.fashion.FashionClassifier}, trained once and kept in a cache file.
 */
package org.wgan.examples.fashion;
