package org.wgan.dl4j.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;

/**
 * The engine's own passes over a network, in buffers preallocated per input shape: {@link LayerStack} for a
 * MultiLayerNetwork's chain of layers, {@link GraphStack} for a ComputationGraph. Arrays returned are the passes'
 * buffers, valid until the next call of the same kind with the same input shape.
 */
abstract class OwnPasses {

    /** Input shapes whose buffers are kept per kind of pass before the cache starts over. */
    static final int MAX_CACHED_SHAPES = 4;

    /**
     * The passes' buffers for {@code inputShape} from {@code cache}, made by {@code make} (outside any workspace)
     * the first time; the cache starts over when it holds {@link #MAX_CACHED_SHAPES} shapes.
     */
    static <P> P cachedPass(Map<List<Long>, P> cache, long[] inputShape, Function<long[], P> make) {
        List<Long> key = Arrays.stream(inputShape).boxed().toList();
        P pass = cache.get(key);
        if (pass == null) {
            if (cache.size() >= MAX_CACHED_SHAPES) {
                cache.clear();
            }
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                pass = make.apply(inputShape);
            }
            cache.put(key, pass);
        }
        return pass;
    }

    /** Training-mode forward pass; keeps what {@link #backward} needs. Returns an internal buffer. */
    abstract INDArray forward(INDArray x);

    /** Inference-mode forward pass. Returns an internal buffer. */
    abstract INDArray output(INDArray x);

    /**
     * Backpropagates {@code outputGradient} through the last {@link #forward}, overwriting the flat parameter
     * gradient; returns the input gradient (an internal buffer).
     */
    abstract INDArray backward(INDArray outputGradient);

    /** As {@link #backward}, to the input only: the flat parameter gradient is left alone. */
    abstract INDArray backwardToInput(INDArray outputGradient);

    /**
     * As {@link #backward}, without the input gradient: the layers that read the input compute their parameter
     * gradients only (a convolution's weight gradient without its input gradient, the larger half of conv2d_bp on
     * images), and the input gradient's buffer holds nothing meaningful afterwards.
     */
    abstract void backwardParameters(INDArray outputGradient);

    /** Forward pass, input gradient of {@code sum_i f(x_i)} and its adjoint at {@code x}, valid until the next call. */
    abstract InputGradient at(INDArray x);

    /** Counts {@link #measured} results and parameter updates: an input gradient is valid while it holds the count. */
    private long inputGradientGeneration;

    /** What a penalty pass's buffers hold for the {@link InputGradient} that reads them. */
    interface PenaltyPass {
        /** The input gradient, {@code [batch, ...]}. */
        INDArray inputGradient();

        /** The scores, {@code [batch, 1]}. */
        INDArray output();

        /** The adjoint, once the caller has checked that the pass is current. */
        void addParameterGradient(INDArray cotangent, INDArray parameterGradient);
    }

    /**
     * An input gradient reading {@code pass}'s buffers, valid until the next {@link #measured} or
     * {@link #invalidateInputGradients()}; a stale one throws instead of reading another call's data.
     */
    final InputGradient measured(PenaltyPass pass) {
        long generation = ++inputGradientGeneration;
        return new InputGradient() {
            private PenaltyPass current() {
                if (generation != inputGradientGeneration) {
                    throw new IllegalStateException("this InputGradient is stale: critic.inputGradient(...) or"
                            + " applyGradient() ran on the same critic after it was taken, and its buffers now"
                            + " hold other data; an InputGradient is valid only until the next of those calls");
                }
                return pass;
            }

            @Override
            public INDArray value() {
                return current().inputGradient();
            }

            @Override
            public INDArray scores() {
                return current().output();
            }

            @Override
            public void addParameterGradient(INDArray cotangent, INDArray parameterGradient) {
                current().addParameterGradient(cotangent, parameterGradient);
            }
        };
    }

    /** Makes every input gradient returned so far stale (the parameters are about to change). */
    final void invalidateInputGradients() {
        inputGradientGeneration++;
    }

    /**
     * The adjoint's arguments checked against the pass: the cotangent shaped like the input gradient, the parameter
     * gradient of the critic's type and length.
     *
     * @throws IllegalArgumentException naming the argument and both values
     */
    static void checkAdjointArguments(INDArray cotangent, long[] inputShape, INDArray parameterGradient,
            DataType dataType, long parameters) {
        if (!Arrays.equals(cotangent.shape(), inputShape)) {
            throw new IllegalArgumentException("cotangent must have the input gradient's shape "
                    + Arrays.toString(inputShape) + ", but was " + Arrays.toString(cotangent.shape()));
        }
        if (parameterGradient.dataType() != dataType) {
            throw new IllegalArgumentException("parameterGradient must have the critic's data type " + dataType
                    + ", but was " + parameterGradient.dataType());
        }
        if (parameterGradient.length() != parameters) {
            throw new IllegalArgumentException("parameterGradient must have the critic's " + parameters
                    + " elements, but had " + parameterGradient.length());
        }
    }

    /**
     * Whether some pass holds the buffers only the penalty's adjoint reads, which the first {@link #at} of an input
     * shape allocates: forward and backward alone never do.
     */
    abstract boolean holdsAdjointBuffers();

    /**
     * Refuses an adjoint whose pass holds no penalty backward's first derivatives (those of its last forward).
     *
     * @throws IllegalStateException unless {@code penaltyBackward}
     */
    static void requirePenaltyBackward(boolean penaltyBackward) {
        if (!penaltyBackward) {
            throw new IllegalStateException("addParameterGradient(...) reads the first derivatives that a penalty"
                    + " backward keeps, and this pass's last forward was followed by none; call at(x) (the"
                    + " critic's inputGradient(samples)) first and use the InputGradient it returns");
        }
    }

    /**
     * Checks that {@link #at} can run: a no-op unless the passes hold a stage that runs forward and backward only.
     *
     * @throws IllegalArgumentException naming that stage
     */
    void requireTwiceDifferentiable() {
    }
}
