package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The identity {@code L = I}, without parameters: the linear part of an activation layer. */
final class IdentityMap extends ParameterFreeMap {

    /** The one instance (the map holds nothing). */
    static final IdentityMap INSTANCE = new IdentityMap();

    private IdentityMap() {
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

}
