package org.wgan.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;

/**
 * Exact double backprop for a MultiLayerNetwork made of dense layers and activation layers (each stage
 * {@code z_k = a_{k-1} W_k + b_k}, {@code a_k = s_k(z_k)}; an activation layer has {@code W = I}, no bias).
 *
 * <p>Input gradient of {@code F = sum_i f(x_i)}: {@code delta_L = 1}; {@code e_k = delta_k * s_k'(z_k)},
 * {@code delta_{k-1} = e_k W_k^T}; {@code g = delta_0}.
 *
 * <p>Adjoint for a cotangent {@code u_0} on g (DESIGN.md section 3), walking up the stages:
 * {@code dW_k += u_{k-1}^T e_k}, {@code v_k = u_{k-1} W_k}, {@code r_k = v_k * delta_k * s_k''(z_k)},
 * {@code u_k = v_k * s_k'(z_k)}; then the {@code r_k} flow back through the forward graph like an ordinary loss
 * gradient at {@code z_k}, reaching W and b of stages {@code <= k}.
 */
public final class DenseStackDoubleBackprop {

    private final List<Stage> stages;

    private record Stage(int layerIndex, INDArray weight, INDArray bias, long weightOffset, long biasOffset,
            ActivationDerivatives activation) {
    }

    private DenseStackDoubleBackprop(List<Stage> stages) {
        this.stages = stages;
    }

    /**
     * Reads the network's stages.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be differentiated twice exactly
     */
    public static DenseStackDoubleBackprop of(MultiLayerNetwork network, List<ParameterBlock> blocks) {
        long[] offsets = blockOffsets(blocks);
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            Layer layer = network.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (network.getLayerWiseConfigurations().getInputPreProcess(i) != null) {
                throw unsupported(i, conf, "it has an input preprocessor ("
                        + network.getLayerWiseConfigurations().getInputPreProcess(i).getClass().getSimpleName()
                        + "); feed samples already shaped [batch, features]");
            }
            if (conf.getIDropout() != null) {
                throw unsupported(i, conf, "it applies dropout, which makes the penalty random; remove dropout"
                        + " from the critic");
            }
            if (conf instanceof BaseLayer base && base.getWeightNoise() != null) {
                throw unsupported(i, conf, "it applies weight noise; remove it from the critic");
            }
            if (conf instanceof DenseLayer dense) {
                if (dense.hasLayerNorm()) {
                    throw unsupported(i, conf, "its layer normalisation is not supported yet; use a DenseLayer"
                            + " without layer norm");
                }
                ActivationDerivatives activation = activation(i, conf, dense.getActivationFn());
                INDArray weight = layer.getParam("W");
                INDArray bias = dense.hasBias() ? layer.getParam("b") : null;
                stages.add(new Stage(i, weight, bias, offset(blocks, offsets, i, "W"),
                        bias == null ? -1 : offset(blocks, offsets, i, "b"), activation));
            } else if (conf instanceof ActivationLayer act) {
                stages.add(new Stage(i, null, null, -1, -1, activation(i, conf, act.getActivationFn())));
            } else {
                throw unsupported(i, conf, "the gradient penalty differentiates only DenseLayer and ActivationLayer"
                        + " twice; use those (no batch normalisation in a penalised critic)");
            }
        }
        return new DenseStackDoubleBackprop(List.copyOf(stages));
    }

    private static ActivationDerivatives activation(int index, org.deeplearning4j.nn.conf.layers.Layer conf,
            org.nd4j.linalg.activations.IActivation fn) {
        return ActivationDerivatives.of(fn).orElseThrow(() -> unsupported(index, conf, "its activation "
                + fn + " has no second derivative here; use identity, ReLU, LeakyReLU, tanh, sigmoid, ELU or"
                + " softplus"));
    }

    private static IllegalArgumentException unsupported(int index, org.deeplearning4j.nn.conf.layers.Layer conf,
            String why) {
        return new IllegalArgumentException("critic layer " + index + " (" + conf.getClass().getSimpleName()
                + ") cannot be differentiated twice for the gradient penalty: " + why);
    }

    private static long[] blockOffsets(List<ParameterBlock> blocks) {
        long[] offsets = new long[blocks.size()];
        long offset = 0;
        for (int b = 0; b < blocks.size(); b++) {
            offsets[b] = offset;
            offset += blocks.get(b).view().length();
        }
        return offsets;
    }

    private static long offset(List<ParameterBlock> blocks, long[] offsets, int layer, String name) {
        for (int b = 0; b < blocks.size(); b++) {
            if (blocks.get(b).layerIndex() == layer && blocks.get(b).name().equals(name)) {
                return offsets[b];
            }
        }
        throw new IllegalStateException("no parameter " + name + " in layer " + layer);
    }

    /** Forward pass, input gradient and the adjoint, at samples {@code x} ({@code [batch, features]}). */
    public InputGradient at(INDArray x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("a dense critic's samples must be [batch, features], but were "
                    + Arrays.toString(x.shape()));
        }
        int n = stages.size();
        INDArray[] inputs = new INDArray[n];
        INDArray[] z = new INDArray[n];
        INDArray a = x;
        for (int k = 0; k < n; k++) {
            Stage s = stages.get(k);
            inputs[k] = a;
            z[k] = linear(s, a);
            if (s.bias() != null) {
                z[k].addiRowVector(s.bias());
            }
            a = s.activation().value(z[k]);
        }
        INDArray scores = a;
        INDArray[] delta = new INDArray[n + 1];
        INDArray[] e = new INDArray[n];
        delta[n] = Nd4j.onesLike(scores);
        for (int k = n - 1; k >= 0; k--) {
            Stage s = stages.get(k);
            e[k] = delta[k + 1].mul(s.activation().first(z[k]));
            delta[k] = linearTransposed(s, e[k]);
        }
        return new DenseInputGradient(inputs, z, delta, e, scores);
    }

    private static INDArray linear(Stage s, INDArray a) {
        return s.weight() == null ? a.dup() : a.mmul(s.weight());
    }

    private static INDArray linearTransposed(Stage s, INDArray e) {
        return s.weight() == null ? e.dup() : e.mmul(s.weight().transpose());
    }

    private final class DenseInputGradient implements InputGradient {
        private final INDArray[] inputs;
        private final INDArray[] z;
        private final INDArray[] delta;
        private final INDArray[] e;
        private final INDArray scores;

        DenseInputGradient(INDArray[] inputs, INDArray[] z, INDArray[] delta, INDArray[] e, INDArray scores) {
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
                    addTo(parameterGradient, s.weightOffset(), s.weight(), u.transpose().mmul(e[k]));
                }
                INDArray v = linear(s, u);
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
                    addTo(parameterGradient, s.weightOffset(), s.weight(), inputs[k].transpose().mmul(gz));
                }
                if (s.bias() != null) {
                    addTo(parameterGradient, s.biasOffset(), s.bias(), gz.sum(0));
                }
                if (k > 0) {
                    gz = linearTransposed(s, gz).muli(stages.get(k - 1).activation().first(z[k - 1]));
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
