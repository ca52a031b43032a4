package org.wgan.dl4j;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TrainableNetwork;
import org.wgan.dl4j.engine.MultiLayerNetworkState;

/** The {@link TrainableNetwork} half shared by the critic and generator adapters over a MultiLayerNetwork. */
abstract class MultiLayerNetworkAdapter implements TrainableNetwork {

    final MultiLayerNetworkState state;

    MultiLayerNetworkAdapter(MultiLayerNetwork network, String role) {
        this.state = new MultiLayerNetworkState(network, role);
    }

    /** The wrapped network (shared, not copied). */
    public MultiLayerNetwork network() {
        return state.network();
    }

    @Override
    public INDArray parameters() {
        return state.parameters();
    }

    @Override
    public INDArray gradient() {
        return state.gradient();
    }

    @Override
    public List<ParameterBlock> parameterBlocks() {
        return state.blocks();
    }

    @Override
    public void applyGradient() {
        state.applyGradient();
    }

    @Override
    public long updateCount() {
        return state.updateCount();
    }

    @Override
    public void restoreUpdateCount(long count) {
        state.restoreUpdateCount(count);
    }

    @Override
    public INDArray optimizerState() {
        return state.optimizerState();
    }

    @Override
    public DataType dataType() {
        return state.dataType();
    }
}
