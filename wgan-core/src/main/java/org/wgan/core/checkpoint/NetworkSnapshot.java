package org.wgan.core.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.TrainableNetwork;
import org.wgan.core.internal.Checks;

/**
 * A copy of one network's training state.
 *
 * @param parameters     the flattened parameters, {@code [numParameters]}
 * @param optimizerState the flattened optimizer state (empty when the optimizer keeps none)
 * @param updateCount    optimizer updates applied so far
 */
public record NetworkSnapshot(INDArray parameters, INDArray optimizerState, long updateCount) {

    public NetworkSnapshot {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(optimizerState, "optimizerState");
        Checks.atLeast("updateCount", updateCount, 0);
    }

    /** Copies the network's current state (the arrays are duplicated, not shared). */
    public static NetworkSnapshot of(TrainableNetwork network) {
        return new NetworkSnapshot(network.parameters().dup(), network.optimizerState().dup(),
                network.updateCount());
    }

    /**
     * How this state differs from what {@code network} can take, if it does: the parameters' and the optimizer
     * state's lengths and data types, and the update count against {@link TrainableNetwork#maxUpdateCount()}.
     * The architecture itself (the parameter blocks' shapes) is not in a snapshot; the trainer compares it from
     * the checkpoint's metadata.
     *
     * @param role names the network in the differences ("critic", "generator")
     * @return one sentence per difference, naming both values; empty when the state fits
     */
    public List<String> mismatches(TrainableNetwork network, String role) {
        List<String> out = new ArrayList<>();
        String owner = "this " + role;
        SavedArrays.lengthMismatch(parameters, network.parameters(), role + " parameters", owner).ifPresent(out::add);
        SavedArrays.lengthMismatch(optimizerState, network.optimizerState(), role + " optimizer state", owner)
                .ifPresent(out::add);
        if (updateCount > network.maxUpdateCount()) {
            out.add(role + " update count: checkpoint has " + updateCount + ", " + owner + " counts at most "
                    + network.maxUpdateCount());
        }
        return out;
    }

    /**
     * Writes this state into a network of the same architecture: checks everything first
     * ({@link #mismatches}), then sets the update count, then copies the arrays. On any exception the network
     * is as it was.
     *
     * @param role names the network in messages ("critic", "generator")
     * @throws CheckpointMismatchException   listing every difference {@link #mismatches} finds
     * @throws UnsupportedOperationException if the network cannot restore its update count
     */
    public void restoreInto(TrainableNetwork network, String role) {
        List<String> differences = mismatches(network, role);
        if (!differences.isEmpty()) {
            throw new CheckpointMismatchException("checkpoint does not fit this " + role + "; nothing was restored",
                    differences);
        }
        network.restoreUpdateCount(updateCount);
        SavedArrays.copy(parameters, network.parameters(), role + " parameters");
        SavedArrays.copy(optimizerState, network.optimizerState(), role + " optimizer state");
        network.parametersChanged();
    }
}
