package org.wgan.spark;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Generator;
import org.wgan.core.ParameterBlock;

/**
 * A generator replica whose {@link #applyGradient()} first replaces its gradient with the mean over every task's
 * (see {@link SyncedCritic}); everything else is the delegate's.
 */
final class SyncedGenerator implements Generator {

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

    @Override
    public String toString() {
        return delegate.toString();
    }
}
