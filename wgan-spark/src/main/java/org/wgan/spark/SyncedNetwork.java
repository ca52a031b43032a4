package org.wgan.spark;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TrainableNetwork;
import org.wgan.core.checkpoint.CheckpointParticipant;

/**
 * The half {@link SyncedCritic} and {@link SyncedGenerator} share: a replica's network whose {@link #applyGradient()}
 * first replaces its gradient with the mean over every task's, so all replicas take the same optimizer update.
 * Everything else is the delegate's, its checkpoint arrays too (a spectrally normalised network's vectors).
 *
 * @param <T> the delegate's kind
 */
abstract class SyncedNetwork<T extends TrainableNetwork> implements TrainableNetwork, CheckpointParticipant {

    final T delegate;
    private final GradientExchange exchange;

    SyncedNetwork(T delegate, GradientExchange exchange) {
        this.delegate = delegate;
        this.exchange = exchange;
    }

    @Override
    public void applyGradient() {
        exchange.average(delegate.gradient());
        delegate.applyGradient();
    }

    @Override
    public INDArray parameters() {
        return delegate.parameters();
    }

    @Override
    public INDArray gradient() {
        return delegate.gradient();
    }

    @Override
    public void parametersChanged() {
        delegate.parametersChanged();
    }

    @Override
    public List<ParameterBlock> parameterBlocks() {
        return delegate.parameterBlocks();
    }

    @Override
    public long updateCount() {
        return delegate.updateCount();
    }

    @Override
    public void restoreUpdateCount(long count) {
        delegate.restoreUpdateCount(count);
    }

    @Override
    public long maxUpdateCount() {
        return delegate.maxUpdateCount();
    }

    @Override
    public INDArray optimizerState() {
        return delegate.optimizerState();
    }

    @Override
    public DataType dataType() {
        return delegate.dataType();
    }

    @Override
    public long numParameters() {
        return delegate.numParameters();
    }

    /** The delegate's checkpoint arrays when it is a participant (spectral normalisation's vectors), else none. */
    @Override
    public Map<String, INDArray> checkpointArrays() {
        return delegate instanceof CheckpointParticipant participant ? participant.checkpointArrays() : Map.of();
    }

    @Override
    public List<String> checkpointMismatches(Map<String, INDArray> arrays) {
        return delegate instanceof CheckpointParticipant participant ? participant.checkpointMismatches(arrays)
                : List.of();
    }

    @Override
    public void restoreCheckpointArrays(Map<String, INDArray> arrays) {
        if (delegate instanceof CheckpointParticipant participant) {
            participant.restoreCheckpointArrays(arrays);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
