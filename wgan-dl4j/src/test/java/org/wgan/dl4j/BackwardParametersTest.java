package org.wgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.Critic;
import org.wgan.dl4j.models.ResNetCritic;
import org.wgan.dl4j.models.ResNetSpec;

/**
 * {@code backwardParameters} (the critic update's backward, without the samples' gradient: the first layers'
 * weight gradients alone) gives {@code backward}'s parameter gradient, in float64 to rounding and in float32 to
 * float rounding (the weight gradient of a thin first convolution then runs im2col and products, not conv2d_bp).
 */
class BackwardParametersTest {

    @Test
    void aConvolutionCriticOnImagesGetsBackwardsParameterGradient() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                    .dataType(type).updater(new Sgd(0.1)).list()
                    .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(6)
                            .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                    .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(5)
                            .activation(new ActivationLReLU(0.2)).build())
                    .layer(new DenseLayer.Builder().nOut(1).activation(
                            org.nd4j.linalg.activations.Activation.IDENTITY).build())
                    .setInputType(InputType.convolutional(12, 12, 1)).build());
            network.init();
            assertSameGradient(MultiLayerCritic.of(network), Nd4j.rand(type, 7, 1, 12, 12).subi(0.5), type);
        }
    }

    @Test
    void aResidualGraphCriticOnImagesGetsBackwardsParameterGradient() {
        // the input feeds a pooling shortcut and a convolution; both send nothing back without the input gradient
        ResNetSpec spec = ResNetSpec.cifar10().withWidth(4).withImages(3, 8, 1);
        assertSameGradient(GraphCritic.of(ResNetCritic.of(spec)), Nd4j.rand(DataType.FLOAT, 5, 3, 8, 8).subi(0.5),
                DataType.FLOAT);
    }

    private static void assertSameGradient(Critic critic, INDArray samples, DataType type) {
        INDArray scoreGradient = Nd4j.rand(type, samples.size(0), 1).subi(0.5);
        critic.forward(samples);
        critic.backward(scoreGradient);
        INDArray expected = critic.gradient().dup();
        critic.gradient().assign(Double.NaN);

        critic.forward(samples);
        critic.backwardParameters(scoreGradient);

        INDArray actual = critic.gradient();
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).as(critic.toString())
                .isLessThanOrEqualTo(tolerance * scale);
    }
}
