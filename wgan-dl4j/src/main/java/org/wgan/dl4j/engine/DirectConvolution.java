package org.wgan.dl4j.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_auto;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-D convolution (NCHW activations, {@code [outC, inC, kH, kW]} weights, dilation 1) run by oneDNN's primitives
 * directly ({@link OneDnn}): the forward map, its transpose (oneDNN's backward data) and the weight gradient
 * (backward weights), each on its own. libnd4j's conv2d_bp computed the input and weight gradients together, so a
 * pass that needed the weight gradient alone (the penalty adjoint's tangent pass) computed the other for nothing, and
 * for every call it made its primitives anew, zeroed its outputs, reordered the output gradient twice and
 * allocated fresh buffers for each reordered copy.
 *
 * <p>Here each shape's primitives, their reorders and their memory objects are made once and kept; the reordered
 * copies live in the calling thread's {@link OneDnn#workspace} buffers. The algorithm is oneDNN's choice
 * ({@code convolution_auto}, as libnd4j asks): Winograd for 3x3 stride-1 kernels where it has one, direct otherwise;
 * Winograd's float rounding differs from the direct sum's in the last bits.
 *
 * <p>One instance serves one layer; each method returns false, having done nothing, where it does not apply (oneDNN
 * not loaded, arrays not c-contiguous float32, shapes that do not fit the geometry), and the caller takes libnd4j.
 *
 * <p>Not API: public only so that the benchmarks' floors ({@code org.wgan.benchmarks}) run their convolutions through
 * the same calls as the engine's passes (as {@link Gemm}); it may change without notice.
 */
public final class DirectConvolution {

    /**
     * Shapes kept per layer: the critic's real-and-generated batch, the penalty's interpolates, a sampling pass; the
     * least recently used beyond these is destroyed (a layer that sees more batch sizes makes its plans again).
     */
    static final int PLANS = 8;

    /** Per channel count, the blocked layout oneDNN's forward picks for an output of that many channels. */
    private static final Map<Long, Integer> BLOCKED_TAGS = new ConcurrentHashMap<>();

    private final int[] kernel;
    private final int[] stride;
    /** The layout of the input (src, diff_src) and of the output (dst, diff_dst): NCHW unless {@link #lay}. */
    private int inputTag = dnnl_nchw;
    private int outputTag = dnnl_nchw;
    /** The padding before each spatial dimension; null: same mode's, half the total rounded down. */
    private final int[] padding;
    private final Map<List<Long>, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Long>, Plan> eldest) {
            if (size() > PLANS) {
                eldest.getValue().destroy();
                return true;
            }
            return false;
        }
    };

    /**
     * @param padding the padding before each spatial dimension (the one after follows from the shapes), or null
     *                for same mode's ({@code total / 2} before, the rest after)
     */
    public DirectConvolution(int[] kernel, int[] stride, int[] padding) {
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding == null ? null : padding.clone();
    }

    /**
     * Lays this convolution's input arrays (src, diff_src) out in oneDNN's layout {@code inputTag} and its output
     * arrays (dst, diff_dst) in {@code outputTag} ({@code dnnl_nchw}, or a blocked layout from {@link #blockedTag}),
     * instead of NCHW: arrays the engine passes from one convolution to the next without reading them as NCHW, so
     * that neither converts them. Plans made before are destroyed.
     */
    void lay(int inputTag, int outputTag) {
        if (inputTag != this.inputTag || outputTag != this.outputTag) {
            for (Plan plan : plans.values()) {
                plan.destroy();
            }
            plans.clear();
            this.inputTag = inputTag;
            this.outputTag = outputTag;
        }
    }

    /** True when an input or output is laid out other than NCHW ({@link #lay}). */
    boolean blocked() {
        return inputTag != dnnl_nchw || outputTag != dnnl_nchw;
    }

    /**
     * The blocked layout ({@code nChw16c} or {@code nChw8c}) oneDNN's forward picks for the output of a 3x3
     * convolution onto {@code channels} channels, where {@code channels} fills its blocks exactly (so the blocked
     * array is as large as the NCHW one); {@code dnnl_nchw} otherwise or without oneDNN. Asked once per channel count.
     */
    static int blockedTag(long channels) {
        if (!OneDnn.available() || channels % 8 != 0) {
            return dnnl_nchw;
        }
        return BLOCKED_TAGS.computeIfAbsent(channels, c -> {
            long[] dims = {2, c, 8, 8};
            long[] weights = {c, c, 3, 3};
            dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_forward_desc_init(desc, dnnl_forward_training, dnnl_convolution_auto,
                    any(dims), any(weights), null, any(dims), new long[] {1, 1}, new long[] {1, 1},
                    new long[] {1, 1}), "dnnl_convolution_forward_desc_init");
            dnnl_primitive_desc pd = primitiveDesc(desc, null);
            try {
                dnnl_memory_desc_t chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0);
                for (int tag : new int[] {dnnl_nChw16c, dnnl_nChw8c}) {
                    if ((tag == dnnl_nChw8c || c % 16 == 0)
                            && dnnl_memory_desc_equal(chosen, OneDnn.floats(dims, tag)) != 0) {
                        return tag;
                    }
                }
                return dnnl_nchw;
            } finally {
                dnnl_primitive_desc_destroy(pd);
            }
        });
    }

    /** {@code dst = conv(src, W) + b} (b may be null). */
    public boolean forward(INDArray src, INDArray weight, INDArray bias, INDArray dst) {
        if (bias != null && !usableBias(bias, dst)) {
            return false;
        }
        Plan plan = plan(src, weight, dst, bias != null);
        if (plan == null) {
            return false;
        }
        Step step = bias != null ? plan.forwardWithBias : plan.forward;
        step.run(bias != null ? new INDArray[] {src, weight, bias, dst} : new INDArray[] {src, weight, dst});
        return true;
    }

    /**
     * {@code dst = s(conv(src, W) + b)} with the leaky rectifier {@code s(z) = z > 0 ? z : slope z} applied inside
     * the primitive (oneDNN's relu post-op with alpha = slope), where a pass of its own read z and wrote s(z). For
     * {@code slope != 0} oneDNN selects by comparison, so a NaN stays NaN and each value is the bits of ND4J's
     * LeakyReLU of the same z; at slope 0 it takes a maximum with 0, which turns NaN into 0, so that slope is
     * refused (false). Since {@code s(z) > 0} exactly when {@code z > 0} for a positive slope, the caller can take
     * the derivative from {@code dst} and keeps no z.
     */
    public boolean forwardLeaky(INDArray src, INDArray weight, INDArray bias, INDArray dst, float slope) {
        if (!(slope > 0f) || slope == 1f || Float.isInfinite(slope) || bias != null && !usableBias(bias, dst)) {
            return false;
        }
        Plan plan = plan(src, weight, dst, bias != null);
        if (plan == null) {
            return false;
        }
        plan.leaky(slope).run(bias != null ? new INDArray[] {src, weight, bias, dst}
                : new INDArray[] {src, weight, dst});
        return true;
    }

    /** {@code diffSrc = conv^T(diffDst, W)}: the gradient at the convolution's input. */
    public boolean backwardData(INDArray diffDst, INDArray weight, INDArray diffSrc) {
        Plan plan = plan(diffSrc, weight, diffDst, false);
        if (plan == null) {
            return false;
        }
        plan.backwardData().run(diffDst, weight, diffSrc);
        return true;
    }

    /** {@code diffWeight = sum over examples of diffDst (x) src}: the weight gradient, written over diffWeight. */
    public boolean backwardWeights(INDArray src, INDArray diffDst, INDArray diffWeight) {
        if (!usable(diffWeight, 4)) {
            return false;
        }
        Plan plan = plan(src, diffWeight, diffDst, false);
        if (plan == null) {
            return false;
        }
        plan.backwardWeights().run(src, diffDst, diffWeight);
        return true;
    }

    /**
     * The weight gradient and, inside the same primitive, the bias gradient {@code sum over n, h, w of diffDst}
     * (oneDNN's float sums, where {@link ElementLoops#channelSumsInto} read diffDst again in a pass of its own),
     * written over diffWeight and diffBias.
     */
    public boolean backwardWeights(INDArray src, INDArray diffDst, INDArray diffWeight, INDArray diffBias) {
        if (!usable(diffWeight, 4) || !usableBias(diffBias, diffDst)) {
            return false;
        }
        Plan plan = plan(src, diffWeight, diffDst, false);
        if (plan == null) {
            return false;
        }
        plan.backwardWeightsWithBias().run(src, diffDst, diffBias, diffWeight);
        return true;
    }

    /** A float bias of {@code dst}'s channels, contiguous. */
    private static boolean usableBias(INDArray bias, INDArray dst) {
        return bias.dataType() == DataType.FLOAT && dst.rank() == 4 && bias.length() == dst.size(1)
                && (bias.length() == 1 || bias.elementWiseStride() == 1);
    }

    /** The shapes' plan, made on first use; null where the direct call does not apply. */
    private Plan plan(INDArray src, INDArray weight, INDArray dst, boolean withBias) {
        if (!OneDnn.available() || !usable(src, 4) || !usable(weight, 4) || !usable(dst, 4)) {
            return null;
        }
        long[] s = src.shape();
        long[] w = weight.shape();
        long[] d = dst.shape();
        if (s[0] != d[0] || w[0] != d[1] || w[1] != s[1] || w[2] != kernel[0] || w[3] != kernel[1]) {
            return null;
        }
        long[] before = new long[2];
        long[] after = new long[2];
        for (int k = 0; k < 2; k++) {
            long total = (d[2 + k] - 1) * stride[k] + kernel[k] - s[2 + k];
            before[k] = padding == null ? Math.floorDiv(total, 2) : padding[k];
            after[k] = total - before[k];
            if (before[k] < 0 || after[k] < 0) {
                return null;
            }
        }
        List<Long> key = new ArrayList<>(9);
        for (long size : s) {
            key.add(size);
        }
        for (long size : d) {
            key.add(size);
        }
        key.add(withBias ? 1L : 0L);
        Plan plan = plans.get(key);
        if (plan == null) {
            plan = new Plan(s, w, d, before, after, withBias);
            plans.put(key, plan);
        }
        return plan;
    }

    /** A c-contiguous float32 array of the given rank. */
    private static boolean usable(INDArray a, int rank) {
        return a.dataType() == DataType.FLOAT && a.rank() == rank && ReshapedMap.cContiguous(a);
    }

    /** The primitives of one pair of shapes, the backward ones made when first asked for. */
    private final class Plan {
        private final long[] srcDims;
        private final long[] weightDims;
        private final long[] dstDims;
        private final dnnl_memory_desc_t userSrc;
        private final dnnl_memory_desc_t userWeights;
        private final dnnl_memory_desc_t userDst;
        private final dnnl_convolution_desc_t forwardDesc = new dnnl_convolution_desc_t();
        private final long[] strides;
        private final long[] before;
        private final long[] after;
        private final dnnl_primitive_desc hint;
        final Step forward;
        final Step forwardWithBias;
        private Step backwardData;
        private Step backwardWeights;
        private Step backwardWeightsWithBias;
        private Step leaky;
        private float leakySlope;
        private final boolean withBias;
        private final List<Step> steps = new ArrayList<>();

        Plan(long[] src, long[] weights, long[] dst, long[] before, long[] after, boolean withBias) {
            srcDims = src;
            weightDims = weights;
            this.withBias = withBias;
            dstDims = dst;
            userSrc = OneDnn.floats(src, inputTag);
            userWeights = OneDnn.floats(weights, dnnl_oihw);
            userDst = OneDnn.floats(dst, outputTag);
            strides = new long[] {stride[0], stride[1]};
            this.before = before;
            this.after = after;
            OneDnn.check(dnnl_convolution_forward_desc_init(forwardDesc, dnnl_forward_training, dnnl_convolution_auto,
                    any(src), any(weights), null, any(dst), strides, before, after),
                    "dnnl_convolution_forward_desc_init");
            hint = primitiveDesc(forwardDesc, null);
            forward = new Step(hint, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
                    new int[] {dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md},
                    new dnnl_memory_desc_t[] {userSrc, userWeights, userDst});
            steps.add(forward);
            if (withBias) {
                dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
                OneDnn.check(dnnl_convolution_forward_desc_init(desc, dnnl_forward_training, dnnl_convolution_auto,
                        any(src), any(weights), OneDnn.floats(new long[] {dst[1]}, dnnl_x), any(dst), strides, before,
                        after), "dnnl_convolution_forward_desc_init");
                forwardWithBias = new Step(primitiveDesc(desc, null),
                        new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                        new int[] {dnnl_query_src_md, dnnl_query_weights_md, -1, dnnl_query_dst_md},
                        new dnnl_memory_desc_t[] {userSrc, userWeights, OneDnn.floats(new long[] {dst[1]}, dnnl_x),
                            userDst});
                steps.add(forwardWithBias);
            } else {
                forwardWithBias = null;
            }
        }

        /** The forward with the bias (when the plan has one) and the leaky rectifier of {@code slope} inside. */
        Step leaky(float slope) {
            if (leaky == null || Float.floatToIntBits(leakySlope) != Float.floatToIntBits(slope)) {
                if (leaky != null) {
                    steps.remove(leaky);
                    leaky.destroy();
                }
                dnnl_memory_desc_t biasDesc = withBias ? OneDnn.floats(new long[] {dstDims[1]}, dnnl_x) : null;
                dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
                OneDnn.check(dnnl_convolution_forward_desc_init(desc, dnnl_forward_training, dnnl_convolution_auto,
                        any(srcDims), any(weightDims), biasDesc, any(dstDims), strides, before, after),
                        "dnnl_convolution_forward_desc_init");
                dnnl_primitive_attr attr = new dnnl_primitive_attr();
                dnnl_post_ops postOps = new dnnl_post_ops();
                OneDnn.check(dnnl_primitive_attr_create(attr), "dnnl_primitive_attr_create");
                OneDnn.check(dnnl_post_ops_create(postOps), "dnnl_post_ops_create");
                try {
                    OneDnn.check(dnnl_post_ops_append_eltwise(postOps, 1f, dnnl_eltwise_relu, slope, 0f),
                            "dnnl_post_ops_append_eltwise");
                    OneDnn.check(dnnl_primitive_attr_set_post_ops(attr, postOps), "dnnl_primitive_attr_set_post_ops");
                    dnnl_primitive_desc pd = primitiveDesc(desc, attr, null);
                    leaky = withBias
                            ? new Step(pd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                                    new int[] {dnnl_query_src_md, dnnl_query_weights_md, -1, dnnl_query_dst_md},
                                    new dnnl_memory_desc_t[] {userSrc, userWeights, biasDesc, userDst})
                            : new Step(pd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
                                    new int[] {dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md},
                                    new dnnl_memory_desc_t[] {userSrc, userWeights, userDst});
                } finally {
                    dnnl_post_ops_destroy(postOps);
                    dnnl_primitive_attr_destroy(attr);
                }
                leakySlope = slope;
                steps.add(leaky);
            }
            return leaky;
        }

        /** The weight gradient with the bias gradient inside: arguments src, diff_dst, diff_bias, diff_weights. */
        Step backwardWeightsWithBias() {
            if (backwardWeightsWithBias == null) {
                dnnl_memory_desc_t biasDesc = OneDnn.floats(new long[] {dstDims[1]}, dnnl_x);
                dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
                OneDnn.check(dnnl_convolution_backward_weights_desc_init(desc, dnnl_convolution_auto,
                        any(srcDims), any(weightDims), biasDesc, any(dstDims), strides, before, after),
                        "dnnl_convolution_backward_weights_desc_init");
                backwardWeightsWithBias = new Step(primitiveDesc(desc, null, hint),
                        new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_BIAS, DNNL_ARG_DIFF_WEIGHTS},
                        new int[] {dnnl_query_src_md, dnnl_query_diff_dst_md, -1, dnnl_query_diff_weights_md},
                        new dnnl_memory_desc_t[] {userSrc, userDst, biasDesc, userWeights});
                steps.add(backwardWeightsWithBias);
            }
            return backwardWeightsWithBias;
        }

        Step backwardData() {
            if (backwardData == null) {
                dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
                OneDnn.check(dnnl_convolution_backward_data_desc_init(desc, dnnl_convolution_auto,
                        any(srcDims), any(weightDims), any(dstDims), strides, before, after),
                        "dnnl_convolution_backward_data_desc_init");
                backwardData = new Step(primitiveDesc(desc, hint),
                        new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                        new int[] {dnnl_query_diff_dst_md, dnnl_query_weights_md, dnnl_query_diff_src_md},
                        new dnnl_memory_desc_t[] {userDst, userWeights, userSrc});
                steps.add(backwardData);
            }
            return backwardData;
        }

        Step backwardWeights() {
            if (backwardWeights == null) {
                dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
                OneDnn.check(dnnl_convolution_backward_weights_desc_init(desc, dnnl_convolution_auto,
                        any(srcDims), any(weightDims), null, any(dstDims), strides, before, after),
                        "dnnl_convolution_backward_weights_desc_init");
                backwardWeights = new Step(primitiveDesc(desc, hint),
                        new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS},
                        new int[] {dnnl_query_src_md, dnnl_query_diff_dst_md, dnnl_query_diff_weights_md},
                        new dnnl_memory_desc_t[] {userSrc, userDst, userWeights});
                steps.add(backwardWeights);
            }
            return backwardWeights;
        }

        /**
         * Destroys every step, the backward ones (made with the forward descriptor as their hint) first; the hint is
         * the forward step's own descriptor, destroyed with that step and only there (destroying it again here
         * crashed the process the first time a layer's ninth shape evicted a plan).
         */
        void destroy() {
            for (int i = steps.size() - 1; i >= 0; i--) {
                steps.get(i).destroy();
            }
            steps.clear();
        }
    }

    private static dnnl_memory_desc_t any(long[] dims) {
        return OneDnn.floats(dims, dnnl_format_tag_any);
    }

    private static dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t desc, dnnl_primitive_desc hint) {
        return primitiveDesc(desc, null, hint);
    }

    /** The primitive descriptor of {@code desc} with the attributes {@code attr} (null: none). */
    private static dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t desc, dnnl_primitive_attr attr,
            dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        OneDnn.check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), attr, OneDnn.engine(), hint),
                "dnnl_primitive_desc_create (convolution)");
        return pd;
    }

    /**
     * One primitive and its arguments. An argument whose layout the primitive chose differently from the caller's
     * NCHW or OIHW array runs through a copy in a workspace buffer: reordered into it before (the inputs) or out of
     * it after (the output, the last argument).
     */
    private static final class Step {
        private final dnnl_primitive_desc pd;
        private final dnnl_primitive primitive;
        private final dnnl_exec_arg_t args;
        private final int count;
        private final dnnl_memory[] user;
        private final dnnl_memory[] inner;
        private final dnnl_primitive[] reorders;
        private final dnnl_exec_arg_t[] reorderArgs;
        private final long[] innerBytes;

        /**
         * @param queries the primitive's layout query of each argument, -1 for one taken as the caller lays it
         *                (the bias)
         */
        Step(dnnl_primitive_desc pd, int[] keys, int[] queries, dnnl_memory_desc_t[] userDescs) {
            this.pd = pd;
            this.count = keys.length;
            primitive = new dnnl_primitive();
            OneDnn.check(dnnl_primitive_create(primitive, pd), "dnnl_primitive_create (convolution)");
            user = new dnnl_memory[count];
            inner = new dnnl_memory[count];
            reorders = new dnnl_primitive[count];
            reorderArgs = new dnnl_exec_arg_t[count];
            innerBytes = new long[count];
            args = new dnnl_exec_arg_t(count);
            for (int i = 0; i < count; i++) {
                user[i] = OneDnn.memory(userDescs[i]);
                dnnl_memory used = user[i];
                if (queries[i] >= 0) {
                    dnnl_memory_desc_t chosen = dnnl_primitive_desc_query_md(pd, queries[i], 0);
                    if (dnnl_memory_desc_equal(chosen, userDescs[i]) == 0) {
                        inner[i] = OneDnn.memory(chosen);
                        innerBytes[i] = OneDnn.bytes(chosen);
                        boolean output = i == count - 1;
                        reorders[i] = reorder(output ? chosen : userDescs[i], output ? userDescs[i] : chosen);
                        reorderArgs[i] = new dnnl_exec_arg_t(2);
                        reorderArgs[i].position(0).arg(DNNL_ARG_FROM).memory(output ? inner[i] : user[i]);
                        reorderArgs[i].position(1).arg(DNNL_ARG_TO).memory(output ? user[i] : inner[i]);
                        reorderArgs[i].position(0);
                        used = inner[i];
                    }
                }
                args.position(i).arg(keys[i]).memory(used);
            }
            args.position(0);
        }

        /** Runs the primitive on the caller's arrays, in the order of the keys. */
        void run(INDArray... arrays) {
            for (int i = 0; i < count; i++) {
                OneDnn.point(user[i], arrays[i]);
                if (inner[i] != null) {
                    // a distinct workspace per argument: every one of a step's reordered copies is live at once
                    OneDnn.point(inner[i], OneDnn.workspace(i, innerBytes[i]));
                }
            }
            for (int i = 0; i < count - 1; i++) {
                if (reorders[i] != null) {
                    execute(reorders[i], reorderArgs[i], 2);
                }
            }
            execute(primitive, args, count);
            if (reorders[count - 1] != null) {
                execute(reorders[count - 1], reorderArgs[count - 1], 2);
            }
            OneDnn.check(dnnl_stream_wait(OneDnn.stream()), "dnnl_stream_wait");
        }

        void destroy() {
            for (int i = 0; i < count; i++) {
                dnnl_memory_destroy(user[i]);
                if (inner[i] != null) {
                    dnnl_memory_destroy(inner[i]);
                    dnnl_primitive_destroy(reorders[i]);
                }
            }
            dnnl_primitive_destroy(primitive);
            dnnl_primitive_desc_destroy(pd);
        }

        private static void execute(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {
            OneDnn.check(dnnl_primitive_execute(primitive, OneDnn.stream(), count, args), "dnnl_primitive_execute");
        }

        private static dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            OneDnn.check(dnnl_reorder_primitive_desc_create(pd, from, OneDnn.engine(), to, OneDnn.engine(), null),
                    "dnnl_reorder_primitive_desc_create");
            dnnl_primitive reorder = new dnnl_primitive();
            OneDnn.check(dnnl_primitive_create(reorder, pd), "dnnl_primitive_create (reorder)");
            dnnl_primitive_desc_destroy(pd);
            return reorder;
        }
    }

    @Override
    public String toString() {
        return "direct convolution " + Arrays.toString(kernel) + " stride " + Arrays.toString(stride);
    }
}
