package org.wgan.dl4j.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

    /** Forward pass, input gradient of {@code sum_i f(x_i)} and its adjoint at {@code x}, valid until the next call. */
    abstract InputGradient at(INDArray x);

    /** Makes every input gradient returned so far stale (the parameters are about to change). */
    abstract void invalidateInputGradients();

    /**
     * Checks that {@link #at} can run: a no-op unless the passes hold a stage that runs forward and backward only.
     *
     * @throws IllegalArgumentException naming that stage
     */
    void requireTwiceDifferentiable() {
    }
}
