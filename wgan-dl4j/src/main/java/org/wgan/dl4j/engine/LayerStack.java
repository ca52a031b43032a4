package org.wgan.dl4j.engine;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;
import org.wgan.core.simd.VectorKernels;
import org.wgan.core.simd.VectorSupport;

/**
 * Forward pass, backprop and exact double backprop for a MultiLayerNetwork of stages
 * {@code z_k = L_k(a_{k-1}) + b_k}, {@code a_k = s_k(z_k)}: dense layers, 2-D convolutions and transposed
 * convolutions (NCHW, stride, padding, Truncate/Same), activation layers ({@code L = I}), and the parameter-free
 * linear layers (nearest-neighbour upsampling, average pooling, global average or sum pooling; {@code s = I}), with
 * DL4J's CNN/feed-forward reshaping preprocessors folded into the linear maps. Batch normalisation
 * ({@link BatchNormStage}) is a stage of its own kind, not pointwise: it runs forward (batch statistics in training
 * mode, the running ones in inference mode) and backward, but a stack with it has no input gradient for the penalty
 * ({@link #at} refuses it).
 *
 * <p>Every activation-sized array lives in buffers preallocated per input shape and reused from step to step:
 * DL4J's own forward and backward allocate fresh off-heap arrays for every layer in every step, and touching fresh
 * memory (page faults) cost more than the matrix products themselves on the machines measured (benchmarks/README).
 * Arrays returned by {@link #forward}, {@link #output}, {@link #backward} and {@link #at} are those buffers: valid
 * until the next call of the same kind with the same input shape.
 *
 * <p>Input gradient of {@code F = sum_i f(x_i)}: {@code delta_L = 1}; {@code e_k = delta_k * s_k'(z_k)},
 * {@code delta_{k-1} = L_k^T(e_k)}; {@code g = delta_0}.
 *
 * <p>Adjoint for a cotangent {@code u_0} on g (DESIGN.md section 3), walking up the stages:
 * {@code dW_k += weightGrad_k(input = u_{k-1}, outGrad = e_k)}, {@code v_k = L_k(u_{k-1})},
 * {@code r_k = v_k * delta_k * s_k''(z_k)}, {@code u_k = v_k * s_k'(z_k)}; then the {@code r_k} flow back through
 * the forward graph like an ordinary loss gradient at {@code z_k}, reaching W and b of stages {@code <= k}.
 *
 * <p>A dense layer with layer normalisation ({@link LayerNormalization}) has {@code z_k = g_k * N(a_{k-1} W_k) + b_k},
 * not linear in {@code a_{k-1}}: its backward maps {@code e_k} to {@code dL/dy = J_N (g_k * e_k)} before W, its
 * {@code v_k} is the tangent {@code g_k * J_N (u_{k-1} W_k)}, and the adjoint adds the gain's terms and the
 * second-order term of {@code J_N}'s dependence on y, which flows back from y like the {@code r_k} do from z.
 */
final class LayerStack extends OwnPasses {

    private final List<Stage> stages;
    private final DataType dataType;
    private final INDArray flatGradient;
    /** Why {@link #at} refuses this stack (a batch-normalisation layer), or null when it runs. */
    private final String notTwiceDifferentiable;
    /** The threads the stack's own elementwise loops are split over ({@link #loopThreads(boolean)}). */
    private final int loopThreads;
    /** Boundaries between convolutions whose arrays are in oneDNN's blocked layout. */
    private final int blockedBoundaries;
    /** The system property that keeps every boundary NCHW ({@code -Dwgan.plainBoundaries=true}). */
    static final String PLAIN_BOUNDARIES = "wgan.plainBoundaries";
    private final Map<List<Long>, Pass> trainingPasses = new HashMap<>();
    private final Map<List<Long>, Pass> inferencePasses = new HashMap<>();
    private final Map<List<Long>, Pass> penaltyPasses = new HashMap<>();
    private Pass training;
    private Views lastViews;

    /**
     * One stage; {@code weightGradient} and {@code biasGradient} are its blocks of the network's own flat gradient;
     * {@code norm} is set for a batch-normalisation stage (then the map is the identity or a reshape, without
     * parameters, and the activation the identity); {@code layerNorm} for a dense stage with layer normalisation
     * between its product and its bias.
     */
    record Stage(LinearMap map, ActivationDerivatives activation, long weightOffset, INDArray weight,
            long biasOffset, INDArray bias, INDArray weightGradient, INDArray biasGradient, boolean dense,
            BatchNormStage norm, LayerNormalization layerNorm) {

        /** A stage without layer normalisation. */
        Stage(LinearMap map, ActivationDerivatives activation, long weightOffset, INDArray weight, long biasOffset,
                INDArray bias, INDArray weightGradient, INDArray biasGradient, boolean dense, BatchNormStage norm) {
            this(map, activation, weightOffset, weight, biasOffset, bias, weightGradient, biasGradient, dense, norm,
                    null);
        }

        /**
         * The map's backward from {@code outGrad}: into {@code inputGradient}, and with {@code parameterGradients}
         * the weight gradient overwriting its block; a null {@code inputGradient} asks for the weight gradient alone
         * (a stage reading the network's input when the caller needs no gradient there).
         */
        void mapBackward(INDArray input, INDArray outGrad, INDArray inputGradient, boolean parameterGradients) {
            if (parameterGradients && weight != null && inputGradient != null) {
                map.backwardInto(input, outGrad, inputGradient, weightGradient, false);
            } else if (parameterGradients && weight != null) {
                map.weightGradientInto(input, outGrad, weightGradient, false);
            } else if (inputGradient != null) {
                map.transposeInto(outGrad, inputGradient);
            }
        }

        /**
         * True when a map may apply this stage's activation inside its own op ({@link LinearMap#applyLeakyInto}):
         * a leaky rectifier of positive slope (not the identity) on a stage without normalisation. ReLU (slope 0)
         * stays a pass of its own: oneDNN's relu at slope 0 turns NaN into 0.
         */
        boolean leakyInMap() {
            double slope = activation.leakySlope();
            return norm == null && layerNorm == null && !dense && slope > 0 && slope != 1 && slope <= Float.MAX_VALUE;
        }

        /** True when the SIMD loops can do this dense stage's bias and piecewise-linear activation. */
        boolean fusable(INDArray... arrays) {
            return dense && !Double.isNaN(activation.leakySlope()) && VectorSupport.rowMajorFloats(arrays)
                    && VectorSupport.rowMajorFloats(bias);
        }
    }

    private LayerStack(List<Stage> stages, DataType dataType, INDArray flatGradient, String notTwiceDifferentiable,
            int loopThreads) {
        this.loopThreads = loopThreads;
        this.stages = stages;
        this.dataType = dataType;
        this.flatGradient = flatGradient;
        this.notTwiceDifferentiable = notTwiceDifferentiable;
        this.blockedBoundaries = layBlockedBoundaries(stages, dataType);
    }

    /**
     * Lays the arrays between two float32 convolutions in oneDNN's blocked layout where the first applies its
     * leaky rectifier inside its forward ({@link Stage#leakyInMap}) and the second reads them unreshaped: its
     * activation s(z), the gradient there and the adjoint's tangents there are then passed from primitive to
     * primitive without being converted to NCHW and back, and are only ever touched elementwise in between (the
     * derivative, the tangents' products), which does not depend on the layout. Returns how many boundaries it laid
     * out so.
     */
    private static int layBlockedBoundaries(List<Stage> stages, DataType dataType) {
        if (dataType != DataType.FLOAT || Boolean.getBoolean(PLAIN_BOUNDARIES)) {
            return 0;
        }
        int[] inputTags = new int[stages.size()];
        int[] outputTags = new int[stages.size()];
        Arrays.fill(inputTags, dnnl_nchw);
        Arrays.fill(outputTags, dnnl_nchw);
        int laid = 0;
        for (int k = 0; k + 1 < stages.size(); k++) {
            Stage s = stages.get(k);
            Conv2dMap from = s.map().convolution();
            if (from == null || !s.leakyInMap() || !(stages.get(k + 1).map() instanceof Conv2dMap)) {
                continue;
            }
            int tag = DirectConvolution.blockedTag(from.outChannels);
            if (tag != dnnl_nchw) {
                outputTags[k] = tag;
                inputTags[k + 1] = tag;
                laid++;
            }
        }
        for (int k = 0; k < stages.size() && laid > 0; k++) {
            Conv2dMap convolution = stages.get(k).map().convolution();
            if (convolution != null) {
                convolution.lay(inputTags[k], outputTags[k]);
            }
        }
        return laid;
    }

    /** Boundaries between convolutions laid out in oneDNN's blocked layout ({@link #layBlockedBoundaries}). */
    int blockedBoundaries() {
        return blockedBoundaries;
    }

    /**
     * Reads the network's stages. A stack with batch normalisation is made (it runs forward and backward), but
     * {@link #at} refuses it.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be differentiated twice exactly, other than
     *                                  a batch-normalisation layer
     */
    static LayerStack of(MultiLayerNetwork network, List<ParameterBlock> blocks, INDArray flatGradient) {
        return of(network, blocks, flatGradient, null);
    }

    /**
     * Reads the network's stages, with the weights W read from {@code weightSource} (a flat array laid out like
     * the network's parameters, e.g. {@link SpectralNormalization#effectiveParameters()}) instead of the network's
     * own parameters when it is not null; biases are always the network's.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be differentiated twice exactly
     */
    static LayerStack of(MultiLayerNetwork network, List<ParameterBlock> blocks, INDArray flatGradient,
            INDArray weightSource) {
        List<Stage> stages = new ArrayList<>();
        List<Integer> normalised = new ArrayList<>();
        List<Integer> layerNormalised = new ArrayList<>();
        String notTwiceDifferentiable = null;
        boolean straight = straightProducts(Arrays.asList(network.getLayers()));
        for (int i = 0; i < network.getnLayers(); i++) {
            Stage stage = stage(i, network.getLayer(i), network.getLayerWiseConfigurations().getInputPreProcess(i),
                    blocks, flatGradient, weightSource, straight);
            if (stage.layerNorm() != null) {
                layerNormalised.add(i);
            }
            if (stage.norm() != null) {
                normalised.add(i);
                if (notTwiceDifferentiable == null) {
                    notTwiceDifferentiable = unsupported(i, network.getLayer(i).conf().getLayer(), "its batch"
                            + " statistics couple the samples, so the penalty's per-sample input gradient is not"
                            + " defined; the gradient penalty differentiates only " + SUPPORTED + " twice; use those"
                            + " (no batch normalisation in a penalised critic)").getMessage();
                }
            }
            stages.add(stage);
        }
        // a batch-normalisation layer's parameters (gamma, beta, running statistics) are its stage's, a layer-norm
        // dense layer's gain g too
        long covered = blocks.stream().filter(b -> b.name().equals("W") || b.name().equals("b")
                || normalised.contains(b.layerIndex())
                || (b.name().equals("g") && layerNormalised.contains(b.layerIndex())))
                .mapToLong(b -> b.view().length()).sum();
        if (covered != network.numParams()) {
            throw new IllegalArgumentException("the critic has parameters other than weights, biases and"
                    + " normalisation parameters");
        }
        return new LayerStack(List.copyOf(stages), network.params().dataType(), flatGradient, notTwiceDifferentiable,
                loopThreads(straight));
    }

    /**
     * Checks that {@link #at} can run.
     *
     * @throws IllegalArgumentException naming the first batch-normalisation layer, when there is one
     */
    @Override
    void requireTwiceDifferentiable() {
        if (notTwiceDifferentiable != null) {
            throw new IllegalArgumentException(notTwiceDifferentiable);
        }
    }

    /**
     * True when every layer is a {@code DenseLayer} or an {@code ActivationLayer}: then the network's dense products
     * of every size go straight to OpenBLAS, on OpenBLAS's threads, and nothing else of its step wakes libnd4j's
     * OpenMP pool. A network with other layers (convolutions, which run on that pool, pooling, normalisation) keeps
     * its larger products on {@code Nd4j.gemm}, on the same pool. Two pools on two cores compete: each one's idle
     * threads spin for a while after its work, on the core the other one needs (issue #17, benchmarks/JOURNAL.md).
     * The choice depends on the configuration alone, so a resumed run takes the same paths as an uninterrupted one.
     */
    static boolean straightProducts(List<Layer> layers) {
        for (Layer layer : layers) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (!(conf instanceof DenseLayer) && !(conf instanceof ActivationLayer)) {
                return false;
            }
        }
        return !layers.isEmpty();
    }

    /**
     * The threads a network's elementwise SIMD loops (activations, their derivatives, the penalty adjoint's products)
     * are split over: 1, on the calling thread, when its products run on OpenBLAS's threads
     * ({@link #straightProducts}), else {@link LoopThreads#threads()}. OpenBLAS's idle threads spin for a while after
     * each product, so a loop handed to a worker of {@link LoopThreads} waits for the core one of them holds: on the
     * 2-vCPU Intel Xeon of benchmarks/JOURNAL.md the toy critic step at batch 256 took 9.9-10.2 ms with its loops
     * split and 9.2-9.4 ms on the caller (four rounds each). Both give the same bits.
     */
    static int loopThreads(boolean straightProducts) {
        return straightProducts ? 1 : LoopThreads.threads();
    }

    /**
     * Layer {@code i} as a stage: its linear map (with {@code preprocessor}, when not null, folded in), activation
     * and parameter blocks ({@code i} is its layer index in {@code blocks}); shared with {@link GraphStack}.
     *
     * @throws IllegalArgumentException naming the layer when it cannot be differentiated twice exactly
     */
    static Stage stage(int i, Layer layer, InputPreProcessor preprocessor, List<ParameterBlock> blocks,
            INDArray flatGradient, INDArray weightSource, boolean straightProducts) {
        int index = i;
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf.getIDropout() != null) {
            throw unsupported(i, conf, "it applies dropout, which makes the penalty random; remove dropout"
                    + " from the critic");
        }
        if (conf instanceof BaseLayer base && base.getWeightNoise() != null) {
            throw unsupported(i, conf, "it applies weight noise; remove it from the critic");
        }
        LinearMap map;
        INDArray weight = null;
        INDArray bias = null;
        BatchNormStage norm = null;
        LayerNormalization layerNorm = null;
        org.nd4j.linalg.activations.IActivation activation;
        if (conf instanceof DenseLayer dense) {
            if (dense.hasLayerNorm()) {
                INDArray gain = layer.getParam("g");
                long gainOffset = offset(blocks, i, "g");
                layerNorm = new LayerNormalization(gain, gainOffset, view(flatGradient, gainOffset, gain));
            }
            weight = weight(layer, i, blocks, weightSource);
            bias = dense.hasBias() ? layer.getParam("b") : null;
            map = new DenseMap(weight, bias, straightProducts);
            activation = dense.getActivationFn();
        } else if (conf.getClass() == ConvolutionLayer.class || conf.getClass() == Convolution2D.class) {
            ConvolutionLayer conv = (ConvolutionLayer) conf;
            if (conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw unsupported(i, conf, "only NCHW data is supported; use CNN2DFormat.NCHW");
            }
            if (conv.getDilation()[0] != 1 || conv.getDilation()[1] != 1) {
                throw unsupported(i, conf, "dilation " + Arrays.toString(conv.getDilation())
                        + " is not supported; use dilation 1");
            }
            weight = weight(layer, i, blocks, weightSource);
            bias = conv.hasBias() ? layer.getParam("b") : null;
            map = new Conv2dMap(weight, bias, conv.getKernelSize(), conv.getStride(), conv.getPadding(),
                    conv.getConvolutionMode() == ConvolutionMode.Same);
            activation = conv.getActivationFn();
        } else if (conf.getClass() == Deconvolution2D.class) {
            Deconvolution2D deconv = (Deconvolution2D) conf;
            checkNchwUndilated(i, conf, deconv.getCnn2dDataFormat(), deconv.getDilation());
            weight = weight(layer, i, blocks, weightSource);
            bias = deconv.hasBias() ? layer.getParam("b") : null;
            map = new Deconv2dMap(weight, bias, deconv.getKernelSize(), deconv.getStride(), deconv.getPadding(),
                    deconv.getConvolutionMode() == ConvolutionMode.Same);
            activation = deconv.getActivationFn();
        } else if (conf instanceof ActivationLayer act) {
            map = IdentityMap.INSTANCE;
            activation = act.getActivationFn();
        } else if (conf.getClass() == Upsampling2D.class || conf.getClass() == SubsamplingLayer.class
                || conf.getClass() == GlobalPoolingLayer.class) {
            map = resamplingMap(i, conf);
            activation = Activation.IDENTITY.getActivationFunction();
        } else if (conf instanceof BatchNormalization batchNorm) {
            if (batchNorm.getCnn2DFormat() != CNN2DFormat.NCHW) {
                throw unsupported(i, conf, "only NCHW data is supported; use CNN2DFormat.NCHW");
            }
            norm = BatchNormStage.of(batchNorm, layer::getParam,
                    name -> view(flatGradient, offset(blocks, index, name), layer.getParam(name)));
            map = IdentityMap.INSTANCE;
            activation = new ActivationIdentity(); // DL4J's batch-norm layer applies no activation
        } else {
            throw unsupported(i, conf, "the gradient penalty differentiates only " + SUPPORTED + " twice; use"
                    + " those (no batch normalisation in a penalised critic)");
        }
        if (preprocessor != null) {
            map = new ReshapedMap(map, reshapeTarget(i, conf, preprocessor));
        }
        ActivationDerivatives derivatives = ActivationDerivatives.of(activation, loopThreads(straightProducts))
                .orElseThrow(() -> unsupported(index, conf, "its activation " + activation + " has no second"
                        + " derivative here; use identity, ReLU, LeakyReLU, tanh, sigmoid, ELU or softplus"));
        long weightOffset = weight == null ? -1 : offset(blocks, i, "W");
        long biasOffset = bias == null ? -1 : offset(blocks, i, "b");
        return new Stage(map, derivatives, weightOffset, weight, biasOffset, bias,
                weight == null ? null : view(flatGradient, weightOffset, weight),
                bias == null ? null : view(flatGradient, biasOffset, bias), conf instanceof DenseLayer, norm,
                layerNorm);
    }

    private static INDArray weight(Layer layer, int index, List<ParameterBlock> blocks, INDArray weightSource) {
        INDArray own = layer.getParam("W");
        return weightSource == null ? own : view(weightSource, offset(blocks, index, "W"), own);
    }

    /** The layers {@link #of} takes, as its refusal names them. */
    private static final String SUPPORTED = "DenseLayer, ConvolutionLayer (2-D), Deconvolution2D, ActivationLayer,"
            + " Upsampling2D, SubsamplingLayer (AVG) and GlobalPoolingLayer (AVG or SUM)";

    private static void checkNchwUndilated(int index, org.deeplearning4j.nn.conf.layers.Layer conf, CNN2DFormat format,
            int[] dilation) {
        if (format != CNN2DFormat.NCHW) {
            throw unsupported(index, conf, "only NCHW data is supported; use CNN2DFormat.NCHW");
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            throw unsupported(index, conf, "dilation " + Arrays.toString(dilation) + " is not supported; use"
                    + " dilation 1");
        }
    }

    /** The parameter-free linear map of an Upsampling2D, SubsamplingLayer or GlobalPoolingLayer. */
    private static LinearMap resamplingMap(int index, org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof Upsampling2D up) {
            if (up.getFormat() != CNN2DFormat.NCHW) {
                throw unsupported(index, conf, "only NCHW data is supported; use CNN2DFormat.NCHW");
            }
            return new Upsampling2dMap(up.getSize());
        }
        if (conf instanceof SubsamplingLayer pool) {
            if (pool.getPoolingType() != PoolingType.AVG) {
                String why = pool.getPoolingType() == PoolingType.MAX ? " (max pooling's selection depends on the"
                        + " input, which the engine's stateless linear maps do not keep)" : "";
                throw unsupported(index, conf, "its pooling type " + pool.getPoolingType() + " is not supported" + why
                        + "; use PoolingType.AVG");
            }
            checkNchwUndilated(index, conf, pool.getCnn2dDataFormat(), pool.getDilation());
            return new AvgPool2dMap(pool.getKernelSize(), pool.getStride(), pool.getPadding(),
                    pool.getConvolutionMode() == ConvolutionMode.Same, pool.isAvgPoolIncludePadInDivisor());
        }
        GlobalPoolingLayer global = (GlobalPoolingLayer) conf;
        if (global.getPoolingType() != PoolingType.AVG && global.getPoolingType() != PoolingType.SUM) {
            throw unsupported(index, conf, "its pooling type " + global.getPoolingType() + " is not supported; use"
                    + " PoolingType.AVG or PoolingType.SUM");
        }
        int[] dimensions = global.getPoolingDimensions();
        if (!global.isCollapseDimensions() || (dimensions != null && !Arrays.equals(dimensions, new int[] {2, 3}))) {
            throw unsupported(index, conf, "only pooling over the spatial dimensions {2, 3} of NCHW input with"
                    + " collapseDimensions(true) is supported");
        }
        return new GlobalPoolMap(global.getPoolingType() == PoolingType.AVG);
    }

    private static long[] reshapeTarget(int index, org.deeplearning4j.nn.conf.layers.Layer conf,
            InputPreProcessor preprocessor) {
        if (preprocessor instanceof CnnToFeedForwardPreProcessor cnnToFf && cnnToFf.getFormat() == CNN2DFormat.NCHW) {
            return new long[] {cnnToFf.getNumChannels() * cnnToFf.getInputHeight() * cnnToFf.getInputWidth()};
        }
        if (preprocessor instanceof FeedForwardToCnnPreProcessor ffToCnn) {
            return new long[] {ffToCnn.getNumChannels(), ffToCnn.getInputHeight(), ffToCnn.getInputWidth()};
        }
        throw unsupported(index, conf, "its input preprocessor " + preprocessor.getClass().getSimpleName()
                + " is not supported; only the NCHW reshapes between convolution and dense layers are");
    }

    private static IllegalArgumentException unsupported(int index, org.deeplearning4j.nn.conf.layers.Layer conf,
            String why) {
        return new IllegalArgumentException("critic layer " + index + " (" + conf.getClass().getSimpleName()
                + ") cannot be differentiated twice for the gradient penalty: " + why);
    }

    private static long offset(List<ParameterBlock> blocks, int layer, String name) {
        for (ParameterBlock block : blocks) {
            if (block.layerIndex() == layer && block.name().equals(name)) {
                return block.offset();
            }
        }
        throw new IllegalStateException("no parameter " + name + " in layer " + layer);
    }

    /** Reads the network's stages if it can; empty (with no exception) when a layer is not supported. */
    static Optional<LayerStack> tryOf(MultiLayerNetwork network, List<ParameterBlock> blocks,
            INDArray flatGradient) {
        try {
            return Optional.of(of(network, blocks, flatGradient, null));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Training-mode forward pass; keeps what {@link #backward} needs. Returns an internal buffer. */
    INDArray forward(INDArray x) {
        training = pass(trainingPasses, x.shape());
        training.forward(x);
        return training.output();
    }

    /** Inference-mode forward pass: batch normalisation uses its running statistics, other stages are unchanged. */
    INDArray output(INDArray x) {
        Pass pass = pass(inferencePasses, x.shape());
        pass.forward(x);
        return pass.output();
    }

    /**
     * Backpropagates {@code outputGradient} through the last {@link #forward}, overwriting the flat parameter
     * gradient; returns the input gradient (an internal buffer).
     */
    INDArray backward(INDArray outputGradient) {
        return backward(outputGradient, true);
    }

    /**
     * Backpropagates {@code outputGradient} through the last {@link #forward} to the input only, leaving the flat
     * parameter gradient alone (a generator step needs the critic's input gradient, not its weight gradients).
     */
    INDArray backwardToInput(INDArray outputGradient) {
        return backward(outputGradient, false);
    }

    @Override
    void backwardParameters(INDArray outputGradient) {
        if (training == null) {
            throw new IllegalStateException("backward(...) needs a preceding forward(...)");
        }
        training.backward(outputGradient, true, false, false);
    }

    private INDArray backward(INDArray outputGradient, boolean parameterGradients) {
        if (training == null) {
            throw new IllegalStateException("backward(...) needs a preceding forward(...)");
        }
        training.backward(outputGradient, parameterGradients, false, true);
        return training.delta[0];
    }

    /**
     * Forward pass, input gradient and the adjoint, at samples {@code x} ({@code [batch, ...]}). The result reads
     * buffers the next call reuses: it is valid until the next call or {@link #invalidateInputGradients()}, and a
     * stale one throws instead of reading another call's data.
     */
    InputGradient at(INDArray x) {
        requireTwiceDifferentiable();
        Pass pass = pass(penaltyPasses, x.shape());
        pass.forward(x);
        pass.backward(pass.ones(), false, true, true);
        return measured(pass);
    }

    private Pass pass(Map<List<Long>, Pass> cache, long[] inputShape) {
        return cachedPass(cache, inputShape, shape -> new Pass(shape, cache != inferencePasses));
    }

    @Override
    boolean holdsAdjointBuffers() {
        return Stream.of(trainingPasses, inferencePasses, penaltyPasses)
                .anyMatch(cache -> cache.values().stream().anyMatch(Pass::holdsAdjointBuffers));
    }

    /**
     * Preallocated buffers of one input shape: the forward activations, the backward gradients and the adjoint's
     * work arrays (those the first penalty backward allocates: training and inference passes never need them).
     * Reused from call to call, so a training step allocates no activation-sized array.
     */
    private final class Pass implements PenaltyPass {
        private final INDArray[] inputs;
        private final INDArray[] z;
        private final INDArray[] a;
        /**
         * The array each stage's derivative is taken from: z_k, or a_k where the map applied a leaky rectifier
         * itself ({@link LinearMap#applyLeakyInto}) and z_k was never written; set by every forward.
         */
        private final INDArray[] derivativeInput;
        private final INDArray[] firstDerivative;
        private final INDArray[] delta;
        private final INDArray[] e;
        private final INDArray[] v;
        private final INDArray[] r;
        private final INDArray[] back;
        private final BatchNormStage.Buffers[] norms;
        private final LayerNormalization.Buffers[] layerNorms;
        private final long[] inputShape;
        /**
         * A training or penalty pass: batch statistics in batch normalisation, and the backward's buffers; an
         * inference pass (false) runs forward only, on the running statistics, and holds no backward buffers.
         */
        private final boolean trainingMode;
        private INDArray ones;
        /** Whether the adjoint's buffers are allocated (by the first penalty backward), kept from then on. */
        private boolean adjointBuffers;
        /** Whether the last backward kept the first derivatives for the adjoint, after the last forward. */
        private boolean penaltyBackward;

        Pass(long[] inputShape, boolean trainingMode) {
            int n = stages.size();
            this.inputShape = inputShape.clone();
            this.trainingMode = trainingMode;
            norms = new BatchNormStage.Buffers[n];
            layerNorms = new LayerNormalization.Buffers[n];
            inputs = new INDArray[n];
            z = new INDArray[n];
            a = new INDArray[n];
            derivativeInput = new INDArray[n];
            firstDerivative = new INDArray[n];
            delta = new INDArray[n + 1];
            e = new INDArray[n];
            v = new INDArray[n];
            r = new INDArray[n];
            back = new INDArray[n];
            long[] shape = inputShape;
            // an inference pass runs forward only: no backward buffers (half or more of a pass's memory)
            delta[0] = trainingMode ? Nd4j.createUninitialized(dataType, shape) : null;
            for (int k = 0; k < n; k++) {
                Stage s = stages.get(k);
                shape = s.map().outputShape(shape);
                if (s.norm() != null) {
                    norms[k] = s.norm().buffers(shape);
                    if (trainingMode) {
                        // batch normalisation's backward goes through v_k when a map precedes it
                        v[k] = Nd4j.createUninitialized(dataType, shape);
                    }
                }
                if (s.layerNorm() != null) {
                    layerNorms[k] = s.layerNorm().buffers(dataType, shape);
                }
                z[k] = Nd4j.createUninitialized(dataType, shape);
                a[k] = Nd4j.createUninitialized(dataType, shape);
                e[k] = trainingMode ? Nd4j.createUninitialized(dataType, shape) : null;
                if (k < n - 1 && trainingMode) {
                    delta[k + 1] = a[k].ulike();
                }
            }
        }

        /**
         * The buffers only the adjoint reads ({@code s'(z_k)}, {@code v_k}, {@code r_k} and the reverse flow's
         * {@code back_k}), made outside any workspace by the first penalty backward and kept from then on.
         */
        private void allocateAdjointBuffers() {
            if (adjointBuffers) {
                return;
            }
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                for (int k = 0; k < stages.size(); k++) {
                    Stage s = stages.get(k);
                    if (k > 0) {
                        back[k] = delta[k].ulike();
                    }
                    firstDerivative[k] = z[k].ulike();
                    if (v[k] == null) {
                        v[k] = z[k].ulike();
                    }
                    if (s.activation().hasSecondDerivative()) {
                        r[k] = z[k].ulike();
                    }
                }
            }
            adjointBuffers = true;
        }

        /** Whether the adjoint's buffers are allocated. */
        boolean holdsAdjointBuffers() {
            return adjointBuffers;
        }

        @Override
        public INDArray inputGradient() {
            return delta[0];
        }

        @Override
        public INDArray output() {
            return a[stages.size() - 1];
        }

        INDArray ones() {
            if (ones == null) {
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    ones = output().ulike().assign(1.0);
                }
            }
            return ones;
        }

        void forward(INDArray x) {
            penaltyBackward = false;
            INDArray in = x.dataType() == dataType ? x : x.castTo(dataType);
            for (int k = 0; k < stages.size(); k++) {
                Stage s = stages.get(k);
                inputs[k] = in;
                if (s.norm() != null) {
                    // z_k holds the (reshaped or c-contiguous) input the statistics read
                    INDArray normIn = in;
                    if (s.map() != IdentityMap.INSTANCE || !BatchNormStage.contiguous(in)) {
                        s.map().applyInto(in, z[k]);
                        normIn = z[k];
                    }
                    norms[k].forward(normIn, a[k], trainingMode);
                    in = a[k];
                    continue;
                }
                boolean fused = z[k].rank() == 2 && s.fusable(z[k], a[k]);
                // a hidden stage's leaky rectifier inside the map's op: s(z) has z's sign, so s'(z) is read from a
                // (not the last stage: the caller may write into the output before the backward)
                if (layerNorms[k] == null && !fused && k < stages.size() - 1 && s.leakyInMap()
                        && s.map().applyLeakyInto(in, a[k], (float) s.activation().leakySlope())) {
                    derivativeInput[k] = a[k];
                    in = a[k];
                    continue;
                }
                derivativeInput[k] = z[k];
                if (layerNorms[k] == null && !fused) {
                    // the convolutions add their bias inside the op; then only the activation is a pass of its own
                    s.map().applyWithBiasInto(in, z[k]);
                    s.activation().valueInto(z[k], a[k]);
                    in = a[k];
                    continue;
                }
                s.map().applyInto(in, z[k]);
                if (layerNorms[k] != null) {
                    layerNorms[k].forward(z[k]);
                }
                if (fused) {
                    // one SIMD pass instead of ND4J's broadcast and activation ops (~30 us of dispatch each here)
                    VectorKernels.biasActivation(VectorSupport.bytes(z[k]), (int) z[k].offset(), (int) z[k].size(0),
                            (int) z[k].size(1), s.bias() == null ? null : VectorSupport.bytes(s.bias()),
                            s.bias() == null ? 0 : (int) s.bias().offset(), VectorSupport.bytes(a[k]),
                            (int) a[k].offset(), (float) s.activation().leakySlope());
                } else {
                    s.map().addBias(z[k]);
                    s.activation().valueInto(z[k], a[k]);
                }
                in = a[k];
            }
        }

        /**
         * {@code e_k = delta_{k+1} * s'(z_k)}, {@code delta_k = L_k^T(e_k)}; with {@code parameterGradients} the
         * parameter gradient of {@code <outputGradient, output>} overwrites the flat gradient (otherwise it is left
         * alone); with {@code penalty} the first derivatives are kept for the adjoint; without {@code inputGradient}
         * {@code delta_0} is not computed.
         */
        void backward(INDArray outputGradient, boolean parameterGradients, boolean penalty, boolean inputGradient) {
            penaltyBackward = false;
            if (penalty) {
                allocateAdjointBuffers();
            }
            int n = stages.size();
            delta[n] = outputGradient.dataType() == dataType ? outputGradient : outputGradient.castTo(dataType);
            for (int k = n - 1; k >= 0; k--) {
                Stage s = stages.get(k);
                if (s.norm() != null) {
                    INDArray dy = delta[k + 1];
                    if (!BatchNormStage.contiguous(dy)) {
                        e[k].assign(dy);
                        dy = e[k];
                    }
                    boolean identity = s.map() == IdentityMap.INSTANCE;
                    norms[k].backward(dy, identity ? delta[k] : v[k], parameterGradients);
                    if (!identity) {
                        s.map().transposeInto(v[k], delta[k]);
                    }
                    continue;
                }
                s.activation().firstTimesInto(derivativeInput[k], delta[k + 1], e[k],
                        penalty ? firstDerivative[k] : null);
                // with layer normalisation the map's outGrad is dL/dy = J (g * e), not e = dL/dz
                INDArray mapGradient = layerNorms[k] == null ? e[k] : layerNorms[k].backward(e[k],
                        parameterGradients ? s.layerNorm().gainGradient() : null, false);
                // without inputGradient the first stage sends nothing back to the input
                INDArray back = inputGradient || k > 0 ? delta[k] : null;
                boolean withBias = parameterGradients && s.bias() != null;
                // a convolution's bias gradient inside its weight-gradient op, not in a pass of its own over e_k
                if (withBias && s.weight() != null && layerNorms[k] == null
                        && s.map().backwardWithBiasInto(inputs[k], mapGradient, back, s.weightGradient(),
                                s.biasGradient())) {
                    continue;
                }
                s.mapBackward(inputs[k], mapGradient, back, parameterGradients);
                if (withBias) {
                    s.map().biasGradientInto(e[k], s.biasGradient(), false);
                }
            }
            penaltyBackward = penalty;
        }

        /**
         * The adjoint of {@link #at}'s input gradient, after {@link #measured} has checked it is current.
         *
         * @throws IllegalStateException when the pass's last backward was not a penalty backward after its forward
         */
        @Override
        public void addParameterGradient(INDArray cotangent, INDArray parameterGradient) {
            requirePenaltyBackward(penaltyBackward);
            checkAdjointArguments(cotangent, inputShape, parameterGradient, dataType, flatGradient.length());
            int n = stages.size();
            Views views = viewsOf(parameterGradient);
            INDArray u = cotangent.dataType() == dataType ? cotangent : cotangent.castTo(dataType);
            for (int k = 0; k < n; k++) {
                Stage s = stages.get(k);
                LayerNormalization.Buffers layerNorm = layerNorms[k];
                if (s.weight() != null) {
                    s.map().weightGradientInto(u, layerNorm == null ? e[k] : layerNorm.p(), views.weight(k), true);
                }
                s.map().applyInto(u, v[k]);
                if (layerNorm != null) {
                    layerNorm.tangent(v[k], e[k], views.gain(k));
                }
                if (r[k] != null) {
                    s.activation().secondInto(z[k], r[k]);
                    ElementLoops.times(ElementLoops.times(r[k], v[k], loopThreads), delta[k + 1], loopThreads);
                }
                u = ElementLoops.times(v[k], firstDerivative[k], loopThreads);
            }
            // the r_k flow back through the forward graph like loss gradients at z_k
            INDArray gz = null;
            for (int k = n - 1; k >= 0; k--) {
                Stage s = stages.get(k);
                if (r[k] != null) {
                    gz = gz == null ? r[k] : gz.addi(r[k]);
                }
                if (gz == null && layerNorms[k] == null) {
                    continue;
                }
                if (gz != null && s.bias() != null) {
                    s.map().biasGradientInto(gz, views.bias(k), true);
                }
                // layer normalisation's second-order term ry starts a flow of its own at y, even without an r_k
                INDArray gy = layerNorms[k] == null ? gz : layerNorms[k].backflow(gz, views.gain(k));
                if (k > 0 && s.weight() != null) {
                    s.map().backwardInto(inputs[k], gy, back[k], views.weight(k), true);
                } else if (s.weight() != null) {
                    s.map().weightGradientInto(inputs[k], gy, views.weight(k), true);
                } else if (k > 0) {
                    s.map().transposeInto(gy, back[k]);
                }
                if (k > 0) {
                    gz = ElementLoops.times(back[k], firstDerivative[k - 1], loopThreads);
                }
            }
        }
    }

    /** The weight, bias and gain blocks of one flat gradient array, in the layout of the network's parameters. */
    private record Views(INDArray flat, INDArray[] weights, INDArray[] biases, INDArray[] gains) {
        INDArray weight(int k) {
            return weights[k];
        }

        INDArray gain(int k) {
            return gains[k];
        }

        INDArray bias(int k) {
            return biases[k];
        }
    }

    private Views viewsOf(INDArray flat) {
        Views cached = lastViews;
        if (cached != null && cached.flat() == flat) {
            return cached;
        }
        int n = stages.size();
        INDArray[] weights = new INDArray[n];
        INDArray[] biases = new INDArray[n];
        INDArray[] gains = new INDArray[n];
        // the network's own gradient (the trainer adds the penalty to it): the stages' views, the very objects the
        // backward pass writes through, so the products' per-target set-up is not redone between the two
        boolean own = flat == flatGradient;
        for (int k = 0; k < n; k++) {
            Stage s = stages.get(k);
            if (s.weight() != null) {
                weights[k] = own ? s.weightGradient() : view(flat, s.weightOffset(), s.weight());
            }
            if (s.bias() != null) {
                biases[k] = own ? s.biasGradient() : view(flat, s.biasOffset(), s.bias());
            }
            if (s.layerNorm() != null) {
                LayerNormalization norm = s.layerNorm();
                gains[k] = own ? norm.gainGradient() : view(flat, norm.gainOffset(), norm.gain());
            }
        }
        lastViews = new Views(flat, weights, biases, gains);
        return lastViews;
    }

    /** The block of {@code flat} at {@code offset}, shaped and ordered like {@code like}: a view, not a copy. */
    static INDArray view(INDArray flat, long offset, INDArray like) {
        return flat.reshape(flat.length()).get(NDArrayIndex.interval(offset, offset + like.length()))
                .reshape(like.ordering(), like.shape());
    }
}
