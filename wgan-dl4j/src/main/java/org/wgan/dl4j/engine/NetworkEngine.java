package org.wgan.dl4j.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
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
 * The engine for one DL4J {@link MultiLayerNetwork} or {@link ComputationGraph}: the training mechanics shared
 * by the critic and generator adapters (a training-mode forward pass kept for backprop, backprop of an external
 * output gradient, one optimizer update, and for critics the input gradient with its exact adjoint). Each runs
 * through the engine's own {@link LayerStack} and {@link FusedOptimizerStep} where they take the network, and
 * through DL4J's own {@code feedForward}, {@code backpropGradient} and updater otherwise. A graph always runs on
 * the engine's own {@link GraphStack} (DL4J 1.0.0-M2.1 has no input gradient for graphs), with DL4J's graph updater
 * or the fused step.
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
    private final Dl4jModel model;
    private final String role;
    private final List<ParameterBlock> blocks;
    private Gradient lastGradient;
    private long[] lastInputShape;
    private boolean forwardPending;
    private INDArray gradientView;
    private final OwnPasses layerStack;
    private final Gradient layerStackGradient;
    private final FusedOptimizerStep optimizerStep;
    private final Consumer<INDArray> inputShapes;
    private final SpectralNormalization spectralNormalization;

    /**
     * Reads the network's parameter layout and chooses the paths; {@code role} ("critic", "generator") names the
     * network in messages.
     *
     * @throws IllegalArgumentException if the network is not initialised, ends in an output layer with a loss, has
     *                                  no parameters, or an updater's learning rate is NaN, infinite or not positive
     */
    public NetworkEngine(MultiLayerNetwork network, String role) {
        this(Dl4jModel.of(Objects.requireNonNull(network, role)), role, null);
    }

    /**
     * An engine for a graph with one input and one output, run by {@link GraphStack}; {@code role} ("critic",
     * "generator") names it in messages.
     *
     * @throws IllegalArgumentException if the graph is not initialised, has an output layer with a loss, has no
     *                                  parameters, an updater's learning rate is NaN, infinite or not positive, or
     *                                  naming the first vertex the engine cannot run (name and type)
     */
    public NetworkEngine(ComputationGraph graph, String role) {
        this(Dl4jModel.of(Objects.requireNonNull(graph, role)), role, null);
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
        return new NetworkEngine(Dl4jModel.of(Objects.requireNonNull(network, role)), role, seed);
    }

    /**
     * A graph engine whose passes read every dense and convolution weight spectrally normalised, as
     * {@link #withSpectralNormalization(MultiLayerNetwork, String, long)}; the vectors are keyed by the layer's index
     * in {@code graph.getLayers()} (as {@link ParameterBlock#layerIndex()}).
     *
     * @throws IllegalArgumentException as {@link #NetworkEngine(ComputationGraph, String)}
     */
    public static NetworkEngine withSpectralNormalization(ComputationGraph graph, String role, long seed) {
        return new NetworkEngine(Dl4jModel.of(Objects.requireNonNull(graph, role)), role, seed);
    }

    private NetworkEngine(Dl4jModel model, String role, Long spectralNormalizationSeed) {
        this.model = model;
        this.network = model.model() instanceof MultiLayerNetwork multiLayer ? multiLayer : null;
        this.role = role;
        model.requireTrainable(role);
        this.blocks = List.copyOf(buildBlocks(model));
        requirePositiveLearningRates(model, role);
        // create the gradient view and the updater (with its state) now, outside any workspace a caller may open
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            gradient();
            model.updater();
            // every dense, convolution and deconvolution weight (DL4J names them all W; biases, gains and batch
            // normalisation's parameters have other names)
            this.spectralNormalization = spectralNormalizationSeed == null ? null : new SpectralNormalization(
                    model.params(), blocks.stream().filter(b -> b.name().equals("W")).toList(),
                    spectralNormalizationSeed);
            INDArray weightSource = spectralNormalization == null ? null : spectralNormalization.effectiveParameters();
            if (network == null) {
                GraphStack graphStack = GraphStack.of((ComputationGraph) model.model(), blocks, gradient(), role,
                        weightSource);
                this.inputShapes = graphStack::checkInput;
                this.layerStack = graphStack;
            } else if (spectralNormalization == null) {
                this.inputShapes = new InputShapeCheck(network, role)::check;
                this.layerStack = LayerStack.tryOf(network, blocks, gradient()).orElse(null);
            } else {
                this.inputShapes = new InputShapeCheck(network, role)::check;
                try {
                    this.layerStack = LayerStack.of(network, blocks, gradient(), weightSource);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(role + " with spectral normalisation runs on the engine's own"
                            + " passes only, which do not take this network: " + e.getMessage(), e);
                }
            }
        }
        this.optimizerStep = FusedOptimizerStep.of(model.updater(), model::params).orElse(null);
        this.layerStackGradient = layerStack == null ? null : gradientOfBlocks();
    }

    /** DL4J's per-variable gradient map ("layer_param" keys) over the flat gradient view, for the updater. */
    private Gradient gradientOfBlocks() {
        Gradient g = new DefaultGradient(model.gradientsView());
        for (ParameterBlock block : blocks) {
            g.setGradientFor(model.gradientKey(block.layerIndex(), block.name()),
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
     * True when the engine's own passes hold the buffers only the gradient penalty's adjoint reads, which the first
     * {@link #inputGradient} of an input shape allocates; forward and backward alone leave them out.
     */
    boolean holdsAdjointBuffers() {
        return layerStack != null && layerStack.holdsAdjointBuffers();
    }

    /** Boundaries between convolutions the engine's passes keep in oneDNN's blocked layout (0 for graphs). */
    int blockedBoundaries() {
        return layerStack instanceof LayerStack stack ? stack.blockedBoundaries() : 0;
    }

    /**
     * True when optimizer steps run through {@link FusedOptimizerStep} (Adam, RMSProp or NoOp blocks, no
     * regularisation).
     */
    boolean usesFusedOptimizerStep() {
        return optimizerStep != null;
    }

    /** The wrapped network (shared, not copied); null for a graph. */
    public MultiLayerNetwork network() {
        return network;
    }

    /** The wrapped graph (shared, not copied); null for a MultiLayerNetwork. */
    public ComputationGraph graph() {
        return model.model() instanceof ComputationGraph graph ? graph : null;
    }

    /** The network's parameters, layer by layer, as blocks of {@link #parameters()}. */
    public List<ParameterBlock> blocks() {
        return blocks;
    }

    /** The network's flat parameter vector (DL4J's own, not a copy). */
    public INDArray parameters() {
        return model.params();
    }

    /** The flattened gradient view, shaped like {@link #parameters()} ({@code [numParameters]}). */
    public INDArray gradient() {
        if (gradientView == null) {
            gradientView = model.gradientsView().reshape(model.params().shape());
        }
        return gradientView;
    }

    /** The parameters' type: FLOAT or DOUBLE, as the network's configuration set it. */
    public DataType dataType() {
        return model.params().dataType();
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
        inputShapes.accept(input);
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
        inputShapes.accept(input);
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
     * Backpropagates an output gradient into {@link #gradient()} without the input gradient (the layers reading the
     * input compute their parameter gradients only); on DL4J's path a plain {@link #backward}.
     */
    public void backwardParameters(INDArray outputGradient) {
        if (layerStack == null) {
            backward(outputGradient);
            return;
        }
        if (!forwardPending) {
            throw new IllegalStateException(role + ".backward(...) needs a preceding forward(...) on the same "
                    + role);
        }
        layerStack.backwardParameters(cast(outputGradient));
        lastGradient = layerStackGradient;
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
        OwnPasses stack = twiceDifferentiable();
        inputShapes.accept(samples);
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

    private OwnPasses twiceDifferentiable() {
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
        int iteration = model.iterationCount();
        if (spectralNormalization != null) {
            spectralNormalization.gradientToRaw(gradient());
        }
        if (optimizerStep != null) {
            optimizerStep.update(gradient(), iteration, model.epochCount());
        } else {
            // minibatch size 1: the gradient is already the gradient of a batch mean
            model.update(lastGradient, iteration, model.epochCount());
            model.params().subi(gradient());
        }
        model.setIterationCount(iteration + 1);
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

    /** The network's role, as error messages and checkpoint names spell it ({@code "critic"}, {@code "generator"}). */
    public String role() {
        return role;
    }

    /** Optimizer updates applied so far (DL4J's iteration counter). */
    public long updateCount() {
        return model.iterationCount();
    }

    /**
     * Sets DL4J's iteration counter (an int there), as a checkpoint restores it.
     *
     * @throws IllegalArgumentException if count is negative or above {@code Integer.MAX_VALUE}
     */
    public void restoreUpdateCount(long count) {
        Checks.inRange(role + " updateCount", count, 0, Integer.MAX_VALUE);
        model.setIterationCount((int) count);
    }

    /** The network's updater state (DL4J's own view, not a copy); an empty array for a stateless updater. */
    public INDArray optimizerState() {
        INDArray state = model.updater().getStateViewArray();
        return state == null ? Nd4j.empty(dataType()) : state;
    }

    /**
     * Refuses a learning rate DL4J would take silently: libnd4j's Adam replaces a step size of 0 or NaN by its
     * epsilon (1e-8), SGD and RMSProp with 0 never move, with NaN they make every parameter NaN, and a negative one
     * climbs the loss. The rate is read at iteration 0, epoch 0 (a schedule's first value). {@code NoOp} has no rate
     * and is not checked; note that it does not freeze a parameter: DL4J applies its gradient as the update
     * ({@code theta -= g}), which batch normalisation's running statistics rely on.
     */
    private static void requirePositiveLearningRates(Dl4jModel model, String role) {
        Layer[] layers = model.layers();
        for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
            for (String key : layers[i].paramTable().keySet()) {
                IUpdater updater = conf.getUpdaterByParam(key);
                if (updater != null && updater.hasLearningRate()) {
                    Checks.positive(role + " " + model.describe(i) + " (" + conf.getClass().getSimpleName() + ") "
                            + updater.getClass().getSimpleName() + " learningRate for " + key,
                            updater.getLearningRate(0, 0));
                }
            }
        }
    }

    /**
     * The parameter blocks in the order of the flat vector, each checked to be a view of the vector at its offset
     * (DL4J's layout: by layer; for a graph by vertex in topological order. Checked, not assumed).
     */
    private static List<ParameterBlock> buildBlocks(Dl4jModel model) {
        List<ParameterBlock> out = new ArrayList<>();
        long offset = 0;
        INDArray params = model.params();
        for (int i : model.layersInParameterOrder()) {
            Layer layer = model.layers()[i];
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            for (Map.Entry<String, INDArray> entry : layer.paramTable().entrySet()) {
                String key = entry.getKey();
                INDArray view = entry.getValue();
                if (!viewAt(params, offset, view)) {
                    throw new IllegalStateException(model.describe(i) + " parameter " + key + " is not the view of"
                            + " the flat parameters at offset " + offset + " that DL4J's layout puts there");
                }
                out.add(new ParameterBlock(i, key, kindOf(conf, key), offset, view));
                offset += view.length();
            }
        }
        if (offset != params.length()) {
            throw new IllegalStateException("the layers' parameters cover " + offset + " of the "
                    + params.length() + " flat parameters");
        }
        return out;
    }

    /** Whether {@code view} shares {@code params}' memory starting at element {@code offset}. */
    private static boolean viewAt(INDArray params, long offset, INDArray view) {
        long element = params.data().getElementSize();
        return view.data().address() + view.offset() * element
                == params.data().address() + (params.offset() + offset) * element;
    }

    private static ParameterBlock.Kind kindOf(org.deeplearning4j.nn.conf.layers.Layer conf, String key) {
        if (conf instanceof DenseLayer dense && dense.hasLayerNorm()
                && key.equals(DefaultParamInitializer.GAIN_KEY)) {
            // DL4J calls layer norm's gain a weight; it is a per-feature scale, as batch norm's gamma (OTHER), so
            // WeightClipping.weightsOnly() leaves it as it leaves gamma
            return ParameterBlock.Kind.OTHER;
        }
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
