package org.wgan.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.wgan.core.Critic;
import org.wgan.dl4j.engine.NetworkEngine;

/**
 * A {@link Critic} over a DL4J {@link ComputationGraph} with one input and one output of one score per sample,
 * without a built-in loss (e.g. a {@code DenseLayer} with {@code nOut(1)} and the identity activation). Users keep
 * DL4J's {@code ComputationGraphConfiguration} builders and serialisation; the graph's own updater is the critic's
 * optimizer.
 *
 * <p>DL4J 1.0.0-M2.1 gives no input gradient for a graph, so every pass (forward, backprop and the gradient
 * penalty's double backprop) runs on the engine's own buffers. Supported vertices: the graph's input,
 * {@code LayerVertex} of the layers {@link MultiLayerCritic} differentiates twice (with their preprocessors),
 * {@code ElementWiseVertex} Add, Subtract and Average, {@code MergeVertex} (dimension 1), {@code ScaleVertex},
 * {@code ShiftVertex} and {@code PreprocessorVertex} (the NCHW reshapes): residual blocks such as
 * {@code x + conv(relu(conv(x)))} and merges of branches. {@link #of} refuses any other vertex, naming it.
 * {@code BatchNormalization} layer vertices run forward and backward (an unpenalised critic, e.g. with weight
 * clipping), but a critic with one cannot take the gradient penalty: {@link #requireTwiceDifferentiable()} and
 * {@link #inputGradient} refuse it, naming the vertex.
 */
public final class GraphCritic extends CriticAdapter {

    private GraphCritic(ComputationGraph graph) {
        super(new NetworkEngine(graph, "critic"));
    }

    /**
     * Wraps an initialised graph.
     *
     * @throws IllegalArgumentException if the graph is not initialised, has an output layer with a loss, has no
     *                                  parameters, more than one input or output, a layer's updater has a learning
     *                                  rate that is NaN, infinite or not positive, or naming the first vertex the
     *                                  engine cannot run (name and type)
     */
    public static GraphCritic of(ComputationGraph graph) {
        return new GraphCritic(graph);
    }

    /** The wrapped graph (shared, not copied). */
    public ComputationGraph graph() {
        return engine.graph();
    }

    /**
     * Checks that the penalty can differentiate this critic twice.
     *
     * @throws IllegalArgumentException naming the first batch-normalisation vertex, when there is one
     */
    @Override
    public void requireTwiceDifferentiable() {
        engine.requireTwiceDifferentiable();
    }

    @Override
    public String toString() {
        return "GraphCritic[vertices=" + graph().getVertices().length + ", parameters=" + numParameters() + "]";
    }
}
