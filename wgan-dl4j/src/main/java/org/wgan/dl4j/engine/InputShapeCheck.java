package org.wgan.dl4j.engine;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The input shape check at the engine's entry, before the first product: the input's rank and sizes are walked
 * through the network's layers (dense {@code nIn}, convolution channels and output sizes, the output sizes of
 * upsampling and pooling layers, DL4J's CNN/feed-forward reshaping preprocessors), and the first layer the input
 * does not fit is named with both shapes, as DL4J's own checks name it. Without this, the engine's own products
 * fail inside libnd4j ("Op [matmul] execution failed", with C++ text on stderr) and say nothing about the network.
 *
 * <p>The walk runs once per new sample shape (everything but the batch axis); a call with the shape last accepted
 * costs one comparison of the sizes. Layers it does not know end the walk without a verdict, leaving the rest to
 * DL4J's own checks.
 */
final class InputShapeCheck {

    private final MultiLayerNetwork network;
    private final String role;
    private long[] accepted;

    InputShapeCheck(MultiLayerNetwork network, String role) {
        this.network = network;
        this.role = role;
    }

    /**
     * Accepts {@code input} when the network can take it.
     *
     * @throws IllegalArgumentException naming the network's role, the first layer the input does not fit (index
     *                                  and type) and both shapes
     */
    void check(INDArray input) {
        if (!sameSampleShape(input)) {
            long[] shape = input.shape();
            walk(shape);
            accepted = shape;
        }
    }

    private boolean sameSampleShape(INDArray input) {
        long[] last = accepted;
        if (last == null || input.rank() != last.length) {
            return false;
        }
        for (int i = 1; i < last.length; i++) {
            if (input.size(i) != last[i]) {
                return false;
            }
        }
        return true;
    }

    private void walk(long[] shape) {
        InputType type = typeOf(shape);
        String typeSource = null;
        for (int i = 0; i < network.getnLayers(); i++) {
            Layer conf = network.getLayer(i).conf().getLayer();
            InputPreProcessor preprocessor = network.getLayerWiseConfigurations().getInputPreProcess(i);
            if (preprocessor instanceof FeedForwardToCnnPreProcessor toCnn) {
                InputType cnn = InputType.convolutional(toCnn.getInputHeight(), toCnn.getInputWidth(),
                        toCnn.getNumChannels());
                if (!fits(type, cnn)) {
                    throw mismatch(shape, i, conf, flat(cnn) + " or " + cnn(cnn)
                            + " (its FeedForwardToCnnPreProcessor: channels, height, width)", type, typeSource);
                }
                type = cnn;
            } else if (preprocessor instanceof CnnToFeedForwardPreProcessor toFlat) {
                if (toFlat.getFormat() != CNN2DFormat.NCHW) {
                    return;
                }
                InputType cnn = InputType.convolutional(toFlat.getInputHeight(), toFlat.getInputWidth(),
                        toFlat.getNumChannels());
                if (!fits(type, cnn)) {
                    throw mismatch(shape, i, conf, cnn(cnn) + " (its CnnToFeedForwardPreProcessor: channels, height,"
                            + " width) or " + flat(cnn), type, typeSource);
                }
                type = InputType.feedForward(cnn.arrayElementsPerExample());
            } else if (preprocessor != null) {
                return;
            }
            if (conf instanceof DenseLayer dense) {
                if (!(type instanceof InputType.InputTypeFeedForward ff) || ff.getSize() != dense.getNIn()) {
                    throw mismatch(shape, i, conf, "[batch, " + dense.getNIn() + "] (nIn " + dense.getNIn() + ")",
                            type, typeSource);
                }
                type = InputType.feedForward(dense.getNOut());
            } else if (conf instanceof ConvolutionLayer conv) {
                if (conv instanceof Convolution1DLayer || conv instanceof Convolution3D
                        || conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    return;
                }
                if (!(type instanceof InputType.InputTypeConvolutional in) || in.getChannels() != conv.getNIn()) {
                    throw mismatch(shape, i, conf, "[batch, " + conv.getNIn() + ", height, width] (NCHW, nIn "
                            + conv.getNIn() + " channels)", type, typeSource);
                }
                try {
                    type = conv.getOutputType(i, type);
                } catch (RuntimeException e) {
                    throw mismatch(shape, i, conf, "an input its kernel, stride and padding fit (" + e.getMessage()
                            + ")", type, typeSource);
                }
            } else if (conf.getClass() == Upsampling2D.class || conf.getClass() == SubsamplingLayer.class
                    || conf.getClass() == GlobalPoolingLayer.class) {
                if (!nchw(conf)) {
                    return;
                }
                if (!(type instanceof InputType.InputTypeConvolutional)) {
                    throw mismatch(shape, i, conf, "[batch, channels, height, width] (NCHW)", type, typeSource);
                }
                try {
                    type = conf.getOutputType(i, type);
                } catch (RuntimeException e) {
                    throw mismatch(shape, i, conf, "an input its kernel, stride and padding fit (" + e.getMessage()
                            + ")", type, typeSource);
                }
            } else if (!(conf instanceof ActivationLayer || conf instanceof DropoutLayer)) {
                // a layer this check does not model: DL4J's own forward pass checks it
                return;
            }
            typeSource = "layer " + i + " (" + conf.getClass().getSimpleName() + ")";
        }
    }

    /** False for an upsampling or pooling layer configured for NHWC data (this check models NCHW only). */
    private static boolean nchw(Layer conf) {
        if (conf instanceof Upsampling2D up) {
            return up.getFormat() == CNN2DFormat.NCHW;
        }
        return !(conf instanceof SubsamplingLayer pool) || pool.getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }

    /** The input as DL4J would type it: feed-forward for rank 2, NCHW images for rank 4, null otherwise. */
    private static InputType typeOf(long[] shape) {
        if (shape.length == 2) {
            return InputType.feedForward(shape[1]);
        }
        if (shape.length == 4) {
            return InputType.convolutional(shape[2], shape[3], shape[1]);
        }
        return null;
    }

    /** Whether a reshaping preprocessor to or from {@code cnn} takes {@code type}: the image or its flat form. */
    private static boolean fits(InputType type, InputType cnn) {
        if (type instanceof InputType.InputTypeFeedForward ff) {
            return ff.getSize() == cnn.arrayElementsPerExample();
        }
        return cnn.equals(type);
    }

    private IllegalArgumentException mismatch(long[] input, int index, Layer conf, String expected, InputType actual,
            String actualSource) {
        StringBuilder message = new StringBuilder(role).append(" input ").append(Arrays.toString(input))
                .append(" does not fit layer ").append(index).append(" (").append(conf.getClass().getSimpleName())
                .append("): it expects ").append(expected);
        if (actualSource != null) {
            message.append(", but ").append(actualSource).append(" gives ").append(describe(actual))
                    .append(" for this input");
        } else if (input.length < 2) {
            message.append(", but a rank-").append(input.length).append(" array has no batch axis; reshape one"
                    + " sample to [1, ...] and a batch of scalars to [batch, 1]");
        }
        return new IllegalArgumentException(message.toString());
    }

    private static String describe(InputType type) {
        if (type instanceof InputType.InputTypeFeedForward ff) {
            return "[batch, " + ff.getSize() + "]";
        }
        if (type instanceof InputType.InputTypeConvolutional cnn) {
            return cnn(cnn);
        }
        return String.valueOf(type);
    }

    private static String cnn(InputType type) {
        InputType.InputTypeConvolutional cnn = (InputType.InputTypeConvolutional) type;
        return "[batch, " + cnn.getChannels() + ", " + cnn.getHeight() + ", " + cnn.getWidth() + "]";
    }

    private static String flat(InputType cnn) {
        return "[batch, " + cnn.arrayElementsPerExample() + "]";
    }
}
