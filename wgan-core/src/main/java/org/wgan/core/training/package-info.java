/**
 * The trainer: {@link org.wgan.core.training.WganTrainer} (start with {@code WganTrainer.builder()}), the
 * {@link org.wgan.core.training.Trainer} interface it implements, its immutable
 * {@link org.wgan.core.training.TrainerConfig}, the {@link org.wgan.core.training.CriticSchedule} and the
 * {@link org.wgan.core.training.TrainingSummary} that {@code fit()} returns, and the
 * {@link org.wgan.core.training.RestoreMode} of a restore (the same settings, or deliberately changed ones).
 *
 * <p>Behind {@code WganTrainer}, one package-private class per job: {@code TrainingLoop} (the critic and generator
 * updates, {@code fit}), {@code TrainerCheckpoints} (snapshot, restore, resume, the writes the policy asks for),
 * {@code TrainingState} (the counters and the random source), {@code ListenerDispatch} (notifying listeners, stop
 * requests) and {@code Batches} (casts, shapes and row ranges between data, networks and objective).
 */
package org.wgan.core.training;
