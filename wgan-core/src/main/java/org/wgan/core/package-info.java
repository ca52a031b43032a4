/**
 * The core API: {@link org.wgan.core.Critic}, {@link org.wgan.core.Generator}, the {@link org.wgan.core.Trainer}
 * and its standard implementation {@link org.wgan.core.WganTrainer} (start with {@code WganTrainer.builder()}),
 * critic schedules and optimizer presets ({@link org.wgan.core.Optimizers}). Checkpoints and resuming are in
 * {@link org.wgan.core.checkpoint}.
 */
package org.wgan.core;
