package org.wgan.core.training;

/**
 * What {@link Trainer#restore(org.wgan.core.checkpoint.Checkpoint, RestoreMode)} and
 * {@link Trainer#resumeFromLatest(RestoreMode)} require of a checkpoint's settings. The networks' architectures,
 * parameter and optimizer-state sizes and data types, and every participant's arrays must fit in either mode.
 */
public enum RestoreMode {

    /**
     * The default: the settings an exact resume depends on (objective, constraint, critic schedule, batch size,
     * latent sampler, seed) must be those the checkpoint was written with, and every array of the checkpoint must
     * belong to a participant. Otherwise the restore is refused, listing each difference with both values.
     */
    REQUIRE_SAME_SETTINGS,

    /**
     * Continue deliberately under changed settings (another batch size, a new seed, a participant dropped): the
     * differences are logged as a warning and the run goes on with this trainer's settings, from the checkpoint's
     * networks, counters, random state and participants' arrays. Arrays that no participant restores are left
     * out. The structure must still fit.
     */
    ALLOW_CHANGED_SETTINGS
}
