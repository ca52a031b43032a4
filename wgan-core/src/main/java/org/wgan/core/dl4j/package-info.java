/**
 * Adapters over DL4J networks: {@link org.wgan.core.dl4j.MultiLayerCritic} and
 * {@link org.wgan.core.dl4j.MultiLayerGenerator} wrap a {@code MultiLayerNetwork}, which keeps its own updater.
 */
package org.wgan.core.dl4j;
