package org.wgan.dl4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.appliedGradient;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.weights;

import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Percentage;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.ParameterBlock;
import org.wgan.core.constraint.GradientPenalty;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.GraphCritic;
import org.wgan.dl4j.fixtures.SpectralNormalizationChecks.NormalisedCopy;

/**
 * The SN-GAN paper's residual critic: its size, its layout and initialisation against the SN-GAN code, and the
 * spectrally normalised critic's scores and penalty gradient through the sum pooling.
 */
class SnGanCriticTest {

    /** The learning rate of {@link ResNetCriticTest#tiny()}'s SGD. */
    private static final double TINY_LEARNING_RATE = 0.1;

    @Test
    void hasSnGansParameterCountAt128Channels() {
        // snresnet_32.py with ch = 128 on 32x32x3, every convolution and the dense layer with a bias:
        //   block 1 (OptimizedBlock): conv3x3 3->128 (3*9*128 + 128 = 3,584), conv3x3 128->128 (147,456 + 128 =
        //            147,584), shortcut conv1x1 3->128 (384 + 128 = 512)                       = 151,680
        //   block 2 (down): shortcut conv1x1 128->128 (16,384 + 128 = 16,512), 2 x 147,584       = 311,680
        //   blocks 3, 4: identity shortcuts, 2 x 2 x 147,584                                      = 590,336
        //   dense 128->1                                                                          =     129
        //   total                                                                                 = 1,053,825
        ComputationGraph critic = SnGanCritic.of(ResNetSpec.cifar10());

        assertThat(critic.numParams()).isEqualTo(1_053_825L);
    }

    @Test
    void hasTheWganGpCriticsBlocksWithGlobalSumPooling() {
        ResNetSpec spec = ResNetCriticTest.tiny();
        ComputationGraph critic = SnGanCritic.of(spec);

        assertThat(critic.getConfiguration().getVertexInputs())
                .isEqualTo(ResNetCritic.of(spec).getConfiguration().getVertexInputs());
        assertThat(((GlobalPoolingLayer) critic.getLayer("output_pool").conf().getLayer()).getPoolingType())
                .isEqualTo(PoolingType.SUM);
        assertThat(critic.getConfiguration().getVertexInputs().get("output_pool")).containsExactly("output_s");
    }

    /**
     * Chainer's GlorotUniform(scale): U(-a, a), a = scale * sqrt(6 / (fanIn + fanOut)); the largest |w| of a few
     * thousand draws comes within 1% of a, and their standard deviation within 5% of a / sqrt(3).
     */
    @Test
    void initialisesTheWeightsAsTheSnGanCode() {
        int w = 32;
        ResNetSpec spec = ResNetSpec.cifar10().withWidth(w).withImages(3, 8, 1).withDataType(DataType.DOUBLE);
        ComputationGraph critic = SnGanCritic.of(spec);
        Map<String, Double> bounds = Map.of(
                "d1_conv1", Math.sqrt(2) * Math.sqrt(6.0 / (9 * 3 + 9 * w)),
                "d2_conv1", Math.sqrt(2) * Math.sqrt(6.0 / (9 * w + 9 * w)),
                "d4_conv2", Math.sqrt(2) * Math.sqrt(6.0 / (9 * w + 9 * w)),
                "d1_shortcut", Math.sqrt(6.0 / (3 + w)),
                "d2_shortcut_conv", Math.sqrt(6.0 / (w + w)),
                "output", Math.sqrt(6.0 / (w + 1)));

        bounds.forEach((name, a) -> {
            INDArray weight = critic.getLayer(name).getParam("W");
            assertThat(weight.amaxNumber().doubleValue()).as(name).isLessThanOrEqualTo(a);
            if (weight.length() > 1000) {
                assertThat(weight.amaxNumber().doubleValue()).as(name).isGreaterThan(0.99 * a);
                assertThat(weight.stdNumber().doubleValue()).as(name)
                        .isCloseTo(a / Math.sqrt(3), Percentage.withPercentage(5));
            }
            assertThat(critic.getLayer(name).getParam("b").amaxNumber().doubleValue()).as(name).isZero();
        });
    }

    @Test
    void theSpectrallyNormalisedCriticScoresPaperSizedImages() {
        GraphCritic critic = SnGanCritic.critic(ResNetSpec.cifar10());
        INDArray images = TestArrays.uniform(new Random(1), 2, 3, 32, 32).castTo(DataType.FLOAT);

        INDArray scores = critic.score(images);

        assertThat(scores.shape()).containsExactly(2, 1);
        assertThat(scores.getDouble(0, 0)).isNotEqualTo(scores.getDouble(1, 0));
        // ten convolutions and the dense layer
        assertThat(critic.spectralNorms()).hasSize(11).allSatisfy((layer, sigma) -> assertThat(sigma).isPositive());
        assertThat(critic.toString()).contains("spectral normalisation");
        critic.requireTwiceDifferentiable();
    }

    @Test
    void scoresAreDl4jsTrainingModePassOfTheGraphWithEveryWeightDividedByItsSigma() {
        ResNetSpec spec = ResNetCriticTest.tiny().withNonlinearity(Activation.RELU);
        GraphCritic critic = SnGanCritic.critic(spec);
        ComputationGraph plain = critic.graph().clone();
        for (ParameterBlock block : weights(critic)) {
            plain.getLayers()[block.layerIndex()].getParam("W").divi(critic.spectralNorms().get(block.layerIndex()));
        }
        INDArray x = TestArrays.uniform(new Random(7), 5, 1, 8, 8).subi(0.5).muli(2.0);

        // training mode: DL4J's inference applies the activation layers in place on inputs the shortcuts read
        INDArray expected = plain.feedForward(new INDArray[] {x}, true, false).get("output").dup();

        assertThat(critic.score(x).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(critic.forward(x).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    /**
     * The penalty's raw-weight gradient through sigma and the sum pooling against float64 central differences of the
     * W/sigma copy (v fixed), at up to 4 evenly spaced entries of every parameter block, relative error 1e-6 (to at
     * least a thousandth of the largest entry, as ResNetCriticTest's check).
     */
    @Test
    void thePenaltysRawWeightGradientMatchesCentralDifferences() {
        GraphCritic critic = SnGanCritic.critic(ResNetCriticTest.tiny());
        GradientPenalty penalty = LipschitzConstraints.gradientPenalty(10.0);
        INDArray points = TestArrays.uniform(new Random(5), 3, 1, 8, 8).subi(0.5).muli(3.0);
        NormalisedCopy copy = new NormalisedCopy(critic, GraphCritic.of(critic.graph().clone()));
        INDArray raw = critic.parameters().dup();

        INDArray analytic = appliedGradient(critic, TINY_LEARNING_RATE, () -> {
            critic.forward(points);
            critic.backward(Nd4j.zeros(DataType.DOUBLE, points.size(0), 1));
            penalty.penaltyAt(points, critic, critic.gradient());
        });

        INDArray scratch = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        double h = 1e-6;
        double floor = 1e-3 * analytic.amaxNumber().doubleValue();
        double worst = 0;
        int checked = 0;
        INDArray point = raw.dup();
        for (ParameterBlock block : critic.parameterBlocks()) {
            long length = block.view().length();
            long stride = Math.max(1, length / 4);
            for (long p = block.offset(); p < block.offset() + length; p += stride) {
                double original = point.getDouble(p);
                point.putScalar(p, original + h);
                double plus = copy.value(point, k -> penalty.penaltyAt(points, k, scratch).value());
                point.putScalar(p, original - h);
                double minus = copy.value(point, k -> penalty.penaltyAt(points, k, scratch).value());
                point.putScalar(p, original);
                double numeric = (plus - minus) / (2 * h);
                double exact = analytic.getDouble(p);
                double error = Math.abs(numeric - exact) / Math.max(floor, Math.abs(numeric) + Math.abs(exact));
                worst = Math.max(worst, error);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(worst).as("worst relative error").isLessThan(1e-6);
        assertThat(analytic.norm2Number().doubleValue()).isGreaterThan(1e-3);
    }
}
