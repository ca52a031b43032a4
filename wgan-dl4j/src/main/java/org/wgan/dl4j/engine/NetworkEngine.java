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
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;
import org.wgan.core.internal.Checks;

/**
 * The engine for one DL4J {@link MultiLayerNetwork}: the training mechanics shared by the critic and generator
 * adapters (a training-mode forward pass kept for backprop, backprop of an external output gradient, one
 * optimizer update, and for critics the input gradient with its exact adjoint). Each runs through the engine's own
 * {@link LayerStack} and {@link FusedOptimizerStep} where they take the network, and through DL4J's own
 * {@code feedForward}, {@code backpropGradient} and updater otherwise.
 *
 * <p>The engine's entry point for the adapters in {@code org.wgan.dl4j}, not API: it is public only because Java
 * has no friend packages, and it may change without notice.
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
    private final InputShapeCheck inputShapes;
    private final SpectralNormalization spectralNormalization;

    /**
     * Reads the network's parameter layout and chooses the paths; {@code role} ("critic", "generator") names the
     * network in messages.
     *
     * @throws IllegalArgumentException if the network is not initialised, ends in an output layer with a loss, has
     *                                  no parameters, or an updater's learning rate is NaN, infinite or not positive
     */
    public NetworkEngine(MultiLayerNetwork network, String role) {
        this(network, role, null);
    }

    /**
     * An engine whose passes read every dense and convolution weight spectrally normalised
     * ({@link SpectralNormalization}: {@code W / sigma(W)}, one power iteration per update, the vectors drawn from
     * {@code seed}); the network's parameters keep the raw weights.
     *
     * @throws IllegalArgumentException as {@link #NetworkEngine(MultiLayerNetwork, String)}, or naming the first
     *                                  layer the engine's own passes do not run
     */
    public static NetworkEngine withSpectralNormalization(MultiLayerNetwork network, String role, long seed) {
        return new NetworkEngine(network, role, seed);
    }

    private NetworkEngine(MultiLayerNetwork network, String role, Long spectralNormalizationSeed) {
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
        requirePositiveLearningRates(network, role);
        this.inputShapes = new InputShapeCheck(network, role);
        // create the gradient view and the updater (with its state) now, outside any workspace a caller may open
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            gradient();
            network.getUpdater();
            if (spectralNormalizationSeed == null) {
                this.spectralNormalization = null;
                this.layerStack = LayerStack.tryOf(network, blocks, gradient()).orElse(null);
            } else {
                this.spectralNormalization = new SpectralNormalization(network.params(),
                        blocks.stream().filter(b -> b.name().equals("W")).toList(), spectralNormalizationSeed);
                try {
                    this.layerStack = LayerStack.of(network, blocks, gradient(),
                            spectralNormalization.effectiveParameters());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(role + " with spectral normalisation runs on the engine's own"
                            + " passes only, which do not take this network: " + e.getMessage(), e);
                }
            }
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
     * DL4J's: networks of dense, convolution, activation and batch-normalisation layers without dropout or weight
     * noise.
     */
    boolean usesOwnBackprop() {
        return layerStack != null;
    }

    /**
     * True when optimizer steps run through {@link FusedOptimizerStep} (Adam, RMSProp or NoOp blocks, no
     * regularisation).
     */
    boolean usesFusedOptimizerStep() {
        return optimizerStep != null;
    }

    /** The wrapped network (shared, not copied). */
    public MultiLayerNetwork network() {
        return network;
    }

    /** The network's parameters, layer by layer, as blocks of {@link #parameters()}. */
    public List<ParameterBlock> blocks() {
        return blocks;
    }

    /** The network's flat parameter vector (DL4J's own, not a copy). */
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

    /** The parameters' type: FLOAT or DOUBLE, as the network's configuration set it. */
    public DataType dataType() {
        return network.params().dataType();
    }

    private INDArray cast(INDArray input) {
        return input.dataType() == dataType() ? input : input.castTo(dataType());
    }

    /**
     * Inference-mode output; leaves no cache behind.
     *
     * @throws IllegalArgumentException naming the first layer the input's shape does not fit, and both shapes
     */
    public INDArray output(INDArray input) {
        inputShapes.check(input);
        if (layerStack != null) {
            refreshWeights();
            return layerStack.output(cast(input)).dup();
        }
        forwardPending = false;
        return network.output(cast(input), false);
    }

    /**
     * Training-mode forward pass keeping the activations for {@link #backward}.
     *
     * @throws IllegalArgumentException naming the first layer the input's shape does not fit, and both shapes
     */
    public INDArray forward(INDArray input) {
        inputShapes.check(input);
        INDArray x = cast(input);
        if (layerStack != null) {
            refreshWeights();
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

    /**
     * Forward pass, input gradient and the penalty's adjoint at {@code samples} ({@code [batch, ...]}), through
     * the layer stack ({@link LayerStack#at}); valid until the next call of this method or of {@link #applyGradient()},
     * after which its methods throw {@link IllegalStateException}.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be differentiated twice exactly, or the
     *                                  first layer the samples' shape does not fit
     */
    public InputGradient inputGradient(INDArray samples) {
        LayerStack stack = twiceDifferentiable();
        inputShapes.check(samples);
        refreshWeights();
        return stack.at(cast(samples));
    }

    /**
     * Checks that {@link #inputGradient} can run.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be differentiated twice exactly
     */
    public void requireTwiceDifferentiable() {
        twiceDifferentiable();
    }

    private LayerStack twiceDifferentiable() {
        if (layerStack == null) {
            // not supported: this throws, naming the first layer it cannot differentiate twice
            return LayerStack.of(network, blocks, gradient());
        }
        layerStack.requireTwiceDifferentiable(); // batch normalisation runs forward and backward only
        return layerStack;
    }

    /** One optimizer update from the gradient view, with the network's own updater and iteration counter. */
    public void applyGradient() {
        if (lastGradient == null) {
            throw new IllegalStateException(role + ".applyGradient() needs a preceding backward(...)");
        }
        int iteration = network.getIterationCount();
        if (spectralNormalization != null) {
            spectralNormalization.gradientToRaw(gradient());
        }
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
        if (spectralNormalization != null) {
            spectralNormalization.updated();
        }
        if (layerStack != null) {
            // the adjoint of an earlier input gradient reads the parameters as they are now, not as they were
            layerStack.invalidateInputGradients();
        }
    }

    private void refreshWeights() {
        if (spectralNormalization != null) {
            spectralNormalization.refresh();
        }
    }

    /**
     * Tells the engine that the parameters (or the spectral normalisation's vectors) were written from outside
     * a pass (a restore, a constraint): the next pass renormalises the weights. A no-op without spectral
     * normalisation.
     */
    public void parametersChanged() {
        if (spectralNormalization != null) {
            spectralNormalization.changed();
        }
    }

    /** The spectral normalisation's live vectors u by layer index (for checkpoints); empty without it. */
    public Map<Integer, INDArray> spectralNormalizationVectors() {
        return spectralNormalization == null ? Map.of() : spectralNormalization.vectors();
    }

    /** The sigma each normalised weight is divided by now, by layer index; empty without spectral normalisation. */
    public Map<Integer, Double> spectralNorms() {
        return spectralNormalization == null ? Map.of() : spectralNormalization.sigmas();
    }

    /** Optimizer updates applied so far (DL4J's iteration counter). */
    public long updateCount() {
        return network.getIterationCount();
    }

    /**
     * Sets DL4J's iteration counter (an int there), as a checkpoint restores it.
     *
     * @throws IllegalArgumentException if count is negative or above {@code Integer.MAX_VALUE}
     */
    public void restoreUpdateCount(long count) {
        Checks.inRange(role + " updateCount", count, 0, Integer.MAX_VALUE);
        network.setIterationCount((int) count);
    }

    /** The network's updater state (DL4J's own view, not a copy); an empty array for a stateless updater. */
    public INDArray optimizerState() {
        INDArray state = network.getUpdater().getStateViewArray();
        return state == null ? Nd4j.empty(dataType()) : state;
    }

    /**
     * Refuses a learning rate DL4J would take silently: libnd4j's Adam replaces a step size of 0 or NaN by its
     * epsilon (1e-8), SGD and RMSProp with 0 never move, with NaN they make every parameter NaN, and a negative one
     * climbs the loss. The rate is read at iteration 0, epoch 0 (a schedule's first value); {@code NoOp} keeps a
     * parameter fixed.
     */
    private static void requirePositiveLearningRates(MultiLayerNetwork network, String role) {
        for (int i = 0; i < network.getnLayers(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = network.getLayer(i).conf().getLayer();
            for (String key : network.getLayer(i).paramTable().keySet()) {
                IUpdater updater = conf.getUpdaterByParam(key);
                if (updater != null && updater.hasLearningRate()) {
                    Checks.positive(role + " layer " + i + " (" + conf.getClass().getSimpleName() + ") "
                            + updater.getClass().getSimpleName() + " learningRate for " + key,
                            updater.getLearningRate(0, 0));
                }
            }
        }
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
