package org.wgan.spark;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TwiceDifferentiableCritic;
import org.wgan.core.checkpoint.CheckpointParticipant;

/**
 * A critic replica whose {@link #applyGradient()} first replaces its gradient with the mean over every task's, so
 * all replicas take the same optimizer update. The training loop computes the shard's loss and penalty gradients
 * (each a mean over the shard) into {@link #gradient()} and then calls {@link #applyGradient()}: with equal shards
 * the mean of the shards' means is the global batch's mean, so the update is the one a single process would take.
 * Everything else is the delegate's, its checkpoint arrays too (a spectrally normalised critic's vectors).
 */
class SyncedCritic implements Critic, CheckpointParticipant {

    private final Critic delegate;
    private final GradientExchange exchange;

    SyncedCritic(Critic delegate, GradientExchange exchange) {
        this.delegate = delegate;
        this.exchange = exchange;
    }

    /** The decorator that keeps the delegate's kind: twice differentiable when it is. */
    static Critic of(Critic delegate, GradientExchange exchange) {
        return delegate instanceof TwiceDifferentiableCritic twice ? new Twice(twice, exchange)
                : new SyncedCritic(delegate, exchange);
    }

    @Override
    public void applyGradient() {
        exchange.average(delegate.gradient());
        delegate.applyGradient();
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
