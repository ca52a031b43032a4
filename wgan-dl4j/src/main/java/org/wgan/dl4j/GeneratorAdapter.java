package org.wgan.dl4j;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Generator;
import org.wgan.dl4j.engine.NetworkEngine;

/**
 * The {@link Generator} half shared by the generator adapters ({@link MultiLayerGenerator},
 * {@link GraphGenerator}): every entry goes to the engine, the latent batch checked to be
 * {@code [batch, latentSize]}.
 */
abstract class GeneratorAdapter extends EngineAdapter implements Generator {

    private final int latentSize;

    GeneratorAdapter(NetworkEngine engine, int latentSize) {
        super(engine);
        this.latentSize = latentSize;
    }

    /**
     * A fresh adapter over a copy of the wrapped network (its configuration, parameters and updater state), for an
     * average kept beside it ({@link GeneratorEma}): spectrally normalised, with this adapter's vectors, when this one
     * is.
     */
    final GeneratorAdapter copy() {
        GeneratorAdapter copy = copyOfNetwork(!engine.spectralNormalizationVectors().isEmpty());
        copy.copyVectorsFrom(this);
        return copy;
    }

    /** A fresh adapter over a copy of the wrapped network, spectrally normalised when asked. */
    abstract GeneratorAdapter copyOfNetwork(boolean spectrallyNormalised);

    @Override
    public int latentSize() {
        return latentSize;
    }

    @Override
    public INDArray generate(INDArray latent) {
        checkLatent(latent);
        return engine.output(latent);
    }

    @Override
    public INDArray forward(INDArray latent) {
        checkLatent(latent);
        return engine.forward(latent);
    }

    @Override
    public void backward(INDArray sampleGradient) {
        engine.backward(sampleGradient);
    }

    private void checkLatent(INDArray latent) {
        if (latent.rank() != 2 || latent.size(1) != latentSize) {
            throw new IllegalArgumentException("latent must have shape [batch, " + latentSize + "], but was "
                    + Arrays.toString(latent.shape()));
        }
    }
}
