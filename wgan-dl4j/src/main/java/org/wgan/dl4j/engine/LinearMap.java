package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The linear part {@code z = L_W(a) + b} of a layer the engine runs, with what backprop and the penalty's adjoint
 * need: {@code L_W(a)} without bias, its transpose {@code L_W^T(e)}, the weight gradient of
 * {@code <outGrad, L_W(input)>} and the bias gradient, each written into the caller's buffers (no activation-sized
 * array is allocated per step). Implementations are stateless about the batch: {@link DenseMap}, {@link Conv2dMap},
 * {@link Deconv2dMap}, the parameter-free {@link Upsampling2dMap}, {@link AvgPool2dMap} and {@link GlobalPoolMap},
 * {@link IdentityMap} (activation layers) and {@link ReshapedMap} (DL4J's CNN/feed-forward preprocessors). Being
 * stateless, a map cannot keep what its forward input selected, which is why max pooling is not one.
 */
interface LinearMap {

    /** {@code z + b} in place (no-op without a bias). */
    void addBias(INDArray z);

    /** The shape of {@code L_W(a)} for an input of shape {@code inputShape}. */
    long[] outputShape(long[] inputShape);

    /** {@code L_W(a)}, no bias, written into {@code out}. */
    void applyInto(INDArray a, INDArray out);

    /**
     * {@code L_W(a) + b} written into {@code out}: {@link #applyInto} then {@link #addBias}, or one op where the map
     * can add its bias inside the product (the convolutions).
     */
    default void applyWithBiasInto(INDArray a, INDArray out) {
        applyInto(a, out);
        addBias(out);
    }

    /**
     * {@code s(L_W(a) + b)} for the leaky rectifier {@code s(z) = z > 0 ? z : slope z} written into {@code out} in
     * one op, where the map has one (a convolution on oneDNN: its relu post-op); false, having done nothing,
     * elsewhere. Only for {@code slope > 0}, where {@code s(z)} has the sign of z, so the derivative can be taken
     * from {@code out}.
     */
    default boolean applyLeakyInto(INDArray a, INDArray out, float slope) {
        return false;
    }

    /**
     * The convolution whose output this map's output is (itself, or the map a reshape of the input wraps), whose
     * arrays the engine may lay out in oneDNN's blocked layout; null for every other map.
     */
    default Conv2dMap convolution() {
        return null;
    }

    /** {@code L_W^T(e)} written into {@code out} (shaped like the input). */
    void transposeInto(INDArray e, INDArray out);

    /**
     * d {@code <outGrad, L_W(input)>} / dW written into (or, when {@code accumulate}, added to) {@code target},
     * shaped like W; a no-op when there is no W.
     */
    void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate);

    /**
     * Both backward products at once: {@code L_W^T(outGrad)} into {@code inputGradient} and the weight gradient
     * into (or added to) {@code weightTarget}. Convolutions get both from one conv2d_bp.
     */
    default void backwardInto(INDArray input, INDArray outGrad, INDArray inputGradient, INDArray weightTarget,
            boolean accumulate) {
        weightGradientInto(input, outGrad, weightTarget, accumulate);
        transposeInto(outGrad, inputGradient);
    }

    /**
     * d {@code <outGrad, b>} / db written into (or, when {@code accumulate}, added to) {@code target}, shaped like b;
     * a no-op when there is no b.
     */
    void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate);

    /**
     * The weight and bias gradients written over {@code weightTarget} and {@code biasTarget} and, when
     * {@code inputGradient} is not null, {@code L_W^T(outGrad)} into it, where the map computes the bias gradient
     * inside its weight-gradient op (a convolution on oneDNN); false, having done nothing, elsewhere.
     */
    default boolean backwardWithBiasInto(INDArray input, INDArray outGrad, INDArray inputGradient,
            INDArray weightTarget, INDArray biasTarget) {
        return false;
    }
}
