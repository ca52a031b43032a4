package org.wgan.spark;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Generator;

/**
 * A generator replica whose {@link #applyGradient()} first replaces its gradient with the mean over every task's
 * ({@link SyncedNetwork}, as {@link SyncedCritic}).
 */
final class SyncedGenerator extends SyncedNetwork<Generator> implements Generator {

    SyncedGenerator(Generator delegate, GradientExchange exchange) {
        super(delegate, exchange);
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
}
