package org.wgan.dl4j.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.wgan.core.ParameterBlock;

/**
 * The training mechanics shared by the critic and generator adapters over a DL4J {@link MultiLayerNetwork}:
 * a cached training-mode forward pass, backprop of an external output gradient, and one optimizer update with
 * the network's own DL4J updater.
 *
 * <p>DL4J facts this relies on (checked against 1.0.0-M2.1): the sequence {@code setInput}, {@code
 * feedForward(true, false)}, {@code backpropGradient} keeps the cached activations; parameter gradients land in
 * the network's flattened gradient view; the updater divides by the minibatch size it is given, so it is given 1
 * because our loss gradients already hold the batch mean.
 */
public final class NetworkEngine {

    private final MultiLayerNetwork network;
    private final String role;
    private final List<ParameterBlock> blocks;
    private Gradient lastGradient;
    private long[] lastInputShape;
    private boolean forwardPending;
    private INDArray gradientView;
    private final LayerStack layerStack;
    private final Gradient layerStackGradient;
    private final FusedOptimizerStep optimizerStep;

    public NetworkEngine(MultiLayerNetwork network, String role) {
        this.network = Objects.requireNonNull(network, role);
        this.role = role;
        if (network.getLayers() == null) {
            throw new IllegalArgumentException(role + " network must be initialised; call init() on it first");
        }
        if (network.getOutputLayer() instanceof org.deeplearning4j.nn.api.layers.IOutputLayer) {
            Layer last = network.getOutputLayer();
            throw new IllegalArgumentException(role + " network's last layer (index " + (network.getnLayers() - 1)
                    + ", " + last.getClass().getSimpleName() + ") is an output layer with a built-in loss; use a"
                    + " DenseLayer (or ActivationLayer) as the last layer: the objective supplies the loss");
        }
        if (network.numParams() == 0) {
            throw new IllegalArgumentException(role + " network has no parameters to train");
        }
        this.blocks = List.copyOf(buildBlocks(network));
        // create the gradient view and the updater (with its state) now, outside any workspace a caller may open
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            gradient();
            network.getUpdater();
            this.layerStack = LayerStack.tryOf(network, blocks, gradient()).orElse(null);
        }
        this.optimizerStep = FusedOptimizerStep.of(network).orElse(null);
        this.layerStackGradient = layerStack == null ? null : gradientOfBlocks();
    }

    /** DL4J's per-variable gradient map ("layer_param" keys) over the flat gradient view, for the updater. */
    private Gradient gradientOfBlocks() {
        Gradient g = new DefaultGradient(network.getGradientsViewArray());
        for (ParameterBlock block : blocks) {
            g.setGradientFor(block.layerIndex() + "_" + block.name(),
                    LayerStack.view(gradient(), block.offset(), block.view()));
        }
        return g;
    }

    /**
     * True when forward and backward run through this library's own buffers ({@link LayerStack}) instead of
     * DL4J's: networks of dense, convolution and activation layers without dropout or weight noise.
     */
    public boolean usesOwnBackprop() {
        return layerStack != null;
    }

    /** True when optimizer steps run through {@link FusedOptimizerStep} (Adam or RMSProp, no regularisation). */
    public boolean usesFusedOptimizerStep() {
        return optimizerStep != null;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public List<ParameterBlock> blocks() {
        return blocks;
    }

    public INDArray parameters() {
        return network.params();
    }

    /** The flattened gradient view, shaped like {@link #parameters()} ({@code [numParameters]}). */
    public INDArray gradient() {
        if (gradientView == null) {
            if (network.getGradientsViewArray() == null) {
                network.initGradientsView();
            }
            gradientView = network.getGradientsViewArray().reshape(network.params().shape());
        }
        return gradientView;
    }

    public DataType dataType() {
        return network.params().dataType();
    }

    public INDArray cast(INDArray input) {
        return input.dataType() == dataType() ? input : input.castTo(dataType());
    }

    /** The network's own forward/backward/double backprop, or null when DL4J's forward and backward are used. */
    public LayerStack layerStack() {
        return layerStack;
    }

    /** Inference-mode output; leaves no cache behind. */
    public INDArray output(INDArray input) {
        if (layerStack != null) {
            return layerStack.output(cast(input)).dup();
        }
        forwardPending = false;
        return network.output(cast(input), false);
    }

    /** Training-mode forward pass keeping the activations for {@link #backward}. */
    public INDArray forward(INDArray input) {
        INDArray x = cast(input);
        if (layerStack != null) {
            lastInputShape = x.shape();
            forwardPending = true;
            return layerStack.forward(x).dup();
        }
        network.setInput(x);
        List<INDArray> activations = network.feedForward(true, false);
        lastInputShape = x.shape();
        forwardPending = true;
        return activations.get(activations.size() - 1);
    }

    /** Backpropagates an output gradient; parameter gradients go to {@link #gradient()}. Returns the input gradient. */
    public INDArray backward(INDArray outputGradient) {
        if (!forwardPending) {
            throw new IllegalStateException(role + ".backward(...) needs a preceding forward(...) on the same "
                    + role);
        }
        INDArray epsilon = cast(outputGradient);
        if (layerStack != null) {
            INDArray inputGradient = layerStack.backward(epsilon).dup();
            lastGradient = layerStackGradient;
            return inputGradient;
        }
        Pair<Gradient, INDArray> result = network.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
        lastGradient = result.getFirst();
        INDArray inputGradient = result.getSecond();
        if (inputGradient != null && !Arrays.equals(inputGradient.shape(), lastInputShape)) {
            inputGradient = inputGradient.reshape(lastInputShape);
        }
        return inputGradient;
    }

    /**
     * Backpropagates an output gradient to the input only: the parameter gradient is not computed (DL4J's path
     * computes and discards it), and {@link #applyGradient()} refuses to run until the next {@link #backward}.
     */
    public INDArray backwardToInput(INDArray outputGradient) {
        if (layerStack == null) {
            INDArray inputGradient = backward(outputGradient);
            lastGradient = null;
            return inputGradient;
        }
        if (!forwardPending) {
            throw new IllegalStateException(role + ".backward(...) needs a preceding forward(...) on the same "
                    + role);
        }
        lastGradient = null;
        return layerStack.backwardToInput(cast(outputGradient)).dup();
    }

    /** One optimizer update from the gradient view, with the network's own updater and iteration counter. */
    public void applyGradient() {
        if (lastGradient == null) {
            throw new IllegalStateException(role + ".applyGradient() needs a preceding backward(...)");
        }
        int iteration = network.getIterationCount();
        if (optimizerStep != null) {
            optimizerStep.update(gradient(), iteration, network.getEpochCount());
        } else {
            Updater updater = network.getUpdater();
            // minibatch size 1: the gradient is already the gradient of a batch mean
            updater.update(network, lastGradient, iteration, network.getEpochCount(), 1,
                    LayerWorkspaceMgr.noWorkspaces());
            network.params().subi(gradient());
        }
        network.setIterationCount(iteration + 1);
    }

    public long updateCount() {
        return network.getIterationCount();
    }

    /** Sets DL4J's iteration counter (an int there). */
    public void restoreUpdateCount(long count) {
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(role + " updateCount must be in [0, " + Integer.MAX_VALUE
                    + "], but was " + count);
        }
        network.setIterationCount((int) count);
    }

    public INDArray optimizerState() {
        INDArray state = network.getUpdater().getStateViewArray();
        return state == null ? Nd4j.empty(dataType()) : state;
    }

    private static List<ParameterBlock> buildBlocks(MultiLayerNetwork network) {
        List<ParameterBlock> out = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < network.getnLayers(); i++) {
            Layer layer = network.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            for (Map.Entry<String, INDArray> entry : layer.paramTable().entrySet()) {
                String key = entry.getKey();
                out.add(new ParameterBlock(i, key, kindOf(conf, key), offset, entry.getValue()));
                offset += entry.getValue().length();
            }
        }
        return out;
    }

    private static ParameterBlock.Kind kindOf(org.deeplearning4j.nn.conf.layers.Layer conf, String key) {
        if (conf.initializer().isWeightParam(conf, key)) {
            return ParameterBlock.Kind.WEIGHT;
        }
        if (conf.initializer().isBiasParam(conf, key)) {
            return ParameterBlock.Kind.BIAS;
        }
        IUpdater updater = conf instanceof BaseLayer ? conf.getUpdaterByParam(key) : null;
        return updater instanceof NoOp ? ParameterBlock.Kind.NOT_TRAINED : ParameterBlock.Kind.OTHER;
    }
}
