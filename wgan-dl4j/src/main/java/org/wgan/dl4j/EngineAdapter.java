package org.wgan.dl4j;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TrainableNetwork;
import org.wgan.dl4j.engine.NetworkEngine;

/**
 * The {@link TrainableNetwork} half shared by the critic and generator adapters over the engine
 * ({@link CriticAdapter}, {@link GeneratorAdapter}), for a MultiLayerNetwork or a ComputationGraph.
 */
abstract class EngineAdapter implements TrainableNetwork {

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
}
