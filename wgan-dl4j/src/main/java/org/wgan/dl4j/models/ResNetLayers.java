package org.wgan.dl4j.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;

/** The layers the residual networks share (not API). */
final class ResNetLayers {

    private ResNetLayers() {
    }

    static GraphBuilder graph(ResNetSpec spec, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(spec.dataType()).updater(spec.updater())
                .weightInit(WeightInit.XAVIER).graphBuilder();
    }

    /**
     * A same-mode stride-1 convolution with bias; the paper's {@code he_init} 3x3 ones get He initialisation, its
     * 1x1 shortcuts and output convolution Xavier.
     */
    static ConvolutionLayer conv(int kernel, int nOut, Activation activation, boolean heInit) {
        return new ConvolutionLayer.Builder(kernel, kernel).nOut(nOut).convolutionMode(ConvolutionMode.Same)
                .activation(activation).weightInit(heInit ? WeightInit.RELU : WeightInit.XAVIER).build();
    }

    /** A same-mode stride-1 convolution with bias, initialised by {@code init}. */
    static ConvolutionLayer conv(int kernel, int nOut, Activation activation, IWeightInit init) {
        return new ConvolutionLayer.Builder(kernel, kernel).nOut(nOut).convolutionMode(ConvolutionMode.Same)
                .activation(activation).weightInit(init).build();
    }

    /**
     * Chainer's {@code GlorotUniform(scale)}: {@code U(-a, a)} with {@code a = scale * sqrt(6 / (fanIn + fanOut))};
     * for a convolution the fans are the maps times the kernel's area (as DL4J's {@code XAVIER_UNIFORM}, which is
     * scale 1, reads them).
     */
    static IWeightInit glorotUniform(double scale, long fanIn, long fanOut) {
        double a = scale * Math.sqrt(6.0 / (fanIn + fanOut));
        return new WeightInitDistribution(new UniformDistribution(-a, a));
    }

    /** The paper's mean pooling: the average of each 2x2 square. */
    static SubsamplingLayer meanPool() {
        return new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build();
    }

    static ActivationLayer activation(ResNetSpec spec) {
        return new ActivationLayer.Builder().activation(spec.nonlinearity()).build();
    }
}
