package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.nd4j.linalg.factory.Nd4j;
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

    /**
     * Moments at the bottom of the float range and a zero gradient (units that get none): DL4J's updater leaves
     * some moments subnormal, the fused step leaves a zero of the same sign there and DL4J's bits everywhere else,
     * and the parameters agree; with {@code wgan.subnormalMoments=keep} the state is DL4J's, subnormals included.
     */
    @ParameterizedTest(name = "{0} flush={1}")
    @MethodSource("decayingMoments")
    void subnormalMomentsAreFlushedToSignedZeroUnlessKept(IUpdater updater, boolean flush) {
        String previous = System.setProperty(FusedOptimizerStep.SUBNORMALS_PROPERTY, flush ? "flush" : "keep");
        try {
            MultiLayerNetwork network = TestNetworks.mlp(3, DataType.FLOAT, updater, Activation.TANH, 3, 6, 5, 1);
            MultiLayerNetwork reference = network.clone();
            NetworkEngine engine = new NetworkEngine(network, "critic");
            assertThat(engine.usesFusedOptimizerStep()).isTrue();
            stepBoth(engine, reference, 1e-6);
            INDArray state = engine.optimizerState();
            Random random = new Random(5);
            for (int i = 0; i < state.length(); i++) {
                // 2^-130 to 2^-120, signed: some decay below 2^-126 in one step
                float magnitude = (float) Math.scalb(1.0 + random.nextDouble(), -130 + random.nextInt(10));
                state.putScalar(i, random.nextBoolean() ? magnitude : -magnitude);
            }
            reference.getUpdater().getStateViewArray().assign(state);

            INDArray x = TestArrays.uniform(random, 5, 3).subi(0.5).castTo(DataType.FLOAT);
            engine.forward(x);
            engine.backward(Nd4j.zeros(DataType.FLOAT, 5, 1));
            assertThat(engine.gradient().amaxNumber().doubleValue()).isZero();
            engine.applyGradient();
            INDArray referenceGradient = reference.getFlattenedGradients();
            referenceGradient.assign(0);
            reference.getUpdater().update(reference, new DefaultGradient(referenceGradient), 3, 0, 1,
                    LayerWorkspaceMgr.noWorkspaces());
            reference.params().subi(referenceGradient.reshape(reference.params().shape()));

            assertClose(engine.parameters(), reference.params(), 1e-6);
            float[] ours = engine.optimizerState().dup().data().asFloat();
            float[] theirs = reference.getUpdater().getStateViewArray().dup().data().asFloat();
            int subnormal = 0;
            for (int i = 0; i < ours.length; i++) {
                boolean flushed = theirs[i] != 0 && Math.abs(theirs[i]) < Float.MIN_NORMAL;
                subnormal += flushed ? 1 : 0;
                float expected = flush && flushed ? Math.copySign(0f, theirs[i]) : theirs[i];
                assertThat(Float.floatToRawIntBits(ours[i])).as("state %d", i)
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
            assertThat(subnormal).isGreaterThan(ours.length / 10);
        } finally {
            restore(previous);
        }
    }

    static Stream<Arguments> decayingMoments() {
        return Stream.of(Arguments.of(new Adam(1e-4, 0.5, 0.9, 1e-8), true),
                Arguments.of(new Adam(1e-4, 0.5, 0.9, 1e-8), false),
                Arguments.of(new RmsProp(5e-5, 0.5, 1e-8), true),
                Arguments.of(new RmsProp(5e-5, 0.5, 1e-8), false));
    }

    @Test
    void anUnknownSubnormalSettingIsRefusedByName() {
        String previous = System.setProperty(FusedOptimizerStep.SUBNORMALS_PROPERTY, "ftz");
        try {
            MultiLayerNetwork network = TestNetworks.mlp(3, DataType.FLOAT, new Adam(1e-3), Activation.TANH, 3, 4, 1);
            assertThatThrownBy(() -> new NetworkEngine(network, "critic"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("wgan.subnormalMoments").hasMessageContaining("'ftz'");
        } finally {
            restore(previous);
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(FusedOptimizerStep.SUBNORMALS_PROPERTY);
        } else {
            System.setProperty(FusedOptimizerStep.SUBNORMALS_PROPERTY, previous);
        }
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
