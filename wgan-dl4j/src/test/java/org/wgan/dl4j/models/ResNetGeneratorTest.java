package org.wgan.dl4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.GraphCritic;
import org.wgan.dl4j.GraphGenerator;
import org.wgan.dl4j.Optimizers;

/** The WGAN-GP paper's residual generator: size, shapes, DL4J's own passes, and a WGAN-GP run with the critic. */
class ResNetGeneratorTest {

    @Test
    void hasThePapersParameterCountAtWidth128() {
        // gan_cifar_resnet.py's Generator, DIM_G = 128, latent 128, 32x32x3, unconditional batch norm:
        //   input linear 128 -> 4*4*128 (262,144 + 2,048)                                     =   264,192
        //   3 up blocks: shortcut conv1x1 (16,384 + 128), 2 x conv3x3 (147,456 + 128),
        //                2 batch norms (2 x 2 x 128 gamma, beta): 16,512 + 295,168 + 512 = 312,192 = 936,576
        //   output batch norm (256) and conv3x3 128 -> 3 (3,456 + 3)                          =     3,715
        //   trained parameters                                                                = 1,204,483
        // DL4J also keeps each batch norm's running mean and log10 std: 7 x 2 x 128 = 1,792 more
        ComputationGraph generator = ResNetGenerator.of(ResNetSpec.cifar10());
        long running = 0;
        for (var layer : generator.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                running += layer.getParam("mean").length() + layer.getParam("log10stdev").length();
            }
        }

        assertThat(running).isEqualTo(1_792L);
        assertThat(generator.numParams() - running).isEqualTo(1_204_483L);
    }

    @Test
    void generatesPaperSizedAndFashionSizedImagesOnTheEngine() {
        GraphGenerator cifar = GraphGenerator.of(ResNetGenerator.of(ResNetSpec.cifar10()));
        GraphGenerator fashion = GraphGenerator.of(ResNetGenerator.of(ResNetSpec.fashionMnist().withWidth(8)));

        INDArray images = cifar.generate(TestArrays.uniform(new Random(1), 2, 128).castTo(DataType.FLOAT));
        INDArray clothes = fashion.forward(TestArrays.uniform(new Random(2), 3, 128).castTo(DataType.FLOAT));

        assertThat(cifar.latentSize()).isEqualTo(128);
        assertThat(images.shape()).containsExactly(2, 3, 32, 32);
        assertThat(clothes.shape()).containsExactly(3, 1, 28, 28);
        assertThat(images.amaxNumber().doubleValue()).isLessThanOrEqualTo(1.0).isGreaterThan(0.0);
        assertThat(ResNetSpec.fashionMnist().baseSize()).isEqualTo(7);
        assertThat(ResNetSpec.cifar10().baseSize()).isEqualTo(4);
    }

    @Test
    void theEnginesPassesEqualDl4jsGraphWithBatchNormalisation() {
        ResNetSpec spec = ResNetCriticTest.tiny().withImages(2, 8, 2).withLatentSize(5)
                .withNonlinearity(Activation.RELU);
        ComputationGraph graph = ResNetGenerator.of(spec);
        ComputationGraph reference = graph.clone();
        // DL4J's own graph backprop through batch norm reads an array of a closed workspace otherwise
        reference.getConfiguration().setTrainingWorkspaceMode(WorkspaceMode.NONE);
        ComputationGraph inference = graph.clone();
        GraphGenerator generator = GraphGenerator.of(graph);
        Random random = new Random(9);
        INDArray z = TestArrays.uniform(random, 6, 5).subi(0.5).muli(2.0);
        INDArray g = TestArrays.uniform(random, 6, 2, 8, 8).subi(0.5);

        INDArray expected = reference.feedForward(new INDArray[] {z}, true, false).get("output").dup();
        reference.backpropGradient(g);
        INDArray expectedGradient = reference.getGradientsViewArray().reshape(reference.numParams());

        assertThat(generator.forward(z).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-10);
        generator.backward(g);
        assertThat(expectedGradient.amaxNumber().doubleValue()).isGreaterThan(1e-3);
        assertThat(generator.gradient().sub(expectedGradient).amaxNumber().doubleValue()).isLessThan(1e-10);
        assertThat(generator.generate(z).sub(inference.output(z)[0]).amaxNumber().doubleValue()).isLessThan(1e-10);
    }

    @Test
    void theWganGpTrainerTrainsBothForThreeSteps() {
        ResNetSpec spec = ResNetSpec.cifar10().withWidth(4).withLatentSize(8).withImages(1, 8, 2)
                .withUpdater(Optimizers.wganGp()).withSeed(11);
        GraphCritic critic = GraphCritic.of(ResNetCritic.of(spec));
        GraphGenerator generator = GraphGenerator.of(ResNetGenerator.of(spec));
        WganTrainer trainer = WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.gradientPenalty(10.0))
                .realSamples((batch, random) -> TestArrays.uniform(random, batch, 1, 8, 8).subi(0.5)
                        .castTo(DataType.FLOAT))
                .criticStepsPerGeneratorStep(2)
                .batchSize(6)
                .seed(12)
                .build();
        INDArray criticBefore = critic.parameters().dup();
        INDArray generatorBefore = generator.parameters().dup();

        for (int i = 0; i < 3; i++) {
            trainer.step();
        }

        assertThat(critic.updateCount()).isEqualTo(6);
        assertThat(critic.parameters()).isNotEqualTo(criticBefore);
        assertThat(generator.parameters()).isNotEqualTo(generatorBefore);
        assertThat(critic.parameters().isNaN().any() || generator.parameters().isNaN().any()).isFalse();
        // the generator's batch norms moved their running statistics
        INDArray mean = generator.graph().getLayer("g1_n1").getParam("mean");
        assertThat(mean.amaxNumber().doubleValue()).isGreaterThan(0.0);
    }
}
