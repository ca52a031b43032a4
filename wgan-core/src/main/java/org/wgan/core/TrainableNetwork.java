package org.wgan.core;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network the trainer updates: a flattened parameter vector, a flattened gradient of the same length, and
 * its own optimizer (RMSProp, Adam, ...) whose state it keeps between updates.
 *
 * <p>The critic and the generator each own one optimizer; an update of one never touches the other's parameters
 * or optimizer state.
 */
public interface TrainableNetwork {

    /**
     * The live, flattened parameter vector, shape {@code [numParameters]}. Writing to it changes the network;
     * this is what {@link org.wgan.core.constraint.WeightClipping} clamps in one pass.
     */
    INDArray parameters();

    /**
     * The flattened gradient buffer, same length as {@link #parameters()}, filled by the last backward pass.
     * The trainer may add further terms (a penalty gradient) before {@link #applyGradient()}.
     */
    INDArray gradient();

    /**
     * Called after something outside the network's own passes and updates wrote to {@link #parameters()} (a
     * checkpoint restore, weight clipping), so that a network that derives state from its parameters (a
     * spectrally normalised one's normalised weights) derives it again before its next pass. Whoever writes the
     * parameters directly calls it; the default does nothing.
     */
    default void parametersChanged() {
    }

    /** The parameters as named blocks (views into {@link #parameters()}), in order. */
    List<ParameterBlock> parameterBlocks();

    /**
     * One optimizer update from the current {@link #gradient()}, which must already be the gradient of the loss
     * itself (batch means included: it is not divided by the batch size again). Advances {@link #updateCount()}.
     */
    void applyGradient();

    /** Number of optimizer updates applied so far (the optimizer's iteration counter). */
    long updateCount();

    /**
     * Sets the optimizer's iteration counter, for restoring a checkpoint (Adam's bias correction depends on it).
     * The default refuses: a network that cannot restore its counter cannot be checkpointed.
     *
     * @param count {@code >= 0}
     * @throws UnsupportedOperationException if this network does not support it
     * @throws IllegalArgumentException      if count is negative or beyond what the optimizer can count
     */
    default void restoreUpdateCount(long count) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot restore its update count;"
                + " implement restoreUpdateCount(long) to checkpoint it");
    }

    /**
     * The largest count {@link #restoreUpdateCount(long)} accepts; restoring a checkpoint checks it before
     * anything is written. Default {@link Long#MAX_VALUE}.
     */
    default long maxUpdateCount() {
        return Long.MAX_VALUE;
    }

    /**
     * The live flattened optimizer state (e.g. RMSProp's running squares, Adam's moments); an empty array when
     * the optimizer keeps none. Checkpoints save and restore it.
     */
    INDArray optimizerState();

    /** Data type of the parameters; inputs of another type are cast to it. */
    DataType dataType();

    /** Number of scalar parameters. */
    default long numParameters() {
        return parameters().length();
    }
}
