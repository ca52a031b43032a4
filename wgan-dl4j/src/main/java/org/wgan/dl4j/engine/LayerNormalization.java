package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The layer normalisation of a DL4J {@code DenseLayer} with {@code hasLayerNorm(true)} (Ba, Kiros and Hinton 2016,
 * the normalisation Gulrajani et al. 2017 recommend for a penalised critic): per sample (row),
 * {@code z = g * N(y) + b}, {@code y = a W}, then the activation. DL4J 1.0.0-M2.1's {@code BaseLayer.preOutput}
 * runs libnd4j's {@code layer_norm} on the product before the bias, and {@code layer_norm} is {@code standardize}
 * times the gain: {@code N(y) = (y - mu) / sigma} with {@code mu = mean_j y_j} and the biased
 * {@code sigma = sqrt(mean_j (y_j - mu)^2)}, no epsilon anywhere; a row whose features are all equal (0 / 0) gets
 * {@code N(y) = 0} (libnd4j replaces NaN by 0). Measured, not assumed: {@code LayerNormalizationTest} compares these
 * formulas to DL4J's output to 1e-12 in float64, with features of spread 1 down to 1e-6 (where an epsilon of even
 * 1e-12 on the variance would show). The gain {@code g} is DL4J's parameter "g", {@code [nOut]}, after W and b in
 * the flat parameters.
 *
 * <p>With {@code m} features, {@code xh = N(y)} and {@code <c, d>} a row's dot product, the Jacobian of N is
 * symmetric: {@code J d = (d - mean(d) - xh * mean(xh * d)) / sigma}. This class gives, per row:
 * <ul>
 *   <li>backward, for {@code e = dL/dz}: {@code q = g * e}, {@code p = dL/dy = J q}, {@code dL/dg = sum_rows e * xh}
 *       ({@code dL/db = sum_rows e} and {@code dL/dW = a^T p} are the dense map's);</li>
 *   <li>the forward-mode tangent the adjoint propagates ({@code v_k = J_k u_{k-1}} of {@link LayerStack}):
 *       {@code vy = u W} (the map's), {@code w = J vy}, {@code v = g * w};</li>
 *   <li>the adjoint's extra parameter and second-order terms: the input gradient reads {@code q = g * e} and
 *       {@code p = J(y) q}, so the adjoint adds {@code dP/dg += sum_rows w * e} (the cotangent of {@code q} is
 *       {@code J vy = w}), and {@code d/dy <vy, J(y) q> = -(f xh + <q, xh> w + <vy, xh> p) / (m sigma)} with
 *       {@code f = <vy, p>}, a loss gradient at y ({@code ry});</li>
 *   <li>the flow back of a loss gradient {@code gz} at z: {@code dg += sum_rows gz * xh},
 *       {@code gy = J(g * gz) + ry}, which then goes through the dense map like {@code p}.</li>
 * </ul>
 * Derivation of {@code ry}: {@code <vy, J q> = (<vy, q> - m mean(vy) mean(q) - <vy, xh> <q, xh> / m) / sigma}, with
 * {@code d sigma / dy = xh / m} and {@code d <c, xh> / dy = J c}.
 *
 * <p>Every array is preallocated per input shape in {@link Buffers}; the row statistics ({@code 1 / sigma}, means,
 * dot products) are {@code [batch, 1]} columns computed as products with a column of ones, the gain's gradient as a
 * product with a row of ones accumulated straight into its block of the flat gradient.
 */
final class LayerNormalization {

    private final INDArray gain;
    private final long gainOffset;
    private final INDArray gainGradient;

    /**
     * @param gain         the gain g, a view of the network's flat parameters ({@code [nOut]}), read at every call
     * @param gainOffset   its offset in the flat parameters (and gradients)
     * @param gainGradient its block of the network's own flat gradient
     */
    LayerNormalization(INDArray gain, long gainOffset, INDArray gainGradient) {
        this.gain = gain;
        this.gainOffset = gainOffset;
        this.gainGradient = gainGradient;
    }

    INDArray gain() {
        return gain;
    }

    long gainOffset() {
        return gainOffset;
    }

    INDArray gainGradient() {
        return gainGradient;
    }

    /** Buffers for products {@code y} of shape {@code [batch, m]} in {@code dataType}. */
    Buffers buffers(DataType dataType, long[] shape) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("layer normalisation needs [batch, features] products, but the"
                    + " shape was " + java.util.Arrays.toString(shape));
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return new Buffers(dataType, shape[0], shape[1]);
        }
    }

    /** One input shape's work arrays; the forward fills xh and 1 / sigma, which the other calls read. */
    final class Buffers {
        private final long features;
        private final INDArray xh;
        private final INDArray invSigma;
        private final INDArray scratch;
        private final INDArray q;
        private final INDArray p;
        private final INDArray w;
        private final INDArray ry;
        private final INDArray gy;
        private final INDArray mean;
        private final INDArray xhDotD;
        /** {@code mean(xh * q)} of the last backward, which the adjoint's {@code ry} reads. */
        private final INDArray xhDotQ;
        private final INDArray vyDotP;
        private final INDArray onesFeatures;
        private final INDArray onesBatch;

        private Buffers(DataType dataType, long batch, long features) {
            this.features = features;
            xh = Nd4j.createUninitialized(dataType, batch, features);
            scratch = xh.ulike();
            q = xh.ulike();
            p = xh.ulike();
            w = xh.ulike();
            ry = xh.ulike();
            gy = xh.ulike();
            invSigma = Nd4j.createUninitialized(dataType, batch, 1);
            mean = invSigma.ulike();
            xhDotD = invSigma.ulike();
            xhDotQ = invSigma.ulike();
            vyDotP = invSigma.ulike();
            onesFeatures = Nd4j.ones(dataType, features, 1);
            onesBatch = Nd4j.ones(dataType, batch, 1);
        }

        /** {@code y} (the product {@code a W}) replaced in place by {@code g * N(y)}; keeps xh and 1 / sigma. */
        void forward(INDArray y) {
            rowMeans(y, mean);
            xh.assign(y).subiColumnVector(mean);
            scratch.assign(xh).muli(xh);
            rowMeans(scratch, invSigma);
            Transforms.sqrt(invSigma, false).rdivi(1.0);
            // a constant row: libnd4j's 0 / 0 -> NaN -> 0; NaN from the input stays NaN (nothing hidden)
            BooleanIndexing.replaceWhere(invSigma, 0.0, Conditions.isInfinite());
            xh.muliColumnVector(invSigma);
            y.assign(xh).muliRowVector(gain);
        }

        /**
         * {@code p = J (g * e)} for {@code e = dL/dz} (returned, a buffer the map's backward reads); with
         * {@code gainTarget} not null, {@code sum_rows e * xh} written into it (added when {@code accumulate}).
         */
        INDArray backward(INDArray e, INDArray gainTarget, boolean accumulate) {
            if (gainTarget != null) {
                scratch.assign(e).muli(xh);
                columnSums(scratch, gainTarget, accumulate);
            }
            q.assign(e).muliRowVector(gain);
            jacobianTimes(q, p, xhDotQ);
            return p;
        }

        /** The last {@link #backward}'s {@code p = dL/dy}, the map's outGrad for the weight gradients. */
        INDArray p() {
            return p;
        }

        /**
         * The adjoint at this stage: {@code vy = u W} (the map's product, in place) becomes {@code v = g * J vy};
         * adds {@code sum_rows (J vy) * e} to {@code gainTarget} and keeps {@code ry}, the second-order loss gradient
         * at y. Reads the last {@link #backward}'s {@code p} and {@code mean(xh * q)}; {@code e} is its {@code dL/dz}.
         */
        void tangent(INDArray vy, INDArray e, INDArray gainTarget) {
            jacobianTimes(vy, w, xhDotD);
            scratch.assign(w).muli(e);
            columnSums(scratch, gainTarget, true);
            scratch.assign(vy).muli(p);
            rowMeans(scratch, vyDotP);
            // ry = -(f xh + <q, xh> w + <vy, xh> p) / (m sigma); with the means (1/m of each dot product) that is
            // -(mean(vy p) xh + mean(xh q) w + mean(xh vy) p) / sigma
            ry.assign(xh).muliColumnVector(vyDotP);
            scratch.assign(w).muliColumnVector(xhDotQ);
            ry.addi(scratch);
            scratch.assign(p).muliColumnVector(xhDotD);
            ry.addi(scratch).muliColumnVector(invSigma).negi();
            vy.assign(w).muliRowVector(gain);
        }

        /**
         * The loss gradient at y from {@code gz} (a loss gradient at z, or null for none) plus the last
         * {@link #tangent}'s {@code ry}: {@code J(g * gz) + ry} (returned, a buffer); adds {@code sum_rows gz * xh}
         * to {@code gainTarget}.
         */
        INDArray backflow(INDArray gz, INDArray gainTarget) {
            if (gz == null) {
                return ry;
            }
            scratch.assign(gz).muli(xh);
            columnSums(scratch, gainTarget, true);
            q.assign(gz).muliRowVector(gain);
            jacobianTimes(q, gy, xhDotD);
            return gy.addi(ry);
        }

        /** {@code out = J d = (d - mean(d) - xh mean(xh d)) / sigma}; keeps {@code mean(xh d)} in {@code xhMean}. */
        private void jacobianTimes(INDArray d, INDArray out, INDArray xhMean) {
            rowMeans(d, mean);
            scratch.assign(xh).muli(d);
            rowMeans(scratch, xhMean);
            out.assign(d).subiColumnVector(mean);
            scratch.assign(xh).muliColumnVector(xhMean);
            out.subi(scratch).muliColumnVector(invSigma);
        }

        private void rowMeans(INDArray m, INDArray target) {
            Gemm.gemm(m, onesFeatures, target, false, false, 1.0 / features, 0.0);
        }

        private void columnSums(INDArray m, INDArray target, boolean accumulate) {
            Gemm.gemm(onesBatch, m, target.reshape(1, target.length()), true, false, 1.0, accumulate ? 1.0 : 0.0);
        }
    }
}
