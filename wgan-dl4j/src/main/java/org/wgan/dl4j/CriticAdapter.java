package org.wgan.dl4j;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.TwiceDifferentiableCritic;
import org.wgan.dl4j.engine.NetworkEngine;

/**
 * The {@link TwiceDifferentiableCritic} half shared by the critic adapters ({@link MultiLayerCritic},
 * {@link GraphCritic}): every entry goes to the engine, and the scores are checked to be one per sample.
 */
abstract class CriticAdapter extends EngineAdapter implements TwiceDifferentiableCritic {

    CriticAdapter(NetworkEngine engine) {
        super(engine);
    }

    @Override
    public INDArray score(INDArray samples) {
        return checkScores(engine.output(samples), samples);
    }

    @Override
    public INDArray forward(INDArray samples) {
        return checkScores(engine.forward(samples), samples);
    }

    @Override
    public INDArray backward(INDArray scoreGradient) {
        return engine.backward(scoreGradient);
    }

    /**
     * {@inheritDoc} The layers that read the samples compute their parameter gradients only: on images a first
     * convolution's input gradient is most of its backward's time.
     */
    @Override
    public void backwardParameters(INDArray scoreGradient) {
        engine.backwardParameters(scoreGradient);
    }

    /** {@inheritDoc} Skips the weight-gradient products (a third of a backward pass's work). */
    @Override
    public INDArray backwardToInput(INDArray scoreGradient) {
        return engine.backwardToInput(scoreGradient);
    }

    @Override
    public void requireTwiceDifferentiable() {
        engine.requireTwiceDifferentiable();
    }

    @Override
    public InputGradient inputGradient(INDArray samples) {
        return engine.inputGradient(samples);
    }

    /** The scores of a critic, checked to be {@code [batch, 1]} for the samples' batch. */
    private static INDArray checkScores(INDArray scores, INDArray samples) {
        if (scores.rank() != 2 || scores.size(1) != 1 || scores.size(0) != samples.size(0)) {
            throw new IllegalStateException("critic must map samples " + Arrays.toString(samples.shape())
                    + " to scores [" + samples.size(0) + ", 1], but returned " + Arrays.toString(scores.shape()));
        }
        return scores;
    }
}
