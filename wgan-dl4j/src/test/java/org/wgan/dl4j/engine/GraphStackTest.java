package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.fixtures.GraphNetworks;

/**
 * How {@link GraphStack} holds its buffers (its passes' values are checked against DL4J and central differences in
 * {@code GraphCriticTest} and {@code GraphGeneratorTest}).
 */
class GraphStackTest {

    @Test
    void onlyThePenaltyAllocatesTheAdjointsBuffers() {
        NetworkEngine engine = new NetworkEngine(GraphNetworks.denseResidual(1, DataType.DOUBLE, new Sgd(0.1),
                Activation.TANH, 4), "critic");
        INDArray x = TestArrays.uniform(new Random(2), 5, 4);

        engine.output(x);
        engine.backward(engine.forward(x).ulike().assign(1.0));
        engine.backwardToInput(engine.forward(x).ulike().assign(1.0));
        assertThat(engine.holdsAdjointBuffers()).isFalse();

        engine.inputGradient(x);
        assertThat(engine.holdsAdjointBuffers()).isTrue();
    }
}
