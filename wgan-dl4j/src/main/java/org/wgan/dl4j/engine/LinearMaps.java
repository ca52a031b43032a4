package org.wgan.dl4j.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The linear part {@code z = L_W(a) + b} of the layers the double backprop supports, with what the adjoint needs:
 * {@code L_W(a)} without bias, its transpose {@code L_W^T(e)} and the weight gradient of {@code <outGrad, L_W(in)>}.
 */
final class LinearMaps {

    private LinearMaps() {
    }

    /**
     * A linear map between activations, writing into the caller's buffers; implementations are stateless about the
     * batch.
     */
    interface LinearMap {
        /** {@code z + b} in place (no-op without a bias). */
        void addBias(INDArray z);

        /** The shape of {@code L_W(a)} for an input of shape {@code inputShape}. */
        long[] outputShape(long[] inputShape);

        /** {@code L_W(a)}, no bias, written into {@code out}. */
        void applyInto(INDArray a, INDArray out);

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
         * d {@code <outGrad, b>} / db written into (or, when {@code accumulate}, added to) {@code target}, shaped like
         * b; a no-op when there is no b.
         */
        void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate);
    }

    private static void store(INDArray value, INDArray target, boolean accumulate) {
        INDArray shaped = value.reshape(target.shape());
        if (accumulate) {
            target.addi(shaped);
        } else {
            target.assign(shaped);
        }
    }

    /** The identity (activation layers). */
    static final LinearMap IDENTITY = new LinearMap() {
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
    };

    /**
     * {@code a W (+ b)}: a dense layer, W {@code [nIn, nOut]}.
     *
     * <p>DL4J keeps W in 'f' order inside the flat parameter vector, and the weight gradient's view likewise.
     * libnd4j's gemm ran 1.5-2x slower on those 'f'-order operands and targets than on 'c'-order ones (its BLAS
     * path wants one layout), so the products read the same memory as {@code W^T [nOut, nIn]} in 'c' order and
     * flip the transpose flags: {@code a W = a (W^T)^T}, {@code e W^T = e (W^T)}, {@code (a^T e)^T = e^T a}.
     */
    static LinearMap dense(INDArray weight, INDArray bias) {
        INDArray weightTransposed = cOrderTranspose(weight);
        INDArray biasRow = rowView(bias);
        return new LinearMap() {
            /**
             * {@code z += 1 b} as a rank-1 product (one BLAS call, straight to OpenBLAS at these sizes: a few
             * microseconds) instead of ND4J's broadcast op (15-40 us of dispatch here); {@code 1 * b + z} rounds once,
             * as the broadcast's {@code z + b} does. The fused SIMD pass does this for float piecewise-linear layers;
             * this is the path of double precision and smooth activations.
             */
            @Override
            public void addBias(INDArray z) {
                if (biasRow != null && z.rank() == 2) {
                    Gemm.gemm(ones(z), biasRow, z, false, false, 1.0, 1.0);
                } else if (bias != null) {
                    z.addiRowVector(bias);
                }
            }

            @Override
            public long[] outputShape(long[] inputShape) {
                return new long[] {inputShape[0], weight.size(1)};
            }

            // GEMMs straight into the caller's buffers: no per-step allocation of activation-sized arrays
            @Override
            public void applyInto(INDArray a, INDArray out) {
                if (weightTransposed != null) {
                    Gemm.gemm(a, weightTransposed, out, false, true, 1.0, 0.0);
                } else {
                    Gemm.gemm(a, weight, out, false, false, 1.0, 0.0);
                }
            }

            @Override
            public void transposeInto(INDArray e, INDArray out) {
                if (weightTransposed != null) {
                    Gemm.gemm(e, weightTransposed, out, false, false, 1.0, 0.0);
                } else {
                    Gemm.gemm(e, weight, out, false, true, 1.0, 0.0);
                }
            }

            private INDArray lastTarget;
            private INDArray lastTargetTransposed;

            @Override
            public void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
                double beta = accumulate ? 1.0 : 0.0;
                if (target != lastTarget) {
                    lastTarget = target;
                    lastTargetTransposed = cOrderTranspose(target);
                }
                if (lastTargetTransposed != null) {
                    Gemm.gemm(outGrad, input, lastTargetTransposed, true, false, 1.0, beta);
                } else {
                    Gemm.gemm(input, outGrad, target, true, false, 1.0, beta);
                }
            }

            /** Column sums as {@code 1^T e}: a thin GEMM, several times faster than ND4J's sum over axis 0. */
            @Override
            public void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
                if (bias == null) {
                    return;
                }
                Gemm.gemm(ones(outGrad), outGrad, target.reshape(1, target.length()), true, false, 1.0,
                        accumulate ? 1.0 : 0.0);
            }

            private INDArray ones;

            private INDArray ones(INDArray like) {
                if (ones == null || ones.size(0) != like.size(0) || ones.dataType() != like.dataType()) {
                    try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        ones = Nd4j.ones(like.dataType(), like.size(0), 1);
                    }
                }
                return ones;
            }
        };
    }

    /**
     * {@code bias} (a view of the flat parameters) as a {@code [1, n]} row over the same memory, or null when it is
     * null or no such view exists: the rank-1 bias update must read the parameters in place, never a copy.
     */
    private static INDArray rowView(INDArray bias) {
        if (bias == null || bias.length() == 0 || (bias.length() > 1 && bias.elementWiseStride() != 1)) {
            return null;
        }
        INDArray row = bias.rank() == 2 && bias.size(0) == 1 ? bias : bias.reshape(1, bias.length());
        return row.data().addressPointer().address() == bias.data().addressPointer().address() ? row : null;
    }

    /** The 'c'-order view of {@code m^T} when {@code m} is a contiguous 'f'-order matrix, else null. */
    private static INDArray cOrderTranspose(INDArray m) {
        if (m.rank() != 2 || m.ordering() != 'f' || m.length() < 2 || m.elementWiseStride() != 1) {
            return null;
        }
        INDArray transposed = m.transpose();
        return transposed.ordering() == 'c' && transposed.elementWiseStride() == 1 ? transposed : null;
    }

    /**
     * A 2-D convolution, NCHW, weights {@code [outC, inC, kH, kW]}, dilation 1, through libnd4j's conv2d and
     * conv2d_bp ops.
     *
     * @param sameMode true for DL4J's ConvolutionMode.Same (padding computed), false for Truncate/Strict with
     *                 explicit padding
     */
    static LinearMap conv2d(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding,
            boolean sameMode) {
        long[] args = {kernel[0], kernel[1], stride[0], stride[1], sameMode ? 0 : padding[0],
            sameMode ? 0 : padding[1], 1, 1, sameMode ? 1 : 0, 0, 1};
        long outChannels = weight.size(0);
        return new LinearMap() {
            @Override
            public void applyInto(INDArray a, INDArray out) {
                try (OpContext context = Nd4j.getExecutioner().buildContext()) {
                    context.setIArguments(args);
                    context.setInputArray(0, a);
                    context.setInputArray(1, weight);
                    context.setOutputArray(0, out);
                    Nd4j.exec(new Conv2D(), context);
                } catch (Exception e) {
                    throw new IllegalStateException("conv2d failed", e);
                }
            }

            @Override
            public void addBias(INDArray z) {
                if (bias != null) {
                    z.addi(bias.reshape(1, outChannels, 1, 1));
                }
            }

            private INDArray weightScratch;
            private INDArray inputScratch;

            // one conv2d_bp per call, results in the caller's buffers or reused scratch

            @Override
            public void transposeInto(INDArray e, INDArray out) {
                // conv2d_bp reads the input only for the weight gradient, which is discarded here
                backprop(inputScratch(out), e, out, weightScratch());
            }

            @Override
            public void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
                backprop(input, outGrad, inputScratch(input), weightScratch());
                store(weightScratch, target, accumulate);
            }

            @Override
            public void backwardInto(INDArray input, INDArray outGrad, INDArray inputGradient, INDArray weightTarget,
                    boolean accumulate) {
                backprop(input, outGrad, inputGradient, weightScratch());
                store(weightScratch, weightTarget, accumulate);
            }

            @Override
            public void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
                if (bias != null) {
                    store(outGrad.sum(0, 2, 3), target, accumulate);
                }
            }

            private INDArray weightScratch() {
                if (weightScratch == null) {
                    try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        weightScratch = Nd4j.create(weight.dataType(), weight.shape());
                    }
                }
                return weightScratch;
            }

            private INDArray inputScratch(INDArray like) {
                if (inputScratch == null || !Arrays.equals(inputScratch.shape(), like.shape())
                        || inputScratch.dataType() != like.dataType()) {
                    try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        inputScratch = Nd4j.zeros(like.dataType(), like.shape());
                    }
                }
                return inputScratch;
            }

            /** conv2d_bp into the given arrays: the gradient at the input and the weights' gradient. */
            private void backprop(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight) {
                try (OpContext context = Nd4j.getExecutioner().buildContext()) {
                    context.setIArguments(args);
                    context.setInputArray(0, input);
                    context.setInputArray(1, weight);
                    context.setInputArray(2, outGrad);
                    context.setOutputArray(0, gradInput);
                    context.setOutputArray(1, gradWeight);
                    Nd4j.exec(new Conv2DDerivative(), context);
                } catch (Exception e) {
                    throw new IllegalStateException("conv2d_bp failed", e);
                }
            }

            @Override
            public long[] outputShape(long[] in) {
                long h;
                long w;
                if (sameMode) {
                    h = (in[2] + stride[0] - 1) / stride[0];
                    w = (in[3] + stride[1] - 1) / stride[1];
                } else {
                    h = (in[2] - kernel[0] + 2L * padding[0]) / stride[0] + 1;
                    w = (in[3] - kernel[1] + 2L * padding[1]) / stride[1] + 1;
                }
                return new long[] {in[0], outChannels, h, w};
            }
        };
    }

    /**
     * A map applied after reshaping its input (DL4J's CNN/feed-forward preprocessors): {@code inner(a.reshape)},
     * whose transpose is reshaped back.
     */
    static LinearMap reshaped(LinearMap inner, long[] innerShapeAfterBatch) {
        return new LinearMap() {
            private INDArray reshape(INDArray a) {
                long[] shape = new long[innerShapeAfterBatch.length + 1];
                shape[0] = a.size(0);
                System.arraycopy(innerShapeAfterBatch, 0, shape, 1, innerShapeAfterBatch.length);
                return view(a, shape);
            }

            /** A c-order reshape sharing {@code a}'s memory (a copy only when a is not c-contiguous). */
            private static INDArray view(INDArray a, long[] shape) {
                boolean contiguous = a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
                return (contiguous ? a : a.dup('c')).reshape('c', shape);
            }

            /** A writable c-order reshape of a preallocated c-contiguous buffer. */
            private static INDArray writableView(INDArray buffer, long[] shape) {
                if (buffer.ordering() != 'c' || !Shape.hasDefaultStridesForShape(buffer)) {
                    throw new IllegalStateException("expected a c-contiguous buffer");
                }
                return buffer.reshape('c', shape);
            }

            @Override
            public void applyInto(INDArray a, INDArray out) {
                inner.applyInto(reshape(a), out);
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
                long[] shape = new long[innerShapeAfterBatch.length + 1];
                shape[0] = inputShape[0];
                System.arraycopy(innerShapeAfterBatch, 0, shape, 1, innerShapeAfterBatch.length);
                return inner.outputShape(shape);
            }

            @Override
            public String toString() {
                return "reshape to " + Arrays.toString(innerShapeAfterBatch) + " then " + inner;
            }
        };
    }
}
