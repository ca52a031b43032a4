package org.wgan.spark;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Generator;
import org.wgan.core.ParameterBlock;
import org.wgan.core.checkpoint.CheckpointParticipant;

/**
 * A generator replica whose {@link #applyGradient()} first replaces its gradient with the mean over every task's
 * (see {@link SyncedCritic}); everything else is the delegate's, its checkpoint arrays too (a spectrally
 * normalised generator's vectors).
 */
final class SyncedGenerator implements Generator, CheckpointParticipant {

    private final Generator delegate;
    private final GradientExchange exchange;

    SyncedGenerator(Generator delegate, GradientExchange exchange) {
        this.delegate = delegate;
        this.exchange = exchange;
    }

    @Override
    public void applyGradient() {
        exchange.average(delegate.gradient());
        delegate.applyGradient();
    }

    @Override
    public int latentSize() {
        return delegate.latentSize();
    }

    @Override
    public INDArray generate(INDArray latent) {
        return delegate.generate(latent);
    }

    @Override
    public INDArray forward(INDArray latent) {
        return delegate.forward(latent);
    }

    @Override
    public void backward(INDArray sampleGradient) {
        delegate.backward(sampleGradient);
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
