package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.fixtures.TestNetworks;

/** The fused Adam/RMSProp/NoOp steps give DL4J's own updater's parameters and optimizer state, step after step. */
class FusedOptimizerStepTest {

    static Stream<Arguments> updaters() {
        return Stream.of(
                Arguments.of(new Adam(1e-4, 0.0, 0.9, 1e-8), DataType.FLOAT, 1e-6),
                Arguments.of(new Adam(1e-2, 0.5, 0.9, 1e-8), DataType.DOUBLE, 1e-12),
                Arguments.of(new Adam(new ExponentialSchedule(ScheduleType.ITERATION, 1e-2, 0.5)), DataType.DOUBLE,
                        1e-12),
                Arguments.of(new RmsProp(5e-5, 0.99, 1e-8), DataType.FLOAT, 1e-6),
                Arguments.of(new RmsProp(1e-2, 0.9, 1e-6), DataType.DOUBLE, 1e-12),
                // what batch norm's running statistics get: the gradient is the update
                Arguments.of(new NoOp(), DataType.DOUBLE, 1e-12));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("updaters")
    void stepsMatchDl4jsUpdater(IUpdater updater, DataType dataType, double tolerance) {
        MultiLayerNetwork network = TestNetworks.mlp(3, dataType, updater, Activation.TANH, 3, 6, 5, 1);
        MultiLayerNetwork reference = network.clone();
        NetworkEngine engine = new NetworkEngine(network, "critic");
        assertThat(engine.usesFusedOptimizerStep()).isTrue();

        stepBoth(engine, reference, tolerance);
    }

    @Test
    void regularisedNetworksKeepDl4jsUpdater() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(4).dataType(DataType.DOUBLE).updater(new Adam(1e-2)).l2(0.1).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        network.init();
        MultiLayerNetwork reference = network.clone();
        NetworkEngine engine = new NetworkEngine(network, "critic");
        assertThat(engine.usesFusedOptimizerStep()).isFalse();

        stepBoth(engine, reference, 1e-12);
    }

    @Test
    void sgdKeepsDl4jsUpdater() {
        NetworkEngine engine = new NetworkEngine(
                TestNetworks.mlp(3, DataType.DOUBLE, new Sgd(0.1), Activation.TANH, 3, 4, 1), "critic");
        assertThat(engine.usesFusedOptimizerStep()).isFalse();
    }

    /** Three steps from different gradients on both; parameters and optimizer state must agree after each. */
    private static void stepBoth(NetworkEngine engine, MultiLayerNetwork reference, double tolerance) {
        Random random = new Random(9);
        INDArray initial = engine.parameters().dup();
        for (int step = 0; step < 3; step++) {
            INDArray x = TestArrays.uniform(random, 5, 3).subi(0.5).castTo(engine.dataType());
            INDArray outputGradient = TestArrays.uniform(random, 5, 1).subi(0.5).castTo(engine.dataType());
            engine.forward(x);
            engine.backward(outputGradient);
            INDArray gradient = engine.gradient().dup();
            engine.applyGradient();

            INDArray referenceGradient = reference.getFlattenedGradients();
            if (referenceGradient == null) {
                reference.initGradientsView();
                referenceGradient = reference.getFlattenedGradients();
            }
            referenceGradient.assign(gradient.reshape(referenceGradient.shape()));
            reference.getUpdater().update(reference, new DefaultGradient(referenceGradient), step, 0, 1,
                    LayerWorkspaceMgr.noWorkspaces());
            reference.params().subi(referenceGradient.reshape(reference.params().shape()));

            assertClose(engine.parameters(), reference.params(), tolerance);
            INDArray referenceState = reference.getUpdater().getStateViewArray();
            if (referenceState == null) { // a stateless updater (NoOp)
                assertThat(engine.optimizerState().length()).isZero();
            } else {
                assertClose(engine.optimizerState(), referenceState, tolerance);
            }
        }
        assertThat(engine.parameters().sub(initial).amaxNumber().doubleValue()).isGreaterThan(0.0);
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        double difference = actual.castTo(DataType.DOUBLE).reshape(actual.length())
                .sub(expected.castTo(DataType.DOUBLE).reshape(expected.length())).amaxNumber().doubleValue();
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        assertThat(difference).isLessThanOrEqualTo(tolerance * scale);
    }
}
