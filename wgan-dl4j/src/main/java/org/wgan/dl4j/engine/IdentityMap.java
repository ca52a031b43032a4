package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The identity {@code L = I}, without parameters: the linear part of an activation layer. */
final class IdentityMap implements LinearMap {

    /** The one instance (the map holds nothing). */
    static final IdentityMap INSTANCE = new IdentityMap();

    private IdentityMap() {
    }

    @Override
    public void addBias(INDArray z) {
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        out.assign(a);
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        out.assign(e);
    }

    @Override
    public void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
    }

    @Override
    public void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
    }
}
