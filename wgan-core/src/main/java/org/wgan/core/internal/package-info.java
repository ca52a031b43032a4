/**
 * Not API: the pieces behind {@link org.wgan.core.WganTrainer} and the checks every module shares. The trainer's
 * public face stays in {@code org.wgan.core}; here its jobs are split one per class:
 * {@link org.wgan.core.internal.TrainingLoop} (critic and generator updates, {@code fit}),
 * {@link org.wgan.core.internal.TrainerCheckpoints} (writing, restoring and resuming checkpoints),
 * {@link org.wgan.core.internal.TrainingState} (the counters and the random source they share),
 * {@link org.wgan.core.internal.ListenerDispatch} (notifying listeners, stop requests) and
 * {@link org.wgan.core.internal.Batches} (the array plumbing between data, networks and objective).
 * {@link org.wgan.core.internal.Checks} words every "must be" check the same way. Anything here may change without
 * notice.
 */
package org.wgan.core.internal;
