/**
 * The models a trainer trains: {@link org.wgan.core.Critic}, {@link org.wgan.core.TwiceDifferentiableCritic} (what
 * the exact penalties need) and {@link org.wgan.core.Generator}, both {@link org.wgan.core.TrainableNetwork}s
 * whose parameters come in {@link org.wgan.core.ParameterBlock}s. Start with the trainer in
 * {@link org.wgan.core.training} ({@code WganTrainer.builder()}); constraints are in
 * {@link org.wgan.core.constraint}, objectives' interface in {@link org.wgan.core.objective}, data in
 * {@link org.wgan.core.data}, checkpoints in {@link org.wgan.core.checkpoint}, metrics in
 * {@link org.wgan.core.metrics}. This module depends on {@code nd4j-api} only: the DL4J adapters
 * ({@code MultiLayerCritic}, {@code MultiLayerGenerator}, {@code Mlp}, {@code Optimizers}) are in module
 * {@code wgan-dl4j}, the objectives in {@code wgan-losses}.
 */
package org.wgan.core;
