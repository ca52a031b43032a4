package org.wgan.dl4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.ParameterBlock;
import org.wgan.core.constraint.GradientPenalty;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.GraphCritic;

/** The WGAN-GP paper's residual critic: its size, its layout, and the engine's exact penalty gradient through it. */
class ResNetCriticTest {

    /** Width 4 on 8x8x1 images (8 -> 4 -> 2), float64, softplus so that central differences meet no kinks. */
    static ResNetSpec tiny() {
        return ResNetSpec.cifar10().withWidth(4).withImages(1, 8, 1).withNonlinearity(Activation.SOFTPLUS)
                .withDataType(DataType.DOUBLE).withUpdater(new Sgd(0.1)).withSeed(3);
    }

    @Test
    void hasThePapersParameterCountAtWidth128() {
        // gan_cifar_resnet.py's Discriminator, DIM_D = 128, 32x32x3, every conv and linear with a bias:
        //   block 1: conv3x3 3->128 (3*9*128 + 128 = 3,584), conv3x3 128->128 (147,456 + 128 = 147,584),
        //            shortcut conv1x1 3->128 (384 + 128 = 512)                                 = 151,680
        //   block 2 (down): shortcut conv1x1 128->128 (16,384 + 128 = 16,512), 2 x 147,584       = 311,680
        //   blocks 3, 4: identity shortcuts, 2 x 2 x 147,584                                      = 590,336
        //   output linear 128->1                                                                  =     129
        //   total                                                                                 = 1,053,825
        ComputationGraph critic = ResNetCritic.of(ResNetSpec.cifar10());

        assertThat(critic.numParams()).isEqualTo(1_053_825L);
    }

    @Test
    void scoresPaperSizedImagesOnTheEngine() {
        GraphCritic critic = GraphCritic.of(ResNetCritic.of(ResNetSpec.cifar10()));
        INDArray images = TestArrays.uniform(new Random(1), 2, 3, 32, 32).castTo(DataType.FLOAT);

        INDArray scores = critic.score(images);

        assertThat(scores.shape()).containsExactly(2, 1);
        assertThat(scores.getDouble(0, 0)).isNotEqualTo(scores.getDouble(1, 0));
        critic.requireTwiceDifferentiable();
    }

    @Test
    void followsThePapersBlockOrder() {
        ComputationGraph critic = ResNetCritic.of(tiny());
        var vertices = critic.getConfiguration().getVertexInputs();

        // MeanPoolConv in block 1's shortcut, ConvMeanPool in block 2's and in both residual paths
        assertThat(vertices.get("d1_shortcut")).containsExactly("d1_shortcut_pool");
        assertThat(vertices.get("d1_shortcut_pool")).containsExactly("images");
        assertThat(vertices.get("d2_shortcut")).containsExactly("d2_shortcut_conv");
        assertThat(vertices.get("d2_shortcut_conv")).containsExactly("d1");
        assertThat(vertices.get("d1_pool")).containsExactly("d1_conv2");
        assertThat(vertices.get("d2_pool")).containsExactly("d2_conv2");
        assertThat(vertices.get("d3")).containsExactly("d2", "d3_conv2");
        assertThat(vertices.get("d4")).containsExactly("d3", "d4_conv2");
        assertThat(critic.getLayer("d1_shortcut").conf().getLayer()).isInstanceOf(ConvolutionLayer.class);
        assertThat(critic.getLayer("d2_shortcut").conf().getLayer()).isInstanceOf(SubsamplingLayer.class);
        assertThat(((ConvolutionLayer) critic.getLayer("d1_shortcut").conf().getLayer()).getKernelSize())
                .containsExactly(1, 1);
    }

    @Test
    void theEnginesForwardAndBackpropEqualDl4jsTrainingModePasses() {
        ComputationGraph graph = ResNetCritic.of(tiny().withNonlinearity(Activation.RELU));
        ComputationGraph reference = graph.clone();
        GraphCritic critic = GraphCritic.of(graph);
        Random random = new Random(7);
        INDArray x = TestArrays.uniform(random, 5, 1, 8, 8).subi(0.5).muli(2.0);
        INDArray g = TestArrays.uniform(random, 5, 1).subi(0.5);

        // training mode: DL4J's inference applies the activation layers in place on inputs the shortcuts read
        INDArray expected = reference.feedForward(new INDArray[] {x}, true, false).get("output").dup();
        reference.backpropGradient(g);
        INDArray expectedGradient = reference.getGradientsViewArray().reshape(reference.numParams());

        assertThat(critic.score(x).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(critic.forward(x).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
        critic.backward(g);
        assertThat(expectedGradient.amaxNumber().doubleValue()).isGreaterThan(1e-3);
        assertThat(critic.gradient().sub(expectedGradient).amaxNumber().doubleValue()).isLessThan(1e-10);
    }

    /**
     * As GradientPenaltyTest's check: central differences of the penalty, float64, relative error 1e-6, at up to 8
     * evenly spaced entries of every parameter block (every vertex's weights and biases; all 1,109 took a minute).
     */
    @Test
    void penaltyParameterGradientMatchesCentralDifferences() {
        GraphCritic critic = GraphCritic.of(ResNetCritic.of(tiny()));
        GradientPenalty penalty = LipschitzConstraints.gradientPenalty(10.0);
        INDArray points = TestArrays.uniform(new Random(5), 3, 1, 8, 8).subi(0.5).muli(3.0);
        INDArray analytic = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        penalty.penaltyAt(points, critic, analytic);
        INDArray params = critic.parameters();
        INDArray scratch = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        double h = 1e-6;
        // the differences' rounding, ~1e-16 * penalty / h ~ 1e-9 here, swamps entries far below the largest: the
        // error is relative to at least a thousandth of the largest entry
        double floor = 1e-3 * analytic.amaxNumber().doubleValue();
        double worst = 0;
        String where = "";
        int checked = 0;
        for (ParameterBlock block : critic.parameterBlocks()) {
            long length = block.view().length();
            long stride = Math.max(1, length / 8);
            for (long p = block.offset(); p < block.offset() + length; p += stride) {
                double original = params.getDouble(p);
                params.putScalar(p, original + h);
                double plus = penalty.penaltyAt(points, critic, scratch).value();
                params.putScalar(p, original - h);
                double minus = penalty.penaltyAt(points, critic, scratch).value();
                params.putScalar(p, original);
                double numeric = (plus - minus) / (2 * h);
                double exact = analytic.getDouble(p);
                double error = Math.abs(numeric - exact) / Math.max(floor, Math.abs(numeric) + Math.abs(exact));
                if (error > worst) {
                    worst = error;
                    where = critic.graph().getLayers()[block.layerIndex()].conf().getLayer().getLayerName() + " "
                            + block.name() + " [" + (p - block.offset()) + "]: numeric " + numeric + ", exact " + exact;
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(worst).as("worst relative error, at %s", where).isLessThan(1e-6);
        assertThat(analytic.norm2Number().doubleValue()).isGreaterThan(1e-3);
    }
}
