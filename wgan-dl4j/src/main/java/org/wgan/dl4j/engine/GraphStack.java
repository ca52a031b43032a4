package org.wgan.dl4j.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;
import org.wgan.dl4j.engine.LayerStack.Stage;

/**
 * Forward pass, backprop and exact double backprop for a ComputationGraph with one input and one output, whose
 * vertices are layers {@link LayerStack} runs (the same maps, activations and preprocessors), the linear
 * parameter-free vertices {@code ElementWiseVertex} Add, Subtract and Average, {@code MergeVertex} (concatenation
 * along dimension 1, dense or NCHW), {@code ScaleVertex}, {@code ShiftVertex} and {@code PreprocessorVertex} (the
 * NCHW reshapes). DL4J 1.0.0-M2.1 has no input gradient for a graph: this is the only way to train one here.
 *
 * <p>Vertices run in DL4J's topological order ({@code graph.topologicalSortOrder()}). A layer vertex k reading
 * vertex p is a stage {@code z_k = L_k(a_p) + b_k}, {@code a_k = s_k(z_k)}; a combining vertex is linear,
 * {@code a_k = C_k(a_{p_1}, ..., a_{p_m})} (+ a constant for ShiftVertex). With {@code delta_k = dF/da_k} for
 * {@code F = sum_i f(x_i)}, summed over every vertex that reads k:
 * <pre>
 *   backward (reverse order): e_k = delta_k * s_k'(z_k), delta_p += L_k^T(e_k);  delta_{p_j} += C_{k,j}^T(delta_k)
 *   adjoint of a cotangent u on g = delta_input, forward-mode in order:
 *     dW_k += weightGrad_k(input = u_p, outGrad = e_k), v_k = L_k(u_p), r_k = v_k * delta_k * s_k''(z_k),
 *     u_k = v_k * s_k'(z_k);  u_k = C_k(u_{p_1}, ..., u_{p_m}) (no constant)
 *   then the r_k flow back (reverse order) like loss gradients at z_k, summed at fan-out as in backward.
 * </pre>
 * Buffers are preallocated per input shape (as in {@link LayerStack}); a vertex read by several vertices gets one
 * buffer per reading edge, summed when the reverse pass reaches it. The adjoint's own buffers ({@code s'(z_k)},
 * {@code v_k}, {@code r_k} and the reverse flow's) come with the first penalty pass of a shape, so that training
 * and inference passes, which never run the adjoint, do without them; an identity-activation stage's {@code z_k}
 * is its {@code a_k}.
 *
 * <p>A dense layer vertex with layer normalisation runs its {@link LayerNormalization} as {@link LayerStack} does:
 * {@code z_k = g_k * N(L_k(a_p)) + b_k}, backward through its Jacobian, and in the adjoint its tangent and its
 * second-order term, which starts a reverse flow of its own at the vertex.
 *
 * <p>A {@code BatchNormalization} layer vertex runs as in {@link LayerStack}, through its {@link BatchNormStage}
 * (batch statistics in training-mode passes, the running ones in inference, the running statistics moved through
 * their NoOp gradient entries): forward and backward only, so {@link #at} refuses a graph with one, naming the
 * vertex.
 */
final class GraphStack extends OwnPasses {

    /** The vertices {@link #of} takes, as its refusal names them. */
    private static final String SUPPORTED = "LayerVertex (of a layer the engine runs), ElementWiseVertex (Add,"
            + " Subtract or Average), MergeVertex (dimension 1), ScaleVertex, ShiftVertex and PreprocessorVertex"
            + " (CnnToFeedForwardPreProcessor or FeedForwardToCnnPreProcessor, NCHW)";

    private enum Kind { INPUT, STAGE, SUM, MERGE }

    /**
     * One vertex: {@code inputs} are positions in topological order; for SUM, {@code a = scale * (in_0 +- in_1 ...)
     * + shift}; {@code layer} (a layer vertex's configuration) and {@code reshape} (the per-sample shape a
     * preprocessor makes) serve the input shape check.
     */
    private record Node(String name, String type, Kind kind, int[] inputs, Stage stage, boolean[] negated,
            double scale, double shift, org.deeplearning4j.nn.conf.layers.Layer layer, long[] reshape) {

        double coefficient(int j) {
            return negated[j] ? -scale : scale;
        }
    }

    private final List<Node> nodes;
    private final int inputNode;
    private final int outputNode;
    /** For each vertex, the (consumer, input slot) pairs that read it. */
    private final int[][][] readers;
    private final String role;
    private final DataType dataType;
    private final INDArray flatGradient;
    private final Map<List<Long>, Pass> trainingPasses = new HashMap<>();
    private final Map<List<Long>, Pass> inferencePasses = new HashMap<>();
    private final Map<List<Long>, Pass> penaltyPasses = new HashMap<>();
    /** Why {@link #at} refuses this graph (a batch-normalisation vertex), or null when it runs. */
    private final String notTwiceDifferentiable;
    /** The threads the graph's own elementwise loops are split over ({@link LayerStack#loopThreads(boolean)}). */
    private final int loopThreads;
    private Pass training;
    private long[] acceptedShape;
    private INDArray lastViewsOf;
    private INDArray[][] lastViews;

    private GraphStack(List<Node> nodes, int inputNode, int outputNode, String role, DataType dataType,
            INDArray flatGradient, String notTwiceDifferentiable, int loopThreads) {
        this.loopThreads = loopThreads;
        this.nodes = nodes;
        this.notTwiceDifferentiable = notTwiceDifferentiable;
        this.inputNode = inputNode;
        this.outputNode = outputNode;
        this.role = role;
        this.dataType = dataType;
        this.flatGradient = flatGradient;
        List<List<int[]>> byVertex = new ArrayList<>();
        nodes.forEach(n -> byVertex.add(new ArrayList<>()));
        for (int k = 0; k < nodes.size(); k++) {
            int[] in = nodes.get(k).inputs();
            for (int j = 0; j < in.length; j++) {
                byVertex.get(in[j]).add(new int[] {k, j});
            }
        }
        readers = byVertex.stream().map(list -> list.toArray(new int[0][])).toArray(int[][][]::new);
    }

    /**
     * Reads the graph's vertices; {@code blocks} are its parameters with {@link ParameterBlock#layerIndex()} the
     * index into {@code graph.getLayers()}. A graph with batch normalisation is made (it runs forward and
     * backward), but {@link #at} refuses it.
     *
     * @throws IllegalArgumentException naming the first vertex the engine cannot run (name and type), or when the
     *                                  graph has more than one input or output
     */
    static GraphStack of(ComputationGraph graph, List<ParameterBlock> blocks, INDArray flatGradient, String role) {
        return of(graph, blocks, flatGradient, role, null);
    }

    /**
     * As {@link #of(ComputationGraph, List, INDArray, String)}, with the weights W read from {@code weightSource} (a
     * flat array laid out like the graph's parameters, e.g. {@link SpectralNormalization#effectiveParameters()})
     * instead of the graph's own parameters when it is not null; biases are always the graph's.
     *
     * @throws IllegalArgumentException as {@link #of(ComputationGraph, List, INDArray, String)}
     */
    static GraphStack of(ComputationGraph graph, List<ParameterBlock> blocks, INDArray flatGradient, String role,
            INDArray weightSource) {
        List<String> inputNames = graph.getConfiguration().getNetworkInputs();
        List<String> outputNames = graph.getConfiguration().getNetworkOutputs();
        if (inputNames.size() != 1 || outputNames.size() != 1) {
            throw new IllegalArgumentException(role + " graph must have one input and one output, but has inputs "
                    + inputNames + " and outputs " + outputNames);
        }
        GraphVertex[] vertices = graph.getVertices();
        int[] order = graph.topologicalSortOrder();
        int[] position = new int[vertices.length];
        for (int k = 0; k < order.length; k++) {
            position[order[k]] = k;
        }
        List<Layer> layers = Arrays.asList(graph.getLayers());
        List<Node> nodes = new ArrayList<>();
        int inputNode = -1;
        int outputNode = -1;
        List<Integer> normalised = new ArrayList<>();
        List<Integer> layerNormalised = new ArrayList<>();
        String notTwiceDifferentiable = null;
        for (int k = 0; k < order.length; k++) {
            GraphVertex vertex = vertices[order[k]];
            String name = vertex.getVertexName();
            VertexIndices[] in = vertex.getInputVertices();
            int[] inputs = in == null ? new int[0] : Arrays.stream(in).mapToInt(i -> position[i.getVertexIndex()])
                    .toArray();
            if (vertex.isInputVertex()) {
                inputNode = k;
                nodes.add(new Node(name, "input", Kind.INPUT, inputs, null, null, 1, 0, null, null));
                continue;
            }
            if (name.equals(outputNames.get(0))) {
                outputNode = k;
            }
            var conf = graph.getConfiguration().getVertices().get(name);
            Node node = node(conf, vertex, name, inputs, layers, blocks, flatGradient, weightSource, role);
            if (node.stage() != null && node.stage().layerNorm() != null) {
                layerNormalised.add(indexOf(layers, vertex.getLayer()));
            }
            if (node.stage() != null && node.stage().norm() != null) {
                normalised.add(indexOf(layers, vertex.getLayer()));
                if (notTwiceDifferentiable == null) {
                    notTwiceDifferentiable = role + " graph's vertex \"" + name + "\" (" + node.type() + ", "
                            + node.layer().getClass().getSimpleName() + ") cannot be differentiated twice for the"
                            + " gradient penalty: its batch statistics couple the samples, so the penalty's per-sample"
                            + " input gradient is not defined; batch normalisation runs in graph generators and"
                            + " unpenalised graph critics only (no batch normalisation in a penalised critic)";
                }
            }
            nodes.add(node);
        }
        checkConsumers(nodes, inputNode, outputNode, role);
        // a batch-normalisation layer's parameters (gamma, beta, running statistics) are its stage's, a layer
        // normalisation's gain g its dense stage's
        long covered = blocks.stream().filter(b -> b.name().equals("W") || b.name().equals("b")
                || normalised.contains(b.layerIndex())
                || (b.name().equals("g") && layerNormalised.contains(b.layerIndex())))
                .mapToLong(b -> b.view().length()).sum();
        if (covered != graph.numParams()) {
            throw new IllegalArgumentException(role + " graph has parameters other than weights and biases");
        }
        return new GraphStack(List.copyOf(nodes), inputNode, outputNode, role, graph.params().dataType(),
                flatGradient, notTwiceDifferentiable, LayerStack.loopThreads(LayerStack.straightProducts(layers)));
    }

    private static Node node(org.deeplearning4j.nn.conf.graph.GraphVertex conf, GraphVertex vertex, String name,
            int[] inputs, List<Layer> layers, List<ParameterBlock> blocks, INDArray flatGradient,
            INDArray weightSource, String role) {
        String type = conf.getClass().getSimpleName();
        boolean[] plus = new boolean[inputs.length];
        if (conf instanceof LayerVertex layerVertex) {
            Layer layer = vertex.getLayer();
            org.deeplearning4j.nn.conf.layers.Layer layerConf = layer.conf().getLayer();
            InputPreProcessor preprocessor = layerVertex.getPreProcessor();
            long[] reshape = preprocessor == null ? null : reshapeTarget(preprocessor);
            if (preprocessor != null && reshape == null) {
                throw unsupported(role, name, type + ", " + layerConf.getClass().getSimpleName(), "its input"
                        + " preprocessor " + preprocessor.getClass().getSimpleName() + " is not supported; only the"
                        + " NCHW reshapes between convolution and dense layers are");
            }
            try {
                Stage stage = LayerStack.stage(indexOf(layers, layer), layer, preprocessor, blocks, flatGradient,
                        weightSource, LayerStack.straightProducts(layers));
                return new Node(name, type, Kind.STAGE, inputs, stage, plus, 1, 0, layerConf, reshape);
            } catch (IllegalArgumentException e) {
                throw unsupported(role, name, type + ", " + layerConf.getClass().getSimpleName(), e.getMessage());
            }
        }
        if (conf instanceof ElementWiseVertex elementWise) {
            switch (elementWise.getOp()) {
                case Add:
                    return new Node(name, type, Kind.SUM, inputs, null, plus, 1, 0, null, null);
                case Subtract:
                    plus[1] = true;
                    return new Node(name, type, Kind.SUM, inputs, null, plus, 1, 0, null, null);
                case Average:
                    return new Node(name, type, Kind.SUM, inputs, null, plus, 1.0 / inputs.length, 0, null, null);
                default:
                    throw unsupported(role, name, type + " " + elementWise.getOp(), "only the linear ops Add,"
                            + " Subtract and Average are supported (the engine's passes are exact for linear"
                            + " combinations of vertices only); build " + elementWise.getOp() + " from layers instead");
            }
        }
        if (conf instanceof MergeVertex merge) {
            if (merge.getMergeAxis() != 1) {
                throw unsupported(role, name, type, "merge axis " + merge.getMergeAxis() + " is not supported;"
                        + " only dimension 1 (features or NCHW channels) is");
            }
            return new Node(name, type, Kind.MERGE, inputs, null, plus, 1, 0, null, null);
        }
        if (conf instanceof ScaleVertex scale) {
            return new Node(name, type, Kind.SUM, inputs, null, plus, scale.getScaleFactor(), 0, null, null);
        }
        if (conf instanceof ShiftVertex shift) {
            return new Node(name, type, Kind.SUM, inputs, null, plus, 1, shift.getShiftFactor(), null, null);
        }
        if (conf instanceof PreprocessorVertex preprocessorVertex) {
            InputPreProcessor preprocessor = preprocessorVertex.getPreProcessor();
            long[] reshape = reshapeTarget(preprocessor);
            if (reshape == null) {
                throw unsupported(role, name, type, "its preprocessor " + preprocessor.getClass().getSimpleName()
                        + " is not supported; only CnnToFeedForwardPreProcessor and FeedForwardToCnnPreProcessor"
                        + " (NCHW) are");
            }
            var identity = ActivationDerivatives.of(Activation.IDENTITY.getActivationFunction()).orElseThrow();
            Stage stage = new Stage(new ReshapedMap(IdentityMap.INSTANCE, reshape), identity, -1, null, -1, null,
                    null, null, false, null);
            return new Node(name, type, Kind.STAGE, inputs, stage, plus, 1, 0, null, reshape);
        }
        throw unsupported(role, name, type, "the engine runs only " + SUPPORTED);
    }

    private static int indexOf(List<Layer> layers, Layer layer) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == layer) {
                return i;
            }
        }
        throw new IllegalStateException("layer " + layer + " is not among the graph's layers");
    }

    /** Every vertex but the output must be read by another, and the output by none. */
    private static void checkConsumers(List<Node> nodes, int inputNode, int outputNode, String role) {
        int[] readers = new int[nodes.size()];
        nodes.forEach(n -> Arrays.stream(n.inputs()).forEach(p -> readers[p]++));
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            if (k == outputNode && readers[k] > 0) {
                throw unsupported(role, n.name(), n.type(), "the graph's output is read by other vertices; make"
                        + " the output a vertex of its own");
            }
            if (k != outputNode && readers[k] == 0) {
                throw unsupported(role, n.name(), n.type(), "it is read by no vertex and is not the graph's output;"
                        + " remove it");
            }
        }
        if (inputNode < 0 || outputNode < 0) {
            throw new IllegalStateException("graph input or output vertex not found");
        }
    }

    /** The per-sample shape an NCHW reshaping preprocessor makes, or null for any other preprocessor. */
    private static long[] reshapeTarget(InputPreProcessor preprocessor) {
        if (preprocessor instanceof CnnToFeedForwardPreProcessor toFf && toFf.getFormat() == CNN2DFormat.NCHW) {
            return new long[] {toFf.getNumChannels() * toFf.getInputHeight() * toFf.getInputWidth()};
        }
        if (preprocessor instanceof FeedForwardToCnnPreProcessor toCnn) {
            return new long[] {toCnn.getNumChannels(), toCnn.getInputHeight(), toCnn.getInputWidth()};
        }
        return null;
    }

    private static IllegalArgumentException unsupported(String role, String name, String type, String why) {
        return new IllegalArgumentException(role + " graph's vertex \"" + name + "\" (" + type + ") cannot run on"
                + " the engine, which is the only way to differentiate a ComputationGraph here (DL4J 1.0.0-M2.1"
                + " gives no input gradient for graphs): " + why);
    }

    /**
     * Accepts {@code x} when the graph can take it; the walk runs once per new per-sample shape.
     *
     * @throws IllegalArgumentException naming the role, the first vertex the input does not fit (name and type)
     *                                  and both shapes
     */
    void checkInput(INDArray x) {
        long[] shape = x.shape();
        long[] last = acceptedShape;
        if (last != null && last.length == shape.length
                && Arrays.equals(last, 1, last.length, shape, 1, shape.length)) {
            return;
        }
        shapes(shape);
        acceptedShape = shape;
    }

    /** The output shape of every vertex for an input of {@code inputShape}, checking each vertex's input. */
    private long[][] shapes(long[] inputShape) {
        long[][] shapes = new long[nodes.size()][];
        if (inputShape.length < 2) {
            throw new IllegalArgumentException(role + " input " + Arrays.toString(inputShape) + " has no batch axis;"
                    + " reshape one sample to [1, ...] and a batch of scalars to [batch, 1]");
        }
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            if (n.kind() == Kind.INPUT) {
                shapes[k] = inputShape.clone();
                continue;
            }
            long[] in = shapes[n.inputs()[0]];
            shapes[k] = switch (n.kind()) {
                case STAGE -> stageShape(n, in, inputShape);
                case SUM -> {
                    for (int j = 1; j < n.inputs().length; j++) {
                        if (!Arrays.equals(in, shapes[n.inputs()[j]])) {
                            throw mismatch(inputShape, n, "inputs of one shape", "its inputs are "
                                    + Arrays.toString(in) + " and " + Arrays.toString(shapes[n.inputs()[j]]));
                        }
                    }
                    yield in.clone();
                }
                default -> mergeShape(n, shapes, inputShape);
            };
        }
        return shapes;
    }

    private long[] stageShape(Node n, long[] in, long[] inputShape) {
        long[] shape = in;
        if (n.reshape() != null) {
            long perSample = Arrays.stream(n.reshape()).reduce(1, (p, q) -> p * q);
            long given = Arrays.stream(in, 1, in.length).reduce(1, (p, q) -> p * q);
            if (given != perSample) {
                throw mismatch(inputShape, n, perSample + " values per sample (reshaped to [batch, "
                        + joined(n.reshape()) + "])", "its input is " + Arrays.toString(in));
            }
            shape = new long[n.reshape().length + 1];
            shape[0] = in[0];
            System.arraycopy(n.reshape(), 0, shape, 1, n.reshape().length);
        }
        var conf = n.layer();
        if (conf instanceof DenseLayer dense && (shape.length != 2 || shape[1] != dense.getNIn())) {
            throw mismatch(inputShape, n, "[batch, " + dense.getNIn() + "]", "its input is "
                    + Arrays.toString(shape));
        }
        boolean convolution = conf instanceof ConvolutionLayer || conf instanceof Deconvolution2D;
        if (convolution && (shape.length != 4
                || shape[1] != ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) conf).getNIn())) {
            throw mismatch(inputShape, n, "[batch, " + ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) conf)
                    .getNIn() + ", height, width]", "its input is " + Arrays.toString(shape));
        }
        if (conf instanceof BatchNormalization norm && ((shape.length != 2 && shape.length != 4)
                || shape[1] != norm.getNOut())) {
            throw mismatch(inputShape, n, "[batch, " + norm.getNOut() + "] or [batch, " + norm.getNOut()
                    + ", height, width]", "its input is " + Arrays.toString(shape));
        }
        boolean spatial = conf instanceof Upsampling2D || conf instanceof SubsamplingLayer
                || conf instanceof GlobalPoolingLayer;
        if (spatial && shape.length != 4) {
            throw mismatch(inputShape, n, "[batch, channels, height, width]", "its input is "
                    + Arrays.toString(shape));
        }
        long[] out = n.stage().map().outputShape(in);
        if (Arrays.stream(out).anyMatch(size -> size < 1)) {
            throw mismatch(inputShape, n, "an input large enough for its kernel", "its input "
                    + Arrays.toString(shape) + " gives the output " + Arrays.toString(out));
        }
        return out;
    }

    private long[] mergeShape(Node n, long[][] shapes, long[] inputShape) {
        long[] first = shapes[n.inputs()[0]];
        long[] out = first.clone();
        out[1] = 0;
        for (int p : n.inputs()) {
            long[] s = shapes[p];
            boolean fits = s.length == first.length && (s.length == 2 || s.length == 4)
                    && Arrays.equals(s, 2, s.length, first, 2, first.length) && s[0] == first[0];
            if (!fits) {
                throw mismatch(inputShape, n, "inputs [batch, n] or [batch, c, h, w] that differ in dimension 1"
                        + " only", "its inputs include " + Arrays.toString(first) + " and " + Arrays.toString(s));
            }
            out[1] += s[1];
        }
        return out;
    }

    private static String joined(long[] shape) {
        return Arrays.toString(shape).replace("[", "").replace("]", "");
    }

    private IllegalArgumentException mismatch(long[] input, Node n, String expected, String actual) {
        return new IllegalArgumentException(role + " input " + Arrays.toString(input) + " does not fit vertex \""
                + n.name() + "\" (" + n.type() + (n.layer() == null ? "" : ", " + n.layer().getClass().getSimpleName())
                + "): it expects " + expected + ", but " + actual + " for this input");
    }

    @Override
    INDArray forward(INDArray x) {
        training = pass(trainingPasses, x.shape());
        training.forward(x);
        return training.output();
    }

    @Override
    INDArray output(INDArray x) {
        Pass pass = pass(inferencePasses, x.shape());
        pass.forward(x);
        return pass.output();
    }

    @Override
    INDArray backward(INDArray outputGradient) {
        return backward(outputGradient, true);
    }

    @Override
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
        return training.delta[inputNode];
    }

    /**
     * Checks that {@link #at} can run.
     *
     * @throws IllegalArgumentException naming the first batch-normalisation vertex, when there is one
     */
    @Override
    void requireTwiceDifferentiable() {
        if (notTwiceDifferentiable != null) {
            throw new IllegalArgumentException(notTwiceDifferentiable);
        }
    }

    @Override
    InputGradient at(INDArray x) {
        requireTwiceDifferentiable();
        Pass pass = pass(penaltyPasses, x.shape());
        pass.forward(x);
        pass.backward(pass.ones(), false, true, true);
        return measured(pass);
    }

    @Override
    boolean holdsAdjointBuffers() {
        return Stream.of(trainingPasses, inferencePasses, penaltyPasses)
                .anyMatch(cache -> cache.values().stream().anyMatch(Pass::holdsAdjointBuffers));
    }

    private Pass pass(Map<List<Long>, Pass> cache, long[] inputShape) {
        return cachedPass(cache, inputShape, shape -> new Pass(shape, cache != inferencePasses));
    }

    /** {@code [weight, bias, gain]} views of {@code flat} for every stage (null where a stage has none). */
    private INDArray[][] viewsOf(INDArray flat) {
        if (flat == lastViewsOf) {
            return lastViews;
        }
        INDArray[][] views = new INDArray[nodes.size()][];
        boolean own = flat == flatGradient;
        for (int k = 0; k < nodes.size(); k++) {
            Stage s = nodes.get(k).stage();
            if (s != null) {
                views[k] = new INDArray[] {
                    s.weight() == null ? null : own ? s.weightGradient() : LayerStack.view(flat, s.weightOffset(),
                            s.weight()),
                    s.bias() == null ? null : own ? s.biasGradient() : LayerStack.view(flat, s.biasOffset(), s.bias()),
                    s.layerNorm() == null ? null : own ? s.layerNorm().gainGradient()
                            : LayerStack.view(flat, s.layerNorm().gainOffset(), s.layerNorm().gain())};
            }
        }
        lastViewsOf = flat;
        lastViews = views;
        return views;
    }

    /** Preallocated buffers of one input shape, reused from call to call. */
    private final class Pass implements PenaltyPass {
        private final long[] inputShape;
        private final long[][] shapes;
        private final INDArray[] a;
        private final INDArray[] z;
        private final INDArray[] firstDerivative;
        private final INDArray[] e;
        private final INDArray[] v;
        private final INDArray[] r;
        private final INDArray[] delta;
        private final INDArray[] bar;
        private final INDArray[] tangent;
        /** edge[k][j]: what vertex k sends back to its j-th input, where that input is read more than once. */
        private final INDArray[][] edge;
        private final boolean[] barSet;
        private final boolean[][] edgeSet;
        private final BatchNormStage.Buffers[] norms;
        private final LayerNormalization.Buffers[] layerNorms;
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
            int n = nodes.size();
            this.inputShape = inputShape.clone();
            this.trainingMode = trainingMode;
            norms = new BatchNormStage.Buffers[n];
            layerNorms = new LayerNormalization.Buffers[n];
            shapes = shapes(inputShape);
            a = new INDArray[n];
            z = new INDArray[n];
            firstDerivative = new INDArray[n];
            e = new INDArray[n];
            v = new INDArray[n];
            r = new INDArray[n];
            delta = new INDArray[n];
            bar = new INDArray[n];
            tangent = new INDArray[n];
            edge = new INDArray[n][];
            barSet = new boolean[n];
            edgeSet = new boolean[n][];
            for (int k = 0; k < n; k++) {
                Node node = nodes.get(k);
                long[] shape = shapes[k];
                // an inference pass runs forward only: no backward buffers (half or more of a pass's memory)
                if (k != outputNode && trainingMode) {
                    delta[k] = buffer(shape);
                }
                edge[k] = new INDArray[node.inputs().length];
                edgeSet[k] = new boolean[node.inputs().length];
                for (int j = 0; j < node.inputs().length; j++) {
                    int p = node.inputs()[j];
                    if (readers[p].length > 1 && trainingMode) {
                        edge[k][j] = buffer(shapes[p]);
                    }
                }
                if (node.kind() == Kind.INPUT) {
                    continue;
                }
                a[k] = buffer(shape);
                if (node.kind() == Kind.STAGE) {
                    Stage s = node.stage();
                    if (s.norm() != null) {
                        norms[k] = s.norm().buffers(shape);
                        if (trainingMode) {
                            // batch normalisation's backward goes through v_k when a map precedes it
                            v[k] = buffer(shape);
                        }
                    }
                    if (s.layerNorm() != null) {
                        layerNorms[k] = s.layerNorm().buffers(dataType, shape);
                    }
                    // the identity's s(z_k) is z_k, and nothing writes z_k after forward: one buffer serves both
                    z[k] = s.norm() == null && s.activation().leakySlope() == 1.0 ? a[k] : buffer(shape);
                    e[k] = trainingMode ? buffer(shape) : null;
                }
            }
        }

        private INDArray buffer(long[] shape) {
            return Nd4j.createUninitialized(dataType, shape);
        }

        /**
         * The buffers only the adjoint reads ({@code s'(z_k)}, {@code v_k}, {@code r_k}, the reverse flow's), made
         * outside any workspace by the first penalty backward and kept: training and inference passes never need
         * them.
         */
        private void allocateAdjointBuffers() {
            if (adjointBuffers) {
                return;
            }
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                for (int k = 0; k < nodes.size(); k++) {
                    Node node = nodes.get(k);
                    if (node.kind() == Kind.INPUT) {
                        continue;
                    }
                    long[] shape = shapes[k];
                    if (v[k] == null) {
                        v[k] = buffer(shape);
                    }
                    bar[k] = buffer(shape);
                    if (node.kind() == Kind.STAGE) {
                        firstDerivative[k] = buffer(shape);
                        if (node.stage().activation().hasSecondDerivative()) {
                            r[k] = buffer(shape);
                        }
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
            return delta[inputNode];
        }

        @Override
        public INDArray output() {
            return a[outputNode];
        }

        INDArray ones() {
            if (ones == null) {
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    ones = output().ulike().assign(1.0);
                }
            }
            return ones;
        }

        /** The slice of a merge vertex's array {@code array} that its j-th input fills. */
        private INDArray slice(int k, int j, INDArray array) {
            int[] inputs = nodes.get(k).inputs();
            long from = 0;
            for (int i = 0; i < j; i++) {
                from += shapes[inputs[i]][1];
            }
            INDArrayIndex[] index = new INDArrayIndex[array.rank()];
            Arrays.fill(index, NDArrayIndex.all());
            index[1] = NDArrayIndex.interval(from, from + shapes[inputs[j]][1]);
            return array.get(index);
        }

        /** {@code out = C_k(sources of k)} (+ the shift with {@code shift}): a SUM or MERGE vertex's linear map. */
        private void combine(int k, INDArray[] sources, INDArray out, boolean shift) {
            Node node = nodes.get(k);
            int[] inputs = node.inputs();
            if (node.kind() == Kind.MERGE) {
                for (int j = 0; j < inputs.length; j++) {
                    slice(k, j, out).assign(sources[inputs[j]]);
                }
                return;
            }
            out.assign(sources[inputs[0]]);
            for (int j = 1; j < inputs.length; j++) {
                if (node.negated()[j]) {
                    out.subi(sources[inputs[j]]);
                } else {
                    out.addi(sources[inputs[j]]);
                }
            }
            if (node.scale() != 1) {
                out.muli(node.scale());
            }
            if (shift && node.shift() != 0) {
                out.addi(node.shift());
            }
        }

        /** {@code C_{k,j}^T(gradient)} into {@code target}: what a SUM or MERGE vertex sends to its j-th input. */
        private void combineTranspose(int k, int j, INDArray gradient, INDArray target) {
            Node node = nodes.get(k);
            if (node.kind() == Kind.MERGE) {
                target.assign(slice(k, j, gradient));
                return;
            }
            target.assign(gradient);
            if (node.coefficient(j) != 1) {
                target.muli(node.coefficient(j));
            }
        }

        /** Where vertex k writes what it sends to its j-th input: that input's own array, or the edge's buffer. */
        private INDArray target(int k, int j, INDArray[] arrays) {
            int p = nodes.get(k).inputs()[j];
            return readers[p].length > 1 ? edge[k][j] : arrays[p];
        }

        /** Sums the edges into {@code arrays[p]} for a vertex read more than once; false when none was written. */
        private boolean gather(int p, INDArray[] arrays, boolean onlySet) {
            if (readers[p].length < 2) {
                return true;
            }
            boolean any = false;
            for (int[] reader : readers[p]) {
                if (onlySet && !edgeSet[reader[0]][reader[1]]) {
                    continue;
                }
                INDArray contribution = edge[reader[0]][reader[1]];
                if (any) {
                    arrays[p].addi(contribution);
                } else {
                    arrays[p].assign(contribution);
                    any = true;
                }
            }
            return any;
        }

        void forward(INDArray x) {
            penaltyBackward = false;
            a[inputNode] = x.dataType() == dataType ? x : x.castTo(dataType);
            for (int k = 0; k < nodes.size(); k++) {
                Node node = nodes.get(k);
                switch (node.kind()) {
                    case STAGE -> {
                        Stage s = node.stage();
                        if (s.norm() != null) {
                            normalise(k, s, a[node.inputs()[0]]);
                            continue;
                        }
                        if (layerNorms[k] != null) {
                            s.map().applyInto(a[node.inputs()[0]], z[k]);
                            layerNorms[k].forward(z[k]);
                            s.map().addBias(z[k]);
                        } else {
                            s.map().applyWithBiasInto(a[node.inputs()[0]], z[k]);
                        }
                        s.activation().valueInto(z[k], a[k]);
                    }
                    case SUM, MERGE -> combine(k, a, a[k], true);
                    default -> {
                    }
                }
            }
        }

        /** Batch normalisation of vertex k's input {@code in} into {@code a_k}; z_k holds a reshaped input. */
        private void normalise(int k, Stage s, INDArray in) {
            INDArray normIn = in;
            if (s.map() != IdentityMap.INSTANCE || !BatchNormStage.contiguous(in)) {
                s.map().applyInto(in, z[k]);
                normIn = z[k];
            }
            norms[k].forward(normIn, a[k], trainingMode);
        }

        /** Batch normalisation's backward from {@code delta_k} to what vertex k sends its input (LayerStack's). */
        private void normaliseBackward(int k, Stage s, boolean parameterGradients) {
            INDArray dy = delta[k];
            if (!BatchNormStage.contiguous(dy)) {
                e[k].assign(dy);
                dy = e[k];
            }
            INDArray target = target(k, 0, delta);
            boolean identity = s.map() == IdentityMap.INSTANCE;
            norms[k].backward(dy, identity ? target : v[k], parameterGradients);
            if (!identity) {
                s.map().transposeInto(v[k], target);
            }
        }

        /**
         * {@code e_k = delta_k * s'(z_k)}, {@code delta_p += L_k^T(e_k)} in reverse order; with
         * {@code parameterGradients} the parameter gradient of {@code <outputGradient, output>} overwrites the flat
         * gradient; with {@code penalty} the first derivatives are kept for the adjoint; without {@code inputGradient}
         * nothing is sent back to the input vertex.
         */
        void backward(INDArray outputGradient, boolean parameterGradients, boolean penalty, boolean inputGradient) {
            penaltyBackward = false;
            if (penalty) {
                allocateAdjointBuffers();
            }
            delta[outputNode] = outputGradient.dataType() == dataType ? outputGradient
                    : outputGradient.castTo(dataType);
            for (int k = nodes.size() - 1; k >= 0; k--) {
                Node node = nodes.get(k);
                if (k == inputNode && !inputGradient) {
                    continue;
                }
                gather(k, delta, false);
                switch (node.kind()) {
                    case STAGE -> {
                        Stage s = node.stage();
                        if (s.norm() != null) {
                            normaliseBackward(k, s, parameterGradients);
                            continue;
                        }
                        s.activation().firstTimesInto(z[k], delta[k], e[k], penalty ? firstDerivative[k] : null);
                        // with layer normalisation the map's outGrad is dL/dy = J (g * e), not e = dL/dz
                        INDArray mapGradient = layerNorms[k] == null ? e[k] : layerNorms[k].backward(e[k],
                                parameterGradients ? s.layerNorm().gainGradient() : null, false);
                        // without inputGradient the vertices reading the input send nothing back to it
                        boolean toInput = inputGradient || node.inputs()[0] != inputNode;
                        s.mapBackward(a[node.inputs()[0]], mapGradient, toInput ? target(k, 0, delta) : null,
                                parameterGradients);
                        if (parameterGradients && s.bias() != null) {
                            s.map().biasGradientInto(e[k], s.biasGradient(), false);
                        }
                    }
                    case SUM, MERGE -> {
                        for (int j = 0; j < node.inputs().length; j++) {
                            if (inputGradient || node.inputs()[j] != inputNode) {
                                combineTranspose(k, j, delta[k], target(k, j, delta));
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            penaltyBackward = penalty;
        }

        /**
         * The adjoint of {@link #at}'s input gradient, once {@link #measured} has checked it is current.
         *
         * @throws IllegalStateException when the pass's last backward was not a penalty backward after its forward
         */
        @Override
        public void addParameterGradient(INDArray cotangent, INDArray parameterGradient) {
            requirePenaltyBackward(penaltyBackward);
            checkAdjointArguments(cotangent, inputShape, parameterGradient, dataType, flatGradient.length());
            INDArray[][] views = viewsOf(parameterGradient);
            tangent[inputNode] = cotangent.dataType() == dataType ? cotangent : cotangent.castTo(dataType);
            for (int k = 0; k < nodes.size(); k++) {
                Node node = nodes.get(k);
                switch (node.kind()) {
                    case STAGE -> {
                        Stage s = node.stage();
                        INDArray u = tangent[node.inputs()[0]];
                        LayerNormalization.Buffers layerNorm = layerNorms[k];
                        if (s.weight() != null) {
                            s.map().weightGradientInto(u, layerNorm == null ? e[k] : layerNorm.p(), views[k][0], true);
                        }
                        s.map().applyInto(u, v[k]);
                        if (layerNorm != null) {
                            layerNorm.tangent(v[k], e[k], views[k][2]);
                        }
                        if (r[k] != null) {
                            s.activation().secondInto(z[k], r[k]);
                            ElementLoops.times(ElementLoops.times(r[k], v[k], loopThreads), delta[k], loopThreads);
                        }
                        tangent[k] = ElementLoops.times(v[k], firstDerivative[k], loopThreads);
                    }
                    case SUM, MERGE -> {
                        combine(k, tangent, v[k], false);
                        tangent[k] = v[k];
                    }
                    default -> {
                    }
                }
            }
            flowBack(views);
        }

        /** The r_k flow back through the forward graph like loss gradients at z_k, summed at fan-out. */
        private void flowBack(INDArray[][] views) {
            Arrays.fill(barSet, false);
            for (boolean[] set : edgeSet) {
                Arrays.fill(set, false);
            }
            for (int k = nodes.size() - 1; k >= 0; k--) {
                Node node = nodes.get(k);
                if (node.kind() == Kind.INPUT) {
                    continue;
                }
                if (readers[k].length > 1) {
                    barSet[k] = gather(k, bar, true);
                }
                if (node.kind() == Kind.STAGE) {
                    Stage s = node.stage();
                    INDArray gz = barSet[k] ? ElementLoops.times(bar[k], firstDerivative[k], loopThreads) : null;
                    if (r[k] != null) {
                        gz = gz == null ? r[k] : gz.addi(r[k]);
                    }
                    if (gz == null && layerNorms[k] == null) {
                        continue;
                    }
                    if (gz != null && s.bias() != null) {
                        s.map().biasGradientInto(gz, views[k][1], true);
                    }
                    // layer normalisation's second-order term ry starts a flow of its own at y, even without gz
                    INDArray gy = layerNorms[k] == null ? gz : layerNorms[k].backflow(gz, views[k][2]);
                    int p = node.inputs()[0];
                    if (p == inputNode) {
                        if (s.weight() != null) {
                            s.map().weightGradientInto(a[p], gy, views[k][0], true);
                        }
                        continue;
                    }
                    INDArray target = target(k, 0, bar);
                    if (s.weight() != null) {
                        s.map().backwardInto(a[p], gy, target, views[k][0], true);
                    } else {
                        s.map().transposeInto(gy, target);
                    }
                    markSent(k, 0);
                } else if (barSet[k]) {
                    for (int j = 0; j < node.inputs().length; j++) {
                        if (node.inputs()[j] != inputNode) {
                            combineTranspose(k, j, bar[k], target(k, j, bar));
                            markSent(k, j);
                        }
                    }
                }
            }
        }

        private void markSent(int k, int j) {
            int p = nodes.get(k).inputs()[j];
            if (readers[p].length > 1) {
                edgeSet[k][j] = true;
            } else {
                barSet[p] = true;
            }
        }
    }
}
