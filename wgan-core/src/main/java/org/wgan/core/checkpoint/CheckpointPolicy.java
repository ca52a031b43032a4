package org.wgan.core.checkpoint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wgan.core.internal.Checks;

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

    /**
     * Checks the interval and the participants.
     *
     * @throws IllegalArgumentException if everyGeneratorSteps is below 1
     * @throws IllegalStateException    if there are participants but no store, or two participants use one array
     *                                  name
     */
    public CheckpointPolicy {
        Checks.atLeast("everyGeneratorSteps", everyGeneratorSteps, 1);
        participants = List.copyOf(participants);
        participants.forEach(p -> Objects.requireNonNull(p, "participant"));
        if (store == null && !participants.isEmpty()) {
            throw new IllegalStateException("checkpoint participants were added but no checkpoint store; call"
                    + " checkpoints(store, everyGeneratorSteps) before build()");
        }
        requireUniqueArrayNames(participants);
    }

    private static void requireUniqueArrayNames(List<CheckpointParticipant> participants) {
        Map<String, CheckpointParticipant> owners = new HashMap<>();
        for (CheckpointParticipant participant : participants) {
            for (String name : participant.checkpointArrays().keySet()) {
                CheckpointParticipant other = owners.putIfAbsent(name, participant);
                if (other != null) {
                    throw new IllegalStateException("checkpoint array name '" + name + "' is used by both "
                            + other + " and " + participant + "; names must be unique");
                }
            }
        }
    }

    /** True when checkpoints are written. */
    public boolean enabled() {
        return store != null;
    }
}
