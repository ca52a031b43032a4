/**
 * Runnable examples. {@link org.wgan.examples.EightGaussians} is the main one: a weight-clipped WGAN on the
 * 8-Gaussians toy data with mode-coverage metrics and a PNG scatter.
 */
package org.wgan.examples;
