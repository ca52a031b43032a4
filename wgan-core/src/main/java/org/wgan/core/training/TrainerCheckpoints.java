package org.wgan.core.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.TrainableNetwork;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.checkpoint.CheckpointPolicy;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.checkpoint.NetworkSnapshot;
import org.wgan.core.listener.TrainingDivergedException;
import org.wgan.core.simd.FinitenessScan;

/**
 * A trainer's checkpoints: the snapshot of everything a run needs to continue exactly, its restore, and the
 * writes that {@link TrainerConfig#checkpoints()} asks for (every N generator steps and when {@code fit()} ends,
 * only while both networks' parameters and optimizer states are finite, so a diverged run never overwrites its last
 * good checkpoint).
 */
final class TrainerCheckpoints {

    private final TrainerConfig config;
    private final TrainingState state;
    private long lastSavedStep = -1;

    TrainerCheckpoints(TrainerConfig config, TrainingState state) {
        this.config = config;
        this.state = state;
    }

    /** A copy of the networks, counters, random state and participants' arrays. */
    Checkpoint snapshot() {
        Map<String, INDArray> arrays = new HashMap<>();
        for (CheckpointParticipant participant : config.checkpoints().participants()) {
            participant.checkpointArrays().forEach((name, array) -> arrays.put(name, array.dup()));
        }
        Map<String, String> metadata = Map.of("settings", config.describe(), "written", Instant.now().toString());
        return new Checkpoint(state.generatorStep(), state.criticUpdates(), Checkpoint.serialize(state.random()),
                NetworkSnapshot.of(config.generator()), NetworkSnapshot.of(config.critic()), arrays, metadata);
    }

    /** Overwrites the networks, counters, random state and participants' arrays with the checkpoint's. */
    void restore(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Random restoredRandom = checkpoint.random();
        checkpoint.generator().restoreInto(config.generator(), "generator");
        checkpoint.critic().restoreInto(config.critic(), "critic");
        for (CheckpointParticipant participant : config.checkpoints().participants()) {
            participant.restoreCheckpointArrays(checkpoint.arrays());
        }
        state.resume(checkpoint.generatorStep(), checkpoint.criticUpdates(), restoredRandom);
        lastSavedStep = state.generatorStep();
    }

    /**
     * Restores the newest readable checkpoint of the configured store, if there is one.
     *
     * @return the generator step resumed at, or empty when the store holds no checkpoint (nothing changes)
     * @throws IllegalStateException if no checkpoint store is configured
     * @throws UncheckedIOException  if checkpoints exist but none can be read
     */
    OptionalLong resumeFromLatest() {
        CheckpointStore store = config.checkpoints().store();
        if (store == null) {
            throw new IllegalStateException("no checkpoint store; call checkpoints(store, everyGeneratorSteps)"
                    + " before build()");
        }
        Optional<Checkpoint> latest;
        try {
            latest = store.latest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        latest.ifPresent(this::restore);
        return latest.map(c -> OptionalLong.of(c.generatorStep())).orElse(OptionalLong.empty());
    }

    /** Writes a checkpoint when the generator step just completed is one the policy asks for. */
    void afterGeneratorStep() {
        CheckpointPolicy policy = config.checkpoints();
        if (policy.enabled() && state.generatorStep() % policy.everyGeneratorSteps() == 0) {
            save();
        }
    }

    /** Writes a checkpoint at the end of {@code fit()} unless this step's is already on disk. */
    void afterFit() {
        if (config.checkpoints().enabled() && lastSavedStep != state.generatorStep()) {
            save();
        }
    }

    private void save() {
        requireFinite(config.critic(), "critic");
        requireFinite(config.generator(), "generator");
        try {
            config.checkpoints().store().save(snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of generator step " + state.generatorStep(),
                    e);
        }
        lastSavedStep = state.generatorStep();
    }

    /** Parameters and optimizer state: a NaN Adam moment would turn the parameters NaN at the first resumed step. */
    private void requireFinite(TrainableNetwork network, String role) {
        requireFinite(network.parameters(), "the " + role + "'s parameters are");
        requireFinite(network.optimizerState(), "the " + role + "'s optimizer state is");
    }

    private void requireFinite(INDArray array, String what) {
        if (!FinitenessScan.of(array).allFinite()) {
            long step = state.generatorStep();
            throw new TrainingDivergedException("training diverged before generator step " + step + ": " + what
                    + " not finite; the last checkpoint was kept; settings: " + config.describe(), step);
        }
    }
}
