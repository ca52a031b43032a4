package org.wgan.dl4j.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A map applied after reshaping its input (DL4J's NCHW CNN/feed-forward preprocessors): {@code inner(a.reshape)},
 * whose transpose is reshaped back. The reshapes are views of the caller's buffers, not copies.
 */
final class ReshapedMap implements LinearMap {

    private final LinearMap inner;
    private final long[] innerShapeAfterBatch;

    /** {@code innerShapeAfterBatch}: the shape {@code inner} reads, without the batch axis. */
    ReshapedMap(LinearMap inner, long[] innerShapeAfterBatch) {
        this.inner = inner;
        this.innerShapeAfterBatch = innerShapeAfterBatch;
    }

    /** The shape {@code inner} reads for a batch of {@code batch}. */
    private long[] innerShape(long batch) {
        long[] shape = new long[innerShapeAfterBatch.length + 1];
        shape[0] = batch;
        System.arraycopy(innerShapeAfterBatch, 0, shape, 1, innerShapeAfterBatch.length);
        return shape;
    }

    private INDArray reshape(INDArray a) {
        return view(a, innerShape(a.size(0)));
    }

    /** A c-order reshape sharing {@code a}'s memory (a copy only when a is not c-contiguous). */
    private static INDArray view(INDArray a, long[] shape) {
        return (cContiguous(a) ? a : a.dup('c')).reshape('c', shape);
    }

    /**
     * True when {@code a}'s elements are one c-order run: the strides of the dimensions longer than 1 are those of
     * a c-order array (ND4J's {@code Shape.hasDefaultStridesForShape} said no to {@code [8, 1, 7, 7]} with strides
     * {@code [49, 49, 7, 1]}).
     */
    static boolean cContiguous(INDArray a) {
        if (a.ordering() != 'c') {
            return false;
        }
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /** A writable c-order reshape of a preallocated c-contiguous buffer. */
    private static INDArray writableView(INDArray buffer, long[] shape) {
        if (!cContiguous(buffer)) {
            throw new IllegalStateException("expected a c-contiguous buffer");
        }
        return buffer.reshape('c', shape);
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        inner.applyInto(reshape(a), out);
    }

    /** The inner map's own {@code L_W(a) + b}: a convolution adds its bias inside the op, not in a pass of its own. */
    @Override
    public void applyWithBiasInto(INDArray a, INDArray out) {
        inner.applyWithBiasInto(reshape(a), out);
    }

    /** The inner convolution: the reshape is of the input, so the output is the convolution's own. */
    @Override
    public Conv2dMap convolution() {
        return inner.convolution();
    }

    @Override
    public boolean applyLeakyInto(INDArray a, INDArray out, float slope) {
        return inner.applyLeakyInto(reshape(a), out, slope);
    }

    @Override
    public boolean backwardWithBiasInto(INDArray input, INDArray outGrad, INDArray inputGradient,
            INDArray weightTarget, INDArray biasTarget) {
        INDArray innerInput = reshape(input);
        return inner.backwardWithBiasInto(innerInput, outGrad, inputGradient == null ? null
                : writableView(inputGradient, innerInput.shape()), weightTarget, biasTarget);
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        inner.transposeInto(e, writableView(out, reshape(out).shape()));
    }

    @Override
    public void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
        inner.weightGradientInto(reshape(input), outGrad, target, accumulate);
    }

    @Override
    public void backwardInto(INDArray input, INDArray outGrad, INDArray inputGradient, INDArray weightTarget,
            boolean accumulate) {
        INDArray innerInput = reshape(input);
        inner.backwardInto(innerInput, outGrad, writableView(inputGradient, innerInput.shape()), weightTarget,
                accumulate);
    }

    @Override
    public void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
        inner.biasGradientInto(outGrad, target, accumulate);
    }

    @Override
    public void addBias(INDArray z) {
        inner.addBias(z);
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        return inner.outputShape(innerShape(inputShape[0]));
    }

    @Override
    public String toString() {
        return "reshape to " + Arrays.toString(innerShapeAfterBatch) + " then " + inner;
    }
}
