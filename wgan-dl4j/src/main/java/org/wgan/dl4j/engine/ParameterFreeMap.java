package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link LinearMap} without weights or bias (activation layers, upsampling, pooling): adding a bias and the
 * parameter gradients are no-ops, so each such map states only {@code L} and {@code L^T}.
 */
abstract class ParameterFreeMap implements LinearMap {

    @Override
    public final void addBias(INDArray z) {
    }

    @Override
    public final void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
    }

    @Override
    public final void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
    }
}
