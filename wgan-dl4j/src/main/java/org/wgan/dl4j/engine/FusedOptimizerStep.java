package org.wgan.dl4j.engine;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.NoOpUpdater;
import org.nd4j.linalg.learning.RmsPropUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.wgan.core.simd.Subnormals;
import org.wgan.core.simd.VectorKernels;
import org.wgan.core.simd.VectorSupport;

/**
 * DL4J's Adam and RMSProp steps, the parameter update included, in one pass over each updater block, on the
 * network's own updater state (so DL4J's view of the optimizer, its serialisation and a later switch back stay
 * valid).
 *
 * <p>Why: libnd4j's fused Adam op took 3-5 ms for the toy recipe's 530k parameters on one thread, more than the
 * rest of a generator step's elementwise work; one Java loop over the off-heap buffers takes about 1 ms, and its
 * SIMD form ({@link VectorKernels}, when the JVM has the Vector API) about a fifth of that, with the same bits.
 * The arithmetic is libnd4j's, term for term (updaterAdam.cpp, updaterRmsProp.cpp):
 * <pre>
 *   Adam:    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *            a_t = lr sqrt(1 - b2^(t+1)) / (1 - b1^(t+1));  update = a_t m / (sqrt(v) + eps)
 *   RMSProp: s = d s + (1 - d) g^2;  update = lr g / (sqrt(s) + eps)
 *   NoOp:    update = g  (batch normalisation's running statistics: their gradient entries are the moving
 *            average's step, see BatchNormStage)
 *   then     theta -= update  (the update is also left in the gradient view, as DL4J leaves it)
 * </pre>
 *
 * <p>One difference, on by default: Adam's new moments {@code m, v} and RMSProp's {@code s} are flushed to a zero of
 * their sign when they are subnormal (below 2^-126 in float, 2^-1022 in double) before the update is computed from
 * them, and so is a subnormal update, as a core's flush-to-zero mode would; libnd4j keeps them. Units that get no
 * gradient (a ReLU that is off for the whole batch) have moments that decay geometrically through the subnormal
 * range, and every vector operation that meets one costs a microcode assist on Intel cores: 5-7% of the toy
 * critic's moments were subnormal after about 1,000 steps, and its batch-64 step took 3.7 ms instead of 3.0. What
 * a flushed moment would have moved is below {@code lr x 2^-126 / eps}, which changes a parameter only when the
 * parameter itself is tiny (below about 1e-27 for lr 1e-4 and eps 1e-8). {@code -Dwgan.subnormalMoments=keep} keeps
 * them: then the state has libnd4j's bits, subnormals included (FusedOptimizerStepTest).
 *
 * <p>Used only where it is DL4J's step (but for subnormals): every block Adam, RMSProp or NoOp, no
 * regularisation, no gradient normalisation, float or double parameters; anything else keeps DL4J's updater.
 */
final class FusedOptimizerStep {

    /** The system property: {@code flush} (the default) or {@code keep} subnormal moments and updates. */
    static final String SUBNORMALS_PROPERTY = "wgan.subnormalMoments";

    private final Supplier<INDArray> parameters;
    private final List<UpdaterBlock> blocks;
    private final boolean flush;

    private FusedOptimizerStep(Supplier<INDArray> parameters, List<UpdaterBlock> blocks, boolean flush) {
        this.parameters = parameters;
        this.blocks = blocks;
        this.flush = flush;
    }

    /** Whether subnormal moments and updates are flushed to zero, from {@link #SUBNORMALS_PROPERTY}. */
    static boolean flushesSubnormals() {
        String value = System.getProperty(SUBNORMALS_PROPERTY, "flush");
        return switch (value) {
            case "flush" -> true;
            case "keep" -> false;
            default -> throw new IllegalArgumentException(SUBNORMALS_PROPERTY + " must be flush or keep, got '"
                    + value + "'");
        };
    }

    /**
     * The fused updater for a network (a MultiLayerNetwork's or a ComputationGraph's updater, whose blocks give
     * their ranges of the flat parameters), or empty when DL4J's own updater must run.
     */
    static Optional<FusedOptimizerStep> of(Updater updater, Supplier<INDArray> parameters) {
        INDArray params = parameters.get();
        DataType type = params.dataType();
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi) || (type != DataType.FLOAT && type != DataType.DOUBLE)
                || !params.isR() || params.elementWiseStride() != 1) {
            return Optional.empty();
        }
        List<UpdaterBlock> blocks = new ArrayList<>(multi.getUpdaterBlocks());
        for (UpdaterBlock block : blocks) {
            for (UpdaterBlock.ParamState state : block.getLayersAndVariablesInBlock()) {
                var config = state.getLayer().getConfig();
                IUpdater iUpdater = config.getUpdaterByParam(state.getParamName());
                // NoOp: batch normalisation's running statistics, which move by their gradient entries as they are
                boolean supported = iUpdater instanceof Adam || iUpdater instanceof RmsProp || iUpdater instanceof NoOp;
                var regularization = config.getRegularizationByParam(state.getParamName());
                GradientNormalization normalization = config.getGradientNormalization();
                if (!supported || (regularization != null && !regularization.isEmpty())
                        || (normalization != null && normalization != GradientNormalization.None)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new FusedOptimizerStep(parameters, List.copyOf(blocks), flushesSubnormals()));
    }

    /** One step from the gradient in {@code gradient} (flat, laid out like the parameters). */
    void update(INDArray gradient, int iteration, int epoch) {
        INDArray params = parameters.get();
        for (UpdaterBlock block : blocks) {
            if (block.getGradientUpdater() == null) {
                block.init();
            }
            int from = block.getParamOffsetStart();
            int to = block.getParamOffsetEnd();
            GradientUpdater<?> updater = block.getGradientUpdater();
            if (updater instanceof AdamUpdater adam) {
                Adam config = adam.getConfig();
                double b1 = config.getBeta1();
                double b2 = config.getBeta2();
                double lr = config.getLearningRate(iteration, epoch);
                double alpha = lr * Math.sqrt(1.0 - Math.pow(b2, iteration + 1)) / (1.0 - Math.pow(b1, iteration + 1));
                if (!Double.isFinite(alpha) || alpha == 0) {
                    alpha = config.getEpsilon(); // libnd4j's own fallback
                }
                adam(params, gradient, adam.getM(), adam.getV(), from, to, b1, b2, alpha, config.getEpsilon(), flush);
            } else if (updater instanceof RmsPropUpdater rms) {
                RmsProp config = rms.getConfig();
                rmsProp(params, gradient, rms.getLastGradient(), from, to, config.getRmsDecay(),
                        config.getLearningRate(iteration, epoch), config.getEpsilon(), flush);
            } else if (updater instanceof NoOpUpdater) {
                // DL4J's NoOp leaves the gradient as the update: theta -= g
                INDArray flatParams = params.reshape(params.length());
                INDArray flatGradient = gradient.reshape(gradient.length());
                flatParams.get(NDArrayIndex.interval(from, to)).subi(flatGradient.get(NDArrayIndex.interval(from, to)));
            } else {
                throw new IllegalStateException("unexpected updater " + updater);
            }
        }
    }

    private static void adam(INDArray params, INDArray gradient, INDArray m, INDArray v, int from, int to, double b1,
            double b2, double alpha, double eps, boolean flush) {
        int n = to - from;
        if (VectorSupport.contiguousFloats(params, gradient, m, v)) { // the SIMD loop: same bits
            ByteBuffer p = VectorSupport.bytes(params);
            ByteBuffer g = VectorSupport.bytes(gradient);
            ByteBuffer mb = VectorSupport.bytes(m);
            ByteBuffer vb = VectorSupport.bytes(v);
            int po = (int) params.offset() + from;
            int go = (int) gradient.offset() + from;
            int mo = (int) m.offset();
            int vo = (int) v.offset();
            VectorSupport.inParts(n, (lo, hi) -> VectorKernels.adam(p, po + lo, g, go + lo, mb, mo + lo, vb, vo + lo,
                    hi - lo, (float) b1, (float) b2, (float) (1 - b1), (float) (1 - b2), (float) alpha, (float) eps,
                    flush));
        } else if (params.dataType() == DataType.FLOAT) {
            FloatBuffer p = floats(params);
            FloatBuffer g = floats(gradient);
            FloatBuffer mb = floats(m);
            FloatBuffer vb = floats(v);
            int po = (int) params.offset() + from;
            int go = (int) gradient.offset() + from;
            int mo = (int) m.offset();
            int vo = (int) v.offset();
            float fb1 = (float) b1;
            float fb2 = (float) b2;
            float c1 = (float) (1 - b1);
            float c2 = (float) (1 - b2);
            float fa = (float) alpha;
            float fe = (float) eps;
            for (int i = 0; i < n; i++) {
                float gi = g.get(go + i);
                float mi = fb1 * mb.get(mo + i) + gi * c1;
                float vi = fb2 * vb.get(vo + i) + gi * gi * c2;
                mi = Subnormals.flushedIf(flush, mi);
                vi = Subnormals.flushedIf(flush, vi);
                float update = mi * fa / ((float) Math.sqrt(vi) + fe);
                update = Subnormals.flushedIf(flush, update);
                mb.put(mo + i, mi);
                vb.put(vo + i, vi);
                g.put(go + i, update);
                p.put(po + i, p.get(po + i) - update);
            }
        } else {
            DoubleBuffer p = doubles(params);
            DoubleBuffer g = doubles(gradient);
            DoubleBuffer mb = doubles(m);
            DoubleBuffer vb = doubles(v);
            int po = (int) params.offset() + from;
            int go = (int) gradient.offset() + from;
            int mo = (int) m.offset();
            int vo = (int) v.offset();
            for (int i = 0; i < n; i++) {
                double gi = g.get(go + i);
                double mi = b1 * mb.get(mo + i) + gi * (1 - b1);
                double vi = b2 * vb.get(vo + i) + gi * gi * (1 - b2);
                mi = Subnormals.flushedIf(flush, mi);
                vi = Subnormals.flushedIf(flush, vi);
                double update = mi * alpha / (Math.sqrt(vi) + eps);
                update = Subnormals.flushedIf(flush, update);
                mb.put(mo + i, mi);
                vb.put(vo + i, vi);
                g.put(go + i, update);
                p.put(po + i, p.get(po + i) - update);
            }
        }
    }

    private static void rmsProp(INDArray params, INDArray gradient, INDArray s, int from, int to, double decay,
            double lr, double eps, boolean flush) {
        int n = to - from;
        if (VectorSupport.contiguousFloats(params, gradient, s)) { // the SIMD loop: same bits
            ByteBuffer p = VectorSupport.bytes(params);
            ByteBuffer g = VectorSupport.bytes(gradient);
            ByteBuffer sb = VectorSupport.bytes(s);
            int po = (int) params.offset() + from;
            int go = (int) gradient.offset() + from;
            int so = (int) s.offset();
            VectorSupport.inParts(n, (lo, hi) -> VectorKernels.rmsProp(p, po + lo, g, go + lo, sb, so + lo, hi - lo,
                    (float) decay, (float) (1 - decay), (float) lr, (float) eps, flush));
        } else if (params.dataType() == DataType.FLOAT) {
            FloatBuffer p = floats(params);
            FloatBuffer g = floats(gradient);
            FloatBuffer sb = floats(s);
            int po = (int) params.offset() + from;
            int go = (int) gradient.offset() + from;
            int so = (int) s.offset();
            float fd = (float) decay;
            float c = (float) (1 - decay);
            float fl = (float) lr;
            float fe = (float) eps;
            for (int i = 0; i < n; i++) {
                float gi = g.get(go + i);
                float si = sb.get(so + i) * fd + gi * gi * c;
                si = Subnormals.flushedIf(flush, si);
                float update = gi * fl / ((float) Math.sqrt(si) + fe);
                update = Subnormals.flushedIf(flush, update);
                sb.put(so + i, si);
                g.put(go + i, update);
                p.put(po + i, p.get(po + i) - update);
            }
        } else {
            DoubleBuffer p = doubles(params);
            DoubleBuffer g = doubles(gradient);
            DoubleBuffer sb = doubles(s);
            int po = (int) params.offset() + from;
            int go = (int) gradient.offset() + from;
            int so = (int) s.offset();
            for (int i = 0; i < n; i++) {
                double gi = g.get(go + i);
                double si = sb.get(so + i) * decay + gi * gi * (1 - decay);
                si = Subnormals.flushedIf(flush, si);
                double update = gi * lr / (Math.sqrt(si) + eps);
                update = Subnormals.flushedIf(flush, update);
                sb.put(so + i, si);
                g.put(go + i, update);
                p.put(po + i, p.get(po + i) - update);
            }
        }
    }

    private static FloatBuffer floats(INDArray array) {
        requireContiguous(array);
        return array.data().asNioFloat();
    }

    private static DoubleBuffer doubles(INDArray array) {
        requireContiguous(array);
        return array.data().asNioDouble();
    }

    private static void requireContiguous(INDArray array) {
        if (array.length() > 1 && array.elementWiseStride() != 1) {
            throw new IllegalStateException("expected a contiguous array, got strides "
                    + java.util.Arrays.toString(array.stride()));
        }
    }
}
