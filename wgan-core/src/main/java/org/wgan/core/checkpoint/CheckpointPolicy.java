package org.wgan.core.checkpoint;

import java.util.List;
import java.util.Objects;

/**
 * When and where a trainer writes checkpoints, and what besides its own state they hold.
 *
 * @param store               where checkpoints go; null for none
 * @param everyGeneratorSteps a checkpoint after every this many generator steps (and when {@code fit()} ends)
 * @param participants        further state saved and restored with the trainer's
 */
public record CheckpointPolicy(CheckpointStore store, long everyGeneratorSteps,
        List<CheckpointParticipant> participants) {

    /** No checkpoints. */
    public static final CheckpointPolicy NONE = new CheckpointPolicy(null, Long.MAX_VALUE, List.of());

    public CheckpointPolicy {
        if (everyGeneratorSteps < 1) {
            throw new IllegalArgumentException("everyGeneratorSteps must be >= 1, but was " + everyGeneratorSteps);
        }
        participants = List.copyOf(participants);
        participants.forEach(p -> Objects.requireNonNull(p, "participant"));
    }

    /** True when checkpoints are written. */
    public boolean enabled() {
        return store != null;
    }
}
