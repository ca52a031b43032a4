package org.wgan.dl4j.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link NetworkEngine} reads from a DL4J model and does to it, for the two kinds whose parameters, gradient
 * view, updater and counters sit behind different calls: a {@link MultiLayerNetwork} and a
 * {@link ComputationGraph}.
 */
interface Dl4jModel {

    /** The model itself: a MultiLayerNetwork or a ComputationGraph. */
    Object model();

    /**
     * Refuses a model the engine cannot train.
     *
     * @throws IllegalArgumentException if it is not initialised, ends in an output layer with a built-in loss, or
     *                                  has no parameters
     */
    void requireTrainable(String role);

    /** The flat parameter vector (DL4J's own). */
    INDArray params();

    /** The flat gradient view, created on first use. */
    INDArray gradientsView();

    /** The layers; {@link org.wgan.core.ParameterBlock#layerIndex()} is an index into this array. */
    Layer[] layers();

    /** Indices into {@link #layers()} in the order their parameters lie in {@link #params()}. */
    int[] layersInParameterOrder();

    /** The layer as messages name it: "layer 3", or "layer 3 (vertex "dense")" in a graph. */
    String describe(int layerIndex);

    /** The key of a parameter in DL4J's {@link Gradient} maps, as the model's updater reads them. */
    String gradientKey(int layerIndex, String parameter);

    /** DL4J's updater for the model, created (with its state) on first use. */
    Updater updater();

    /** DL4J's updater step on {@code gradient} (left in the gradient view), for minibatch size 1. */
    void update(Gradient gradient, int iteration, int epoch);

    int iterationCount();

    void setIterationCount(int count);

    int epochCount();

    static Dl4jModel of(MultiLayerNetwork network) {
        return new MultiLayer(network);
    }

    static Dl4jModel of(ComputationGraph graph) {
        return new Graph(graph);
    }

    /** A MultiLayerNetwork: layers by index, parameters in layer order. */
    record MultiLayer(MultiLayerNetwork model) implements Dl4jModel {

        @Override
        public void requireTrainable(String role) {
            if (model.getLayers() == null) {
                throw new IllegalArgumentException(role + " network must be initialised; call init() on it first");
            }
            if (model.getOutputLayer() instanceof IOutputLayer) {
                Layer last = model.getOutputLayer();
                throw new IllegalArgumentException(role + " network's last layer (index " + (model.getnLayers() - 1)
                        + ", " + last.getClass().getSimpleName() + ") is an output layer with a built-in loss; use a"
                        + " DenseLayer (or ActivationLayer) as the last layer: the objective supplies the loss");
            }
            if (model.numParams() == 0) {
                throw new IllegalArgumentException(role + " network has no parameters to train");
            }
        }

        @Override
        public INDArray params() {
            return model.params();
        }

        @Override
        public INDArray gradientsView() {
            if (model.getGradientsViewArray() == null) {
                model.initGradientsView();
            }
            return model.getGradientsViewArray();
        }

        @Override
        public Layer[] layers() {
            return model.getLayers();
        }

        @Override
        public int[] layersInParameterOrder() {
            return java.util.stream.IntStream.range(0, model.getnLayers()).toArray();
        }

        @Override
        public String describe(int layerIndex) {
            return "layer " + layerIndex;
        }

        @Override
        public String gradientKey(int layerIndex, String parameter) {
            return layerIndex + "_" + parameter;
        }

        @Override
        public Updater updater() {
            return model.getUpdater();
        }

        @Override
        public void update(Gradient gradient, int iteration, int epoch) {
            model.getUpdater().update(model, gradient, iteration, epoch, 1, LayerWorkspaceMgr.noWorkspaces());
        }

        @Override
        public int iterationCount() {
            return model.getIterationCount();
        }

        @Override
        public void setIterationCount(int count) {
            model.setIterationCount(count);
        }

        @Override
        public int epochCount() {
            return model.getEpochCount();
        }
    }

    /**
     * A ComputationGraph: DL4J lays the parameters out vertex by vertex in its topological order
     * ({@code ComputationGraph.init}), so {@link #layersInParameterOrder} follows {@code topologicalSortOrder()};
     * {@link NetworkEngine} checks every block against the parameter vector's memory rather than trusting it.
     */
    record Graph(ComputationGraph model) implements Dl4jModel {

        @Override
        public void requireTrainable(String role) {
            if (model.getVertices() == null || model.getLayers() == null) {
                throw new IllegalArgumentException(role + " graph must be initialised; call init() on it first");
            }
            for (GraphVertex vertex : model.getVertices()) {
                if (vertex.hasLayer() && vertex.getLayer() instanceof IOutputLayer) {
                    throw new IllegalArgumentException(role + " graph's vertex \"" + vertex.getVertexName() + "\" ("
                            + vertex.getLayer().getClass().getSimpleName() + ") is an output layer with a built-in"
                            + " loss; use a DenseLayer (or ActivationLayer) as the output: the objective supplies the"
                            + " loss");
                }
            }
            if (model.numParams() == 0) {
                throw new IllegalArgumentException(role + " graph has no parameters to train");
            }
        }

        @Override
        public INDArray params() {
            return model.params();
        }

        @Override
        public INDArray gradientsView() {
            if (model.getGradientsViewArray() == null) {
                model.initGradientsView();
            }
            return model.getGradientsViewArray();
        }

        @Override
        public Layer[] layers() {
            return model.getLayers();
        }

        @Override
        public int[] layersInParameterOrder() {
            List<Layer> layers = Arrays.asList(model.getLayers());
            List<Integer> order = new ArrayList<>();
            for (int vertexIndex : model.topologicalSortOrder()) {
                GraphVertex vertex = model.getVertices()[vertexIndex];
                if (vertex.hasLayer()) {
                    order.add(indexOf(layers, vertex.getLayer()));
                }
            }
            return order.stream().mapToInt(Integer::intValue).toArray();
        }

        private static int indexOf(List<Layer> layers, Layer layer) {
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i) == layer) {
                    return i;
                }
            }
            throw new IllegalStateException("layer " + layer + " is not among the graph's layers");
        }

        private String vertexName(int layerIndex) {
            Layer layer = model.getLayers()[layerIndex];
            for (GraphVertex vertex : model.getVertices()) {
                if (vertex.hasLayer() && vertex.getLayer() == layer) {
                    return vertex.getVertexName();
                }
            }
            throw new IllegalStateException("no vertex holds layer " + layerIndex);
        }

        @Override
        public String describe(int layerIndex) {
            return "vertex \"" + vertexName(layerIndex) + "\"";
        }

        @Override
        public String gradientKey(int layerIndex, String parameter) {
            return vertexName(layerIndex) + "_" + parameter;
        }

        @Override
        public Updater updater() {
            return model.getUpdater();
        }

        @Override
        public void update(Gradient gradient, int iteration, int epoch) {
            model.getUpdater().update(gradient, iteration, epoch, 1, LayerWorkspaceMgr.noWorkspaces());
        }

        @Override
        public int iterationCount() {
            return model.getIterationCount();
        }

        @Override
        public void setIterationCount(int count) {
            model.getConfiguration().setIterationCount(count);
        }

        @Override
        public int epochCount() {
            return model.getEpochCount();
        }
    }
}
