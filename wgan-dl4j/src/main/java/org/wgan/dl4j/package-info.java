/**
 * Adapters over DL4J networks: {@link org.wgan.dl4j.MultiLayerCritic} and
 * {@link org.wgan.dl4j.MultiLayerGenerator} wrap a {@code MultiLayerNetwork}, which keeps its own updater.
 */
package org.wgan.dl4j;
