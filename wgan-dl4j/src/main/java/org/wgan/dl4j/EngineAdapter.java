package org.wgan.dl4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TrainableNetwork;
import org.wgan.core.checkpoint.CheckpointMismatchException;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.dl4j.engine.NetworkEngine;

/**
 * The {@link TrainableNetwork} half shared by the critic and generator adapters over the engine
 * ({@link CriticAdapter}, {@link GeneratorAdapter}), for a MultiLayerNetwork or a ComputationGraph. An adapter is a
 * {@link CheckpointParticipant} holding spectral normalisation's power-iteration vectors (none without it), named
 * {@code <role>.spectralNormalization.u.layer<i>}, so that the trainer saves and restores them with the network.
 */
abstract class EngineAdapter implements TrainableNetwork, CheckpointParticipant {

    final NetworkEngine engine;

    EngineAdapter(NetworkEngine engine) {
        this.engine = engine;
    }

    @Override
    public INDArray parameters() {
        return engine.parameters();
    }

    @Override
    public INDArray gradient() {
        return engine.gradient();
    }

    @Override
    public List<ParameterBlock> parameterBlocks() {
        return engine.blocks();
    }

    @Override
    public void parametersChanged() {
        engine.parametersChanged();
    }

    @Override
    public void applyGradient() {
        engine.applyGradient();
    }

    @Override
    public long updateCount() {
        return engine.updateCount();
    }

    @Override
    public void restoreUpdateCount(long count) {
        engine.restoreUpdateCount(count);
    }

    /** DL4J counts iterations in an int: {@code Integer.MAX_VALUE}. */
    @Override
    public long maxUpdateCount() {
        return Integer.MAX_VALUE;
    }

    @Override
    public INDArray optimizerState() {
        return engine.optimizerState();
    }

    @Override
    public DataType dataType() {
        return engine.dataType();
    }

    /** The power-iteration vectors of spectral normalisation, by name; empty without it. */
    @Override
    public Map<String, INDArray> checkpointArrays() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        engine.spectralNormalizationVectors().forEach((layer, u) -> out.put(vectorPrefix() + layer, u));
        return out;
    }

    /**
     * {@inheritDoc} Also refuses a checkpoint that holds vectors of this role this network does not have: it was
     * written by a spectrally normalised network, whose raw weights mean another function without the vectors.
     */
    @Override
    public List<String> checkpointMismatches(Map<String, INDArray> arrays) {
        List<String> out = new ArrayList<>(CheckpointParticipant.super.checkpointMismatches(arrays));
        Map<String, INDArray> own = checkpointArrays();
        new TreeSet<>(arrays.keySet()).stream().filter(name -> name.startsWith(vectorPrefix()))
                .filter(name -> !own.containsKey(name))
                .forEach(name -> out.add("checkpoint holds array '" + name + "' of a spectrally normalised "
                        + engine.role() + ", which " + this + (own.isEmpty() ? " is not" : " does not have")));
        return out;
    }

    @Override
    public void restoreCheckpointArrays(Map<String, INDArray> arrays) {
        List<String> differences = checkpointMismatches(arrays);
        if (!differences.isEmpty()) {
            throw new CheckpointMismatchException("checkpoint does not fit " + this + "; nothing was restored",
                    differences);
        }
        checkpointArrays().forEach((name, u) -> u.assign(arrays.get(name)));
        engine.parametersChanged();
    }

    /** Copies {@code source}'s power-iteration vectors into this adapter's (the same network's layers). */
    void copyVectorsFrom(EngineAdapter source) {
        Map<Integer, INDArray> from = source.engine.spectralNormalizationVectors();
        engine.spectralNormalizationVectors().forEach((layer, u) -> u.assign(from.get(layer)));
    }

    /** The checkpoint name of a vector u, followed by the index of its layer (in the network's or graph's layers). */
    private String vectorPrefix() {
        return engine.role() + ".spectralNormalization.u.layer";
    }
}
