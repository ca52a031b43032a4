/**
 * Evaluation metrics: exact 1-D and discrete Wasserstein-1, sliced Wasserstein
 * ({@link org.wgan.core.metrics.WassersteinDistances}) and mode coverage of Gaussian mixtures
 * ({@link org.wgan.core.metrics.MixtureMetrics}).
 */
package org.wgan.core.metrics;
