/**
 * The core API: {@link org.wgan.core.Critic}, {@link org.wgan.core.Generator}, the {@link org.wgan.core.Trainer}
 * and its standard implementation {@link org.wgan.core.WganTrainer} (start with {@code WganTrainer.builder()}),
 * its immutable {@link org.wgan.core.TrainerConfig} and critic schedules. Checkpoints and resuming are in
 * {@link org.wgan.core.checkpoint}. This module depends on {@code nd4j-api} only: the DL4J adapters
 * ({@code MultiLayerCritic}, {@code MultiLayerGenerator}, {@code Mlp}, {@code Optimizers}) are in module
 * {@code wgan-dl4j}.
 */
package org.wgan.core;
