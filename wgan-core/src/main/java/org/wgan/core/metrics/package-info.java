/**
 * Evaluation metrics: exact 1-D and discrete Wasserstein-1, sliced Wasserstein
 * ({@link org.wgan.core.metrics.WassersteinDistances}), mode coverage of Gaussian mixtures
 * ({@link org.wgan.core.metrics.MixtureMetrics}), the Frechet distance between Gaussians fitted to feature sets
 * (FID when the features come from a classifier; {@link org.wgan.core.metrics.FrechetDistance}) and the spread of the
 * classes a classifier predicts for generated samples ({@link org.wgan.core.metrics.ClassHistogram}).
 */
package org.wgan.core.metrics;
