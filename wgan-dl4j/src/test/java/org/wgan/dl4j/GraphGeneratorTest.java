package org.wgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.fixtures.GraphNetworks;

/** A ComputationGraph generator on the engine, and graph critics and generators trained by the WGAN-GP trainer. */
class GraphGeneratorTest {

    private static INDArray uniform(Random random, long... shape) {
        INDArray out = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < out.length(); i++) {
            out.putScalar(i, 2 * random.nextDouble() - 1);
        }
        return out;
    }

    @Test
    void forwardAndParameterGradientEqualDl4js() {
        ComputationGraph graph = GraphNetworks.generator(3, DataType.DOUBLE, new Sgd(0.1), 3);
        ComputationGraph reference = graph.clone();
        GraphGenerator generator = GraphGenerator.of(graph);
        Random random = new Random(4);
        INDArray latent = uniform(random, 5, 3);
        INDArray sampleGradient = uniform(random, 5, 2);

        INDArray expected = reference.output(latent)[0];
        reference.feedForward(new INDArray[] {latent}, true, false);
        reference.backpropGradient(sampleGradient);

        assertThat(generator.latentSize()).isEqualTo(3);
        assertThat(generator.generate(latent).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(generator.forward(latent).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
        generator.backward(sampleGradient);
        INDArray dl4j = reference.getGradientsViewArray().reshape(reference.numParams());
        assertThat(dl4j.amaxNumber().doubleValue()).isGreaterThan(1e-3);
        assertThat(generator.gradient().sub(dl4j).amaxNumber().doubleValue()).isLessThan(1e-10);
    }

    @Test
    void refusesAGraphWhoseInputIsNotReadByAFeedForwardLayer() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).graphBuilder().addInputs("z", "y")
                .addVertex("both", new MergeVertex(), "z", "y")
                .addLayer("out", new DenseLayer.Builder().nIn(4).nOut(2).activation(Activation.IDENTITY).build(),
                        "both")
                .setOutputs("out").build());
        graph.init();

        assertThatThrownBy(() -> GraphGenerator.of(graph)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("generator graph must have one input and one output, but has inputs [z, y] and outputs"
                        + " [out]");
        assertThatThrownBy(() -> GraphGenerator.of(GraphGenerator.of(GraphNetworks.generator(1, DataType.DOUBLE,
                new Sgd(0.1), 3)).graph()).generate(Nd4j.ones(DataType.DOUBLE, 2, 4)))
                .hasMessage("latent must have shape [batch, 3], but was [2, 4]");
    }

    private static WganTrainer.Builder trainer(long networkSeed) {
        GraphCritic critic = GraphCritic.of(GraphNetworks.denseResidual(networkSeed, DataType.FLOAT,
                Optimizers.wganGp(), Activation.TANH, 2));
        GraphGenerator generator = GraphGenerator.of(GraphNetworks.generator(networkSeed + 1, DataType.FLOAT,
                Optimizers.wganGp(), 2));
        return WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.gradientPenalty(10.0))
                .realSamples(ToyDatasets.eightGaussians())
                .criticStepsPerGeneratorStep(2)
                .batchSize(16)
                .seed(9);
    }

    @Test
    void theTrainerTrainsGraphsWithTheGradientPenaltyAndResumesBitForBit() {
        WganTrainer.Builder builder = trainer(21);
        WganTrainer trainer = builder.build();
        INDArray criticBefore = trainer.config().critic().parameters().dup();
        INDArray generatorBefore = trainer.config().generator().parameters().dup();
        for (int i = 0; i < 3; i++) {
            trainer.step();
        }
        INDArray critic = trainer.config().critic().parameters();
        INDArray generator = trainer.config().generator().parameters();
        assertThat(critic).isNotEqualTo(criticBefore);
        assertThat(generator).isNotEqualTo(generatorBefore);
        assertThat(critic.isInfinite().any() || critic.isNaN().any()).isFalse();
        assertThat(generator.isInfinite().any() || generator.isNaN().any()).isFalse();
        assertThat(trainer.config().critic().updateCount()).isEqualTo(6);

        Checkpoint checkpoint = trainer.checkpoint();
        trainer.step();
        WganTrainer resumed = trainer(77).build();
        resumed.restore(checkpoint);
        assertThat(resumed.config().critic().parameters()).isNotEqualTo(trainer.config().critic().parameters());
        resumed.step();

        assertThat(resumed.config().critic().parameters()).isEqualTo(trainer.config().critic().parameters());
        assertThat(resumed.config().generator().parameters()).isEqualTo(trainer.config().generator().parameters());
        assertThat(resumed.config().critic().optimizerState()).isEqualTo(trainer.config().critic().optimizerState());
        assertThat(resumed.config().generator().optimizerState())
                .isEqualTo(trainer.config().generator().optimizerState());
        assertThat(resumed.config().critic().updateCount()).isEqualTo(8);
    }
}
