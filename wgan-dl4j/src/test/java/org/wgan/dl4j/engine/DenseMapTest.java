package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A dense layer's bias add (the path of double precision and smooth activations) is a rank-1 product over the bias
 * as it lies in the flat parameters: ND4J's broadcast add's bits, and it follows later changes to the parameters.
 */
class DenseMapTest {

    @ParameterizedTest
    @CsvSource({"FLOAT, 1, 64, false", "FLOAT, 2, 512, true", "DOUBLE, 1, 64, true", "DOUBLE, 2, 256, false",
        "FLOAT, 2, 8192, false", "FLOAT, 2, 8192, true", "DOUBLE, 1, 8192, true"})
    void addsTheBiasViewWithTheBroadcastsBits(DataType dataType, int biasRank, int rows, boolean straight) {
        int width = 37;
        INDArray flat = Nd4j.rand(dataType, 1, 500).subi(0.5);
        INDArray bias = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(100, 100 + width));
        bias = biasRank == 2 ? bias.reshape(1, width) : bias.reshape(width);
        INDArray weight = Nd4j.rand(dataType, 'f', 3, width);
        LinearMap dense = new DenseMap(weight, bias, straight);
        INDArray z = Nd4j.rand(dataType, rows, width).muli(1e3);
        INDArray expected = z.dup().addiRowVector(bias);

        dense.addBias(z);

        assertThat(z).isEqualTo(expected);
        assertThat(z.sub(expected).amaxNumber().doubleValue()).isZero();

        flat.muli(2);
        INDArray again = z.dup().addiRowVector(bias);
        dense.addBias(z);
        assertThat(z.sub(again).amaxNumber().doubleValue()).as("reads the parameters, not a copy").isZero();
    }

    /**
     * Products well above the direct path's size (128 x 512 x 384), straight to OpenBLAS or through Nd4j.gemm:
     * forward, input gradient and weight gradient (accumulated) against ND4J's mmul, with DL4J's 'f'-order weight
     * and gradient views.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT, false", "FLOAT, true", "DOUBLE, false", "DOUBLE, true"})
    void largeProductsOnEitherPathMatchNd4j(DataType dataType, boolean straight) {
        Nd4j.getRandom().setSeed(11);
        INDArray weight = Nd4j.rand(dataType, 'f', 512, 384).subi(0.5);
        INDArray a = Nd4j.rand(dataType, 128, 512).subi(0.5);
        INDArray e = Nd4j.rand(dataType, 128, 384).subi(0.5);
        LinearMap dense = new DenseMap(weight, null, straight);
        assertThat(128L * 512 * 384).isGreaterThan(Gemm.DIRECT_MAXIMUM);
        double tolerance = dataType == DataType.FLOAT ? 1e-4 : 1e-12;

        INDArray out = Nd4j.create(dataType, 128, 384);
        dense.applyInto(a, out);
        INDArray back = Nd4j.create(dataType, 128, 512);
        dense.transposeInto(e, back);
        INDArray gradient = Nd4j.rand(dataType, 'f', 512, 384);
        INDArray expectedGradient = gradient.add(a.transpose().mmul(e));
        dense.weightGradientInto(a, e, gradient, true);

        assertThat(maxDifference(out, a.mmul(weight))).isLessThan(tolerance);
        assertThat(maxDifference(back, e.mmul(weight.transpose()))).isLessThan(tolerance);
        assertThat(maxDifference(gradient, expectedGradient)).isLessThan(tolerance);
        assertThat(out.amaxNumber().doubleValue()).as("not left empty").isGreaterThan(1.0);
    }

    @Test
    void onlyNetworksOfDenseAndActivationLayersSendEveryProductStraight() {
        MultiLayerNetwork dense = network(new DenseLayer.Builder().nIn(4).nOut(8).build(),
                new ActivationLayer.Builder().activation(Activation.RELU).build(),
                new DenseLayer.Builder().nIn(8).nOut(1).activation(Activation.IDENTITY).build());
        MultiLayerNetwork convolutional = network(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(2).build(),
                new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build());

        assertThat(LayerStack.straightProducts(Arrays.asList(dense.getLayers()))).isTrue();
        assertThat(LayerStack.straightProducts(Arrays.asList(convolutional.getLayers()))).isFalse();
    }

    /**
     * A network of dense layers keeps its elementwise loops on the calling thread: forward, backward and the
     * penalty's double backprop over 512 x 512 activations (large enough to be split otherwise) hand no range to
     * the loop workers, while the same activation loop outside such a network is split (the tests run 3 threads).
     */
    @Test
    void aDenseNetworkRunsItsLoopsOnTheCallingThread() {
        NeuralNetConfiguration.ListBuilder builder = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(512).nOut(512).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(512).nOut(512).activation(Activation.LEAKYRELU).build())
                .layer(new DenseLayer.Builder().nIn(512).nOut(1).activation(Activation.IDENTITY).build());
        MultiLayerNetwork network = new MultiLayerNetwork(builder.build());
        network.init();
        NetworkEngine engine = new NetworkEngine(network, "critic");
        INDArray x = Nd4j.rand(DataType.FLOAT, 512, 512).subi(0.5);

        long before = LoopThreads.rangesHandedToWorkers();
        INDArray scores = engine.forward(x);
        engine.backward(Nd4j.ones(DataType.FLOAT, 512, 1));
        var inputGradient = engine.inputGradient(x);
        INDArray parameterGradient = Nd4j.zerosLike(engine.gradient());
        inputGradient.addParameterGradient(inputGradient.value().dup(), parameterGradient);
        assertThat(LoopThreads.rangesHandedToWorkers()).isEqualTo(before);
        assertThat(scores.amaxNumber().doubleValue()).isGreaterThan(0.0);
        assertThat(parameterGradient.amaxNumber().doubleValue()).as("the double backprop ran").isGreaterThan(0.0);

        INDArray out = x.ulike();
        assertThat(ElementLoops.activationInto(x, out, 0.0, LoopThreads.threads())).isTrue();
        assertThat(LoopThreads.rangesHandedToWorkers()).as("split outside such a network").isGreaterThan(before);
    }

    private static MultiLayerNetwork network(org.deeplearning4j.nn.conf.layers.Layer... layers) {
        NeuralNetConfiguration.ListBuilder builder = new NeuralNetConfiguration.Builder().seed(1).list();
        for (org.deeplearning4j.nn.conf.layers.Layer layer : layers) {
            builder.layer(layer);
        }
        boolean images = layers[0] instanceof ConvolutionLayer;
        builder.setInputType(images ? InputType.convolutional(6, 6, 1) : InputType.feedForward(4));
        MultiLayerNetwork network = new MultiLayerNetwork(builder.build());
        network.init();
        return network;
    }

    private static double maxDifference(INDArray x, INDArray y) {
        return x.castTo(DataType.DOUBLE).sub(y.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
