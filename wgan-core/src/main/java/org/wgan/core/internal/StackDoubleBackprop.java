package org.wgan.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;
import org.wgan.core.internal.LinearMaps.LinearMap;

/**
 * Exact double backprop for a MultiLayerNetwork of stages {@code z_k = L_k(a_{k-1}) + b_k}, {@code a_k = s_k(z_k)}:
 * dense layers, 2-D convolutions (NCHW, stride, padding, Truncate/Same) and activation layers ({@code L = I}),
 * with DL4J's CNN/feed-forward reshaping preprocessors folded into the linear maps.
 *
 * <p>Input gradient of {@code F = sum_i f(x_i)}: {@code delta_L = 1}; {@code e_k = delta_k * s_k'(z_k)},
 * {@code delta_{k-1} = L_k^T(e_k)}; {@code g = delta_0}.
 *
 * <p>Adjoint for a cotangent {@code u_0} on g (DESIGN.md section 3), walking up the stages:
 * {@code dW_k += weightGrad_k(input = u_{k-1}, outGrad = e_k)}, {@code v_k = L_k(u_{k-1})},
 * {@code r_k = v_k * delta_k * s_k''(z_k)}, {@code u_k = v_k * s_k'(z_k)}; then the {@code r_k} flow back through
 * the forward graph like an ordinary loss gradient at {@code z_k}, reaching W and b of stages {@code <= k}.
 */
public final class StackDoubleBackprop {

    private final List<Stage> stages;

    private record Stage(LinearMap map, ActivationDerivatives activation, long weightOffset, INDArray weight,
            long biasOffset, INDArray bias) {
    }

    private StackDoubleBackprop(List<Stage> stages) {
        this.stages = stages;
    }

    /**
     * Reads the network's stages.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be differentiated twice exactly
     */
    public static StackDoubleBackprop of(MultiLayerNetwork network, List<ParameterBlock> blocks) {
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            int index = i;
            Layer layer = network.getLayer(i);
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
            org.nd4j.linalg.activations.IActivation activation;
            if (conf instanceof DenseLayer dense) {
                if (dense.hasLayerNorm()) {
                    throw unsupported(i, conf, "its layer normalisation is not supported yet; use a DenseLayer"
                            + " without layer norm");
                }
                weight = layer.getParam("W");
                bias = dense.hasBias() ? layer.getParam("b") : null;
                map = LinearMaps.dense(weight, bias);
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
                weight = layer.getParam("W");
                bias = conv.hasBias() ? layer.getParam("b") : null;
                map = LinearMaps.conv2d(weight, bias, conv.getKernelSize(), conv.getStride(), conv.getPadding(),
                        conv.getConvolutionMode() == ConvolutionMode.Same);
                activation = conv.getActivationFn();
            } else if (conf instanceof ActivationLayer act) {
                map = LinearMaps.IDENTITY;
                activation = act.getActivationFn();
            } else {
                throw unsupported(i, conf, "the gradient penalty differentiates only DenseLayer, ConvolutionLayer"
                        + " (2-D) and ActivationLayer twice; use those (no batch normalisation in a penalised"
                        + " critic)");
            }
            InputPreProcessor preprocessor = network.getLayerWiseConfigurations().getInputPreProcess(i);
            if (preprocessor != null) {
                map = LinearMaps.reshaped(map, reshapeTarget(i, conf, preprocessor));
            }
            ActivationDerivatives derivatives = ActivationDerivatives.of(activation).orElseThrow(() ->
                    unsupported(index, conf, "its activation " + activation + " has no second"
                            + " derivative here; use identity, ReLU, LeakyReLU, tanh, sigmoid, ELU or softplus"));
            stages.add(new Stage(map, derivatives, weight == null ? -1 : offset(blocks, i, "W"), weight,
                    bias == null ? -1 : offset(blocks, i, "b"), bias));
        }
        return new StackDoubleBackprop(List.copyOf(stages));
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

    /** Forward pass, input gradient and the adjoint, at samples {@code x} ({@code [batch, ...]}). */
    public InputGradient at(INDArray x) {
        int n = stages.size();
        INDArray[] inputs = new INDArray[n];
        INDArray[] z = new INDArray[n];
        INDArray a = x;
        for (int k = 0; k < n; k++) {
            Stage s = stages.get(k);
            inputs[k] = a;
            z[k] = s.map().apply(a);
            s.map().addBias(z[k]);
            a = s.activation().value(z[k]);
        }
        INDArray scores = a;
        INDArray[] delta = new INDArray[n + 1];
        INDArray[] e = new INDArray[n];
        delta[n] = Nd4j.onesLike(scores);
        for (int k = n - 1; k >= 0; k--) {
            Stage s = stages.get(k);
            e[k] = delta[k + 1].mul(s.activation().first(z[k]));
            delta[k] = s.map().transpose(e[k], inputs[k].shape());
        }
        return new StackInputGradient(inputs, z, delta, e, scores);
    }

    private final class StackInputGradient implements InputGradient {
        private final INDArray[] inputs;
        private final INDArray[] z;
        private final INDArray[] delta;
        private final INDArray[] e;
        private final INDArray scores;

        StackInputGradient(INDArray[] inputs, INDArray[] z, INDArray[] delta, INDArray[] e, INDArray scores) {
            this.inputs = inputs;
            this.z = z;
            this.delta = delta;
            this.e = e;
            this.scores = scores;
        }

        @Override
        public INDArray value() {
            return delta[0];
        }

        @Override
        public INDArray scores() {
            return scores;
        }

        @Override
        public void addParameterGradient(INDArray cotangent, INDArray parameterGradient) {
            if (!Arrays.equals(cotangent.shape(), delta[0].shape())) {
                throw new IllegalArgumentException("cotangent must have the input gradient's shape "
                        + Arrays.toString(delta[0].shape()) + ", but was " + Arrays.toString(cotangent.shape()));
            }
            int n = stages.size();
            INDArray[] r = new INDArray[n];
            INDArray u = cotangent.castTo(delta[0].dataType());
            for (int k = 0; k < n; k++) {
                Stage s = stages.get(k);
                if (s.weight() != null) {
                    addTo(parameterGradient, s.weightOffset(), s.weight(), s.map().weightGradient(u, e[k]));
                }
                INDArray v = s.map().apply(u);
                if (s.activation().hasSecondDerivative()) {
                    r[k] = v.mul(delta[k + 1]).muli(s.activation().second(z[k]));
                }
                u = v.muli(s.activation().first(z[k]));
            }
            // the r_k flow back through the forward graph like loss gradients at z_k
            INDArray gz = null;
            for (int k = n - 1; k >= 0; k--) {
                Stage s = stages.get(k);
                if (r[k] != null) {
                    gz = gz == null ? r[k] : gz.addi(r[k]);
                }
                if (gz == null) {
                    continue;
                }
                if (s.weight() != null) {
                    addTo(parameterGradient, s.weightOffset(), s.weight(), s.map().weightGradient(inputs[k], gz));
                }
                if (s.bias() != null) {
                    addTo(parameterGradient, s.biasOffset(), s.bias(), s.map().biasGradient(gz));
                }
                if (k > 0) {
                    gz = s.map().transpose(gz, inputs[k].shape()).muli(stages.get(k - 1).activation().first(z[k - 1]));
                }
            }
        }
    }

    /** Adds {@code value} (shaped like {@code like}) into the flat gradient at {@code offset}, in like's layout. */
    private static void addTo(INDArray flat, long offset, INDArray like, INDArray value) {
        INDArray view = flat.get(NDArrayIndex.interval(offset, offset + like.length())).reshape(like.ordering(),
                like.shape());
        view.addi(value.reshape(like.shape()));
    }
}
