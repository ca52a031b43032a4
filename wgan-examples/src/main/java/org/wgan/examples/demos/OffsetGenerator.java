package org.wgan.examples.demos;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Generator;
import org.wgan.core.ParameterBlock;
import org.wgan.core.internal.Checks;

/**
 * The generators of the didactic demos: {@code x = base(z) + offset}, where {@code base} is a fixed map of the
 * latent noise and only the offset (some of its coordinates) is learned, by plain gradient descent. It shows that
 * anything implementing {@link Generator} trains with the library, not only DL4J networks.
 *
 * <p>Parallel lines: {@code base(z) = (0, z)}, offset {@code (theta, 0)} with only theta trained. A fixed
 * distribution: learning rate 0.
 */
final class OffsetGenerator implements Generator {

    private final int latentSize;
    private final UnaryOperator<INDArray> base;
    private final INDArray offset;
    private final INDArray trainable;
    private final INDArray gradient;
    private final double learningRate;
    private final List<ParameterBlock> blocks;
    private long updates;
    private long batchOfLastForward = -1;

    /**
     * @param latentSize    length of a latent vector
     * @param base          the fixed map {@code [batch, latentSize] -> [batch, d]}
     * @param initialOffset the offset, length d
     * @param trainable     which offset coordinates learn (1) or stay (0), length d
     * @param learningRate  step size of gradient descent, {@code >= 0}
     */
    OffsetGenerator(int latentSize, UnaryOperator<INDArray> base, double[] initialOffset, double[] trainable,
            double learningRate) {
        if (initialOffset.length != trainable.length) {
            throw new IllegalArgumentException("trainable must have the offset's length " + initialOffset.length
                    + ", but had " + trainable.length);
        }
        Checks.nonNegative("learningRate", learningRate);
        this.latentSize = latentSize;
        this.base = Objects.requireNonNull(base, "base");
        this.offset = Nd4j.createFromArray(initialOffset);
        this.trainable = Nd4j.createFromArray(trainable);
        this.gradient = Nd4j.zeros(DataType.DOUBLE, initialOffset.length);
        this.learningRate = learningRate;
        this.blocks = List.of(new ParameterBlock(0, "offset", ParameterBlock.Kind.BIAS, 0, offset));
    }

    /** The current offset. */
    double[] offset() {
        return offset.toDoubleVector();
    }

    /** Sets the offset (for sweeps over it). */
    void setOffset(double... values) {
        offset.assign(Nd4j.createFromArray(values));
    }

    @Override
    public int latentSize() {
        return latentSize;
    }

    @Override
    public INDArray generate(INDArray latent) {
        INDArray x = base.apply(latent.castTo(DataType.DOUBLE));
        return x.addiRowVector(offset);
    }

    @Override
    public INDArray forward(INDArray latent) {
        batchOfLastForward = latent.size(0);
        return generate(latent);
    }

    @Override
    public void backward(INDArray sampleGradient) {
        if (batchOfLastForward != sampleGradient.size(0)) {
            throw new IllegalStateException("generator.backward(...) needs a preceding forward(...) of "
                    + sampleGradient.size(0) + " samples, but the last had " + batchOfLastForward);
        }
        // x_i = base(z_i) + offset, so dL/d offset = sum_i dL/dx_i (masked to the trainable coordinates)
        gradient.assign(sampleGradient.castTo(DataType.DOUBLE).sum(0).muli(trainable));
    }

    @Override
    public INDArray parameters() {
        return offset;
    }

    @Override
    public INDArray gradient() {
        return gradient;
    }

    @Override
    public List<ParameterBlock> parameterBlocks() {
        return blocks;
    }

    @Override
    public void applyGradient() {
        offset.subi(gradient.mul(learningRate));
        updates++;
    }

    @Override
    public long updateCount() {
        return updates;
    }

    @Override
    public INDArray optimizerState() {
        return Nd4j.empty(DataType.DOUBLE);
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public String toString() {
        return "OffsetGenerator[offset=" + Arrays.toString(offset()) + ", learningRate=" + learningRate + "]";
    }
}
