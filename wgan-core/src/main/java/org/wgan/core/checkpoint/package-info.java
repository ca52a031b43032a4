/**
 * Checkpoints: everything a training run needs to continue exactly where it stopped. Start with
 * {@link org.wgan.core.checkpoint.CheckpointStore#in(java.nio.file.Path)} and the trainer builder's
 * {@code checkpoints(store, everyGeneratorSteps)}; {@code WganTrainer.resumeFromLatest()} continues a run.
 *
 * <p>A {@link org.wgan.core.checkpoint.Checkpoint} holds both networks' parameters, optimizer states and update
 * counters, the trainer's step counters and random state, and named arrays of
 * {@link org.wgan.core.checkpoint.CheckpointParticipant}s (a generator EMA, fixed evaluation noise). Files are
 * written to a temporary name, flushed to disk and renamed atomically, so a crash never leaves a broken file under
 * a checkpoint's name; they list the SHA-256 of every entry, and a file whose bytes changed on disk fails to read
 * with a {@link org.wgan.core.checkpoint.CorruptCheckpointException} (the store then falls back to the checkpoint
 * before it).
 *
 * <p>A restore checks a checkpoint wholly before it writes anything ({@link
 * org.wgan.core.checkpoint.NetworkSnapshot#mismatches}, {@link
 * org.wgan.core.checkpoint.CheckpointParticipant#checkpointMismatches}, and the trainer's own comparison of
 * architectures and settings): one {@link org.wgan.core.checkpoint.CheckpointMismatchException} lists every
 * difference, and nothing has changed.
 */
package org.wgan.core.checkpoint;
