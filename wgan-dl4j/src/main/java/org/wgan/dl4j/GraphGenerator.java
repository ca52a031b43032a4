package org.wgan.dl4j;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.wgan.core.Generator;
import org.wgan.dl4j.engine.NetworkEngine;

/**
 * A {@link Generator} over a DL4J {@link ComputationGraph} with one input, {@code [batch, latentSize]}, and one
 * output, the samples; no built-in loss. The graph's own updater is the generator's optimizer. Every pass runs on
 * the engine's own buffers (DL4J 1.0.0-M2.1 gives no input gradient for graphs), with the vertices
 * {@link GraphCritic} lists and {@code BatchNormalization} (batch statistics in training, the running ones in
 * {@link #generate}, the running statistics moved by the optimizer step as DL4J moves them).
 */
public final class GraphGenerator extends GeneratorAdapter {

    /** The seed of {@link #withSpectralNormalization(ComputationGraph)}'s power-iteration vectors. */
    public static final long DEFAULT_SPECTRAL_NORMALIZATION_SEED = MultiLayerCritic.DEFAULT_SPECTRAL_NORMALIZATION_SEED;

    private GraphGenerator(NetworkEngine engine) {
        super(engine, latentSize(engine.graph()));
    }

    /**
     * Wraps an initialised graph whose input is read by a feed-forward layer whose {@code nIn} is the latent size.
     *
     * @throws IllegalArgumentException if the graph is not initialised, has an output layer with a loss, has no
     *                                  parameters, more than one input or output, its input is not read by a
     *                                  feed-forward layer, a layer's updater has a learning rate that is NaN,
     *                                  infinite or not positive, or naming the first vertex the engine cannot run
     */
    public static GraphGenerator of(ComputationGraph graph) {
        return new GraphGenerator(new NetworkEngine(graph, "generator"));
    }

    /**
     * Wraps an initialised graph whose every dense, convolution and deconvolution weight is spectrally normalised,
     * with the semantics of {@link MultiLayerGenerator#withSpectralNormalization(MultiLayerNetwork)}; the vectors
     * are keyed by the layer's index in {@code graph.getLayers()}. Vectors drawn with
     * {@link #DEFAULT_SPECTRAL_NORMALIZATION_SEED}.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    public static GraphGenerator withSpectralNormalization(ComputationGraph graph) {
        return withSpectralNormalization(graph, DEFAULT_SPECTRAL_NORMALIZATION_SEED);
    }

    /** As {@link #withSpectralNormalization(ComputationGraph)}, with the vectors drawn from {@code seed}. */
    public static GraphGenerator withSpectralNormalization(ComputationGraph graph, long seed) {
        return new GraphGenerator(NetworkEngine.withSpectralNormalization(graph, "generator", seed));
    }

    /**
     * The largest singular value each spectrally normalised weight is divided by now, by the layer's index in
     * {@code graph().getLayers()}; empty without spectral normalisation.
     */
    public Map<Integer, Double> spectralNorms() {
        return engine.spectralNorms();
    }

    private static int latentSize(ComputationGraph graph) {
        GraphVertex[] vertices = graph.getVertices();
        GraphVertex input = Arrays.stream(vertices).filter(GraphVertex::isInputVertex).findFirst().orElseThrow();
        GraphVertex first = vertices[input.getOutputVertices()[0].getVertexIndex()];
        var conf = first.hasLayer() ? first.getLayer().conf().getLayer() : null;
        if (!(conf instanceof FeedForwardLayer ff) || ff.getNIn() < 1) {
            throw new IllegalArgumentException("generator graph's vertex \"" + first.getVertexName() + "\" ("
                    + (conf == null ? first.getClass().getSimpleName() : conf.getClass().getSimpleName())
                    + ") reads the input, so it must be a feed-forward layer with nIn >= 1 (the latent size)");
        }
        return Math.toIntExact(ff.getNIn());
    }

    @Override
    GraphGenerator copyOfNetwork(boolean spectrallyNormalised) {
        return spectrallyNormalised ? withSpectralNormalization(graph().clone()) : of(graph().clone());
    }

    /** The wrapped graph (shared, not copied). */
    public ComputationGraph graph() {
        return engine.graph();
    }

    @Override
    public String toString() {
        return "GraphGenerator[latentSize=" + latentSize() + ", parameters=" + numParameters()
                + (engine.spectralNormalizationVectors().isEmpty() ? "" : ", spectral normalisation") + "]";
    }
}
