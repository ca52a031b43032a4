package org.wgan.core.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgan.core.TrainableNetwork;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointMismatchException;
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
 *
 * <p>A restore checks everything before it writes anything: both networks' architectures (their parameter blocks,
 * recorded in the metadata key {@code <role>.parameterBlocks}), parameter and optimizer-state lengths and data
 * types and update counts, every participant's arrays, and the settings an exact resume depends on (metadata keys
 * {@code setting.<name>}). Every difference goes into one {@link CheckpointMismatchException}. Checkpoints written
 * before those keys existed are restored with the checks their arrays allow (lengths and data types), and a
 * warning names what could not be compared.
 */
final class TrainerCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerCheckpoints.class);
    private static final String BLOCKS = ".parameterBlocks";
    private static final String SETTING = "setting.";

    private final TrainerConfig config;
    private final TrainingState state;
    private final List<CheckpointParticipant> participants;
    private long lastSavedStep = -1;

    TrainerCheckpoints(TrainerConfig config, TrainingState state) {
        this.config = config;
        this.state = state;
        List<CheckpointParticipant> all = new ArrayList<>();
        // a network with state of its own (a spectrally normalised critic's vectors) takes part without being asked
        for (Object network : List.of(config.generator(), config.critic())) {
            if (network instanceof CheckpointParticipant participant
                    && !config.checkpoints().participants().contains(participant)) {
                all.add(participant);
            }
        }
        all.addAll(config.checkpoints().participants());
        this.participants = List.copyOf(all);
    }

    /** The registered participants, and the generator and critic when they are participants themselves. */
    private List<CheckpointParticipant> participants() {
        return participants;
    }

    /** A copy of the networks, counters, random state and participants' arrays. */
    Checkpoint snapshot() {
        Map<String, INDArray> arrays = new HashMap<>();
        for (CheckpointParticipant participant : participants()) {
            participant.checkpointArrays().forEach((name, array) -> arrays.put(name, array.dup()));
        }
        Map<String, String> metadata = new HashMap<>();
        metadata.put("settings", config.describe());
        metadata.put("written", Instant.now().toString());
        metadata.put("generator" + BLOCKS, parameterBlocks(config.generator()));
        metadata.put("critic" + BLOCKS, parameterBlocks(config.critic()));
        settings(config).forEach((name, value) -> metadata.put(SETTING + name, value));
        return new Checkpoint(state.generatorStep(), state.criticUpdates(), Checkpoint.serialize(state.random()),
                NetworkSnapshot.of(config.generator()), NetworkSnapshot.of(config.critic()), arrays, metadata);
    }

    /**
     * Checks the checkpoint against this trainer, then overwrites the networks, counters, random state and
     * participants' arrays with its own. When the checks fail, or a network refuses its update count, nothing
     * has changed.
     *
     * @throws CheckpointMismatchException listing every difference (the settings' only in
     *                                     {@link RestoreMode#REQUIRE_SAME_SETTINGS})
     */
    void restore(Checkpoint checkpoint, RestoreMode mode) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(mode, "mode");
        List<String> refused = new ArrayList<>();
        Random restoredRandom = null;
        try {
            restoredRandom = checkpoint.random();
        } catch (IllegalStateException e) {
            refused.add(e.getMessage());
        }
        List<String> notRecorded = new ArrayList<>();
        compareNetwork(checkpoint, checkpoint.generator(), config.generator(), "generator", refused, notRecorded);
        compareNetwork(checkpoint, checkpoint.critic(), config.critic(), "critic", refused, notRecorded);
        for (CheckpointParticipant participant : participants()) {
            refused.addAll(participant.checkpointMismatches(checkpoint.arrays()));
        }
        List<String> changed = changedSettings(checkpoint, notRecorded);
        boolean strict = mode == RestoreMode.REQUIRE_SAME_SETTINGS;
        if (strict) {
            refused.addAll(changed);
        }
        if (!refused.isEmpty()) {
            String hint = strict && !changed.isEmpty() ? " (to continue under changed settings on purpose, restore"
                    + " with RestoreMode.ALLOW_CHANGED_SETTINGS)" : "";
            throw new CheckpointMismatchException("checkpoint of generator step " + checkpoint.generatorStep()
                    + " does not fit this trainer; nothing was restored" + hint, refused);
        }
        if (!changed.isEmpty()) {
            LOG.warn("resuming generator step {} under changed settings: {}", checkpoint.generatorStep(),
                    String.join("; ", changed));
        }
        if (!notRecorded.isEmpty()) {
            LOG.warn("checkpoint of generator step {} records no {} (written by an earlier version): those were not"
                    + " compared, only the arrays' lengths and data types", checkpoint.generatorStep(), notRecorded);
        }
        apply(checkpoint, restoredRandom);
    }

    /** Writes a checkpoint that {@link #restore} has checked; only a network's own update-count rule can fail. */
    private void apply(Checkpoint checkpoint, Random restoredRandom) {
        TrainableNetwork generator = config.generator();
        long generatorCount = generator.updateCount();
        generator.restoreUpdateCount(checkpoint.generator().updateCount());
        try {
            config.critic().restoreUpdateCount(checkpoint.critic().updateCount());
        } catch (RuntimeException e) {
            generator.restoreUpdateCount(generatorCount);
            throw e;
        }
        checkpoint.generator().restoreInto(generator, "generator");
        checkpoint.critic().restoreInto(config.critic(), "critic");
        for (CheckpointParticipant participant : participants()) {
            participant.restoreCheckpointArrays(checkpoint.arrays());
        }
        state.resume(checkpoint.generatorStep(), checkpoint.criticUpdates(), restoredRandom);
        lastSavedStep = state.generatorStep();
    }

    private static void compareNetwork(Checkpoint checkpoint, NetworkSnapshot saved, TrainableNetwork network,
            String role, List<String> differences, List<String> notRecorded) {
        String savedBlocks = checkpoint.metadata().get(role + BLOCKS);
        if (savedBlocks == null) {
            notRecorded.add(role + " architecture");
        } else {
            String liveBlocks = parameterBlocks(network);
            if (!savedBlocks.equals(liveBlocks)) {
                differences.add(role + " architecture: checkpoint has parameter blocks " + savedBlocks + ", this "
                        + role + " " + liveBlocks);
            }
        }
        differences.addAll(saved.mismatches(network, role));
    }

    /** The settings that differ from the checkpoint's, and arrays of the checkpoint no participant restores. */
    private List<String> changedSettings(Checkpoint checkpoint, List<String> notRecorded) {
        List<String> out = new ArrayList<>();
        settings(config).forEach((name, live) -> {
            String saved = checkpoint.metadata().get(SETTING + name);
            if (saved == null) {
                notRecorded.add(name);
            } else if (!saved.equals(live)) {
                out.add(name + ": checkpoint " + saved + ", this trainer " + live);
            }
        });
        Set<String> restored = new HashSet<>();
        participants().forEach(p -> restored.addAll(p.checkpointArrays().keySet()));
        Set<String> unclaimed = new TreeSet<>(checkpoint.arrays().keySet());
        unclaimed.removeAll(restored);
        if (!unclaimed.isEmpty()) {
            out.add("checkpoint arrays " + unclaimed + " belong to no checkpoint participant of this trainer and"
                    + " would not be restored");
        }
        return out;
    }

    /**
     * The settings an exact resume depends on, by name, as the checkpoint's metadata records them. Not among
     * them: {@code maxGeneratorSteps} (a resumed run may train longer), the listeners, the real samples.
     */
    private static Map<String, String> settings(TrainerConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("objective", config.objective().name());
        out.put("constraint", text(config.constraint()));
        out.put("criticSchedule", text(config.criticSchedule()));
        out.put("batchSize", Integer.toString(config.batchSize()));
        out.put("latent", text(config.latentSampler()));
        out.put("seed", Long.toString(config.seed()));
        return out;
    }

    /** A part's settings as text; a part without its own {@code toString} by its class alone (not its identity). */
    private static String text(Object part) {
        String text = part.toString();
        String type = part.getClass().getName();
        if (!text.equals(type + "@" + Integer.toHexString(part.hashCode()))) {
            return text;
        }
        int lambda = type.indexOf("$$Lambda");
        return lambda < 0 ? type : type.substring(0, lambda + "$$Lambda".length());
    }

    /** A network's architecture as its parameter blocks: {@code 0:W[2,16] 0:b[1,16] 1:W[16,1] 1:b[1,1]}. */
    private static String parameterBlocks(TrainableNetwork network) {
        return network.parameterBlocks().stream()
                .map(b -> b.layerIndex() + ":" + b.name() + Arrays.toString(b.view().shape()).replace(" ", ""))
                .collect(Collectors.joining(" "));
    }

    /**
     * Restores the newest readable checkpoint of the configured store, if there is one.
     *
     * @return the generator step resumed at, or empty when the store holds no checkpoint (nothing changes)
     * @throws IllegalStateException       if no checkpoint store is configured
     * @throws UncheckedIOException        if checkpoints exist but none can be read
     * @throws CheckpointMismatchException if the newest does not fit (nothing changes; older ones are not tried)
     */
    OptionalLong resumeFromLatest(RestoreMode mode) {
        Objects.requireNonNull(mode, "mode");
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
        latest.ifPresent(checkpoint -> restore(checkpoint, mode));
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
