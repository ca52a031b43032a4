/**
 * The toy examples: GANs on 2-D data (8 Gaussians, 25 Gaussians, the Swiss roll) that train in minutes on a laptop.
 * Start with {@link org.wgan.examples.toy.EightGaussians}, the module's main example (a weight-clipped WGAN on
 * 8 Gaussians, run by {@code mvn -f wgan-examples exec:java}), and the training it runs,
 * {@link org.wgan.examples.toy.EightGaussiansTraining}; {@link org.wgan.examples.toy.ToyGan} runs the WGAN-GP
 * authors' toy recipe through {@link org.wgan.examples.toy.ToyTraining}. Both score with
 * {@link org.wgan.examples.toy.ToyEvaluation} and draw with {@link org.wgan.examples.toy.ScatterPlot} or
 * {@link org.wgan.examples.toy.ValueSurface}.
 */
package org.wgan.examples.toy;
