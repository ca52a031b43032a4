package org.wgan.dl4j;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.wgan.core.Critic;
import org.wgan.core.checkpoint.CheckpointParticipant;
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
 *
 * <p>{@link #withSpectralNormalization(ComputationGraph)} makes a spectrally normalised critic (Miyato et al. 2018),
 * as {@link MultiLayerCritic#withSpectralNormalization(MultiLayerNetwork)} does for a MultiLayerNetwork;
 * {@link org.wgan.dl4j.models.SnGanCritic} is the SN-GAN paper's ResNet critic.
 */
public final class GraphCritic extends CriticAdapter implements CheckpointParticipant {

    /** The seed of {@link #withSpectralNormalization(ComputationGraph)}'s power-iteration vectors. */
    public static final long DEFAULT_SPECTRAL_NORMALIZATION_SEED = MultiLayerCritic.DEFAULT_SPECTRAL_NORMALIZATION_SEED;

    private GraphCritic(NetworkEngine engine) {
        super(engine);
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
        return new GraphCritic(new NetworkEngine(graph, "critic"));
    }

    /**
     * Wraps an initialised graph whose every dense and convolution weight W is spectrally normalised (Miyato et al.
     * 2018), with the semantics of {@link MultiLayerCritic#withSpectralNormalization(MultiLayerNetwork)}: the
     * passes compute with {@code W / sigma(W)}, {@code sigma} the largest singular value estimated by one power
     * iteration per update on a persistent vector u (a convolution kernel {@code [out, in, kh, kw]} read as the
     * matrix {@code [out, in * kh * kw]}), the gradient taken through {@code sigma} with u and v held fixed. The
     * graph's parameters (and checkpoints) keep the raw W; the vectors are saved in the trainer's checkpoints (the
     * critic is a {@link CheckpointParticipant}, which the trainer registers itself), named {@code
     * critic.spectralNormalization.u.layer<i>} with i the layer's index in {@code graph.getLayers()}. It composes
     * with the gradient penalty. Biases, the parameter-free vertices and batch normalisation are not normalised.
     * DL4J's own {@code graph().output(...)} does not normalise: score through this critic. Vectors drawn with
     * {@link #DEFAULT_SPECTRAL_NORMALIZATION_SEED}.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    public static GraphCritic withSpectralNormalization(ComputationGraph graph) {
        return withSpectralNormalization(graph, DEFAULT_SPECTRAL_NORMALIZATION_SEED);
    }

    /** As {@link #withSpectralNormalization(ComputationGraph)}, with the vectors drawn from {@code seed}. */
    public static GraphCritic withSpectralNormalization(ComputationGraph graph, long seed) {
        return new GraphCritic(NetworkEngine.withSpectralNormalization(graph, "critic", seed));
    }

    /**
     * The largest singular value each spectrally normalised weight is divided by now, by the layer's index in
     * {@code graph().getLayers()} (as {@link org.wgan.core.ParameterBlock#layerIndex()}); empty without spectral
     * normalisation.
     */
    public Map<Integer, Double> spectralNorms() {
        return engine.spectralNorms();
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
        return "GraphCritic[vertices=" + graph().getVertices().length + ", parameters=" + numParameters()
                + (engine.spectralNormalizationVectors().isEmpty() ? "" : ", spectral normalisation") + "]";
    }
}
