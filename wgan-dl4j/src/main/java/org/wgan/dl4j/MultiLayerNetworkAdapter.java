package org.wgan.dl4j;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TrainableNetwork;
import org.wgan.dl4j.engine.NetworkEngine;

/** The {@link TrainableNetwork} half shared by the critic and generator adapters over a MultiLayerNetwork. */
abstract class MultiLayerNetworkAdapter implements TrainableNetwork {

    final NetworkEngine engine;

    MultiLayerNetworkAdapter(MultiLayerNetwork network, String role) {
        this(new NetworkEngine(network, role));
    }

    MultiLayerNetworkAdapter(NetworkEngine engine) {
        this.engine = engine;
    }

    /** The wrapped network (shared, not copied). */
    public MultiLayerNetwork network() {
        return engine.network();
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
