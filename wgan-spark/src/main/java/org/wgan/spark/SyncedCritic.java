package org.wgan.spark;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.TwiceDifferentiableCritic;

/**
 * A critic replica whose {@link #applyGradient()} first replaces its gradient with the mean over every task's
 * ({@link SyncedNetwork}), so all replicas take the same optimizer update. The training loop computes the shard's
 * loss and penalty gradients (each a mean over the shard) into {@link #gradient()} and then calls
 * {@link #applyGradient()}: with equal shards the mean of the shards' means is the global batch's mean, so the
 * update is the one a single process would take.
 */
class SyncedCritic extends SyncedNetwork<Critic> implements Critic {

    SyncedCritic(Critic delegate, GradientExchange exchange) {
        super(delegate, exchange);
    }

    /** The decorator that keeps the delegate's kind: twice differentiable when it is. */
    static Critic of(Critic delegate, GradientExchange exchange) {
        return delegate instanceof TwiceDifferentiableCritic twice ? new Twice(twice, exchange)
                : new SyncedCritic(delegate, exchange);
    }

    @Override
    public INDArray score(INDArray samples) {
        return delegate.score(samples);
    }

    @Override
    public INDArray forward(INDArray samples) {
        return delegate.forward(samples);
    }

    @Override
    public INDArray backward(INDArray scoreGradient) {
        return delegate.backward(scoreGradient);
    }

    @Override
    public INDArray backwardToInput(INDArray scoreGradient) {
        return delegate.backwardToInput(scoreGradient);
    }

    @Override
    public void backwardParameters(INDArray scoreGradient) {
        delegate.backwardParameters(scoreGradient);
    }

    /** The synchronised twice-differentiable critic, for the gradient penalty's double backprop. */
    static final class Twice extends SyncedCritic implements TwiceDifferentiableCritic {

        private final TwiceDifferentiableCritic twice;

        Twice(TwiceDifferentiableCritic delegate, GradientExchange exchange) {
            super(delegate, exchange);
            this.twice = delegate;
        }

        @Override
        public void requireTwiceDifferentiable() {
            twice.requireTwiceDifferentiable();
        }

        @Override
        public InputGradient inputGradient(INDArray samples) {
            return twice.inputGradient(samples);
        }
    }
}
