package org.wgan.core.checkpoint;

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
     * Writes this state into a network of the same architecture.
     *
     * @param role names the network in messages ("critic", "generator")
     * @throws IllegalArgumentException if the sizes or data types differ
     */
    public void restoreInto(TrainableNetwork network, String role) {
        SavedArrays.copy(parameters, network.parameters(), role + " parameters");
        SavedArrays.copy(optimizerState, network.optimizerState(), role + " optimizer state");
        network.restoreUpdateCount(updateCount);
    }
}
