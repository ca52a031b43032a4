package org.wgan.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.wgan.dl4j.engine.NetworkEngine;

/** The {@link EngineAdapter} shared by the critic and generator adapters over a MultiLayerNetwork. */
abstract class MultiLayerNetworkAdapter extends EngineAdapter {

    MultiLayerNetworkAdapter(MultiLayerNetwork network, String role) {
        this(new NetworkEngine(network, role));
    }

    MultiLayerNetworkAdapter(NetworkEngine engine) {
        super(engine);
    }

    /** The wrapped network (shared, not copied). */
    public MultiLayerNetwork network() {
        return engine.network();
    }
}
