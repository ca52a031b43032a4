package org.wgan.core.constraint;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.ParameterBlock;
import org.wgan.core.internal.Checks;
import org.wgan.core.simd.InPlaceClamp;

/**
 * Weight clipping (Arjovsky, Chintala and Bottou, "Wasserstein GAN", 2017, Algorithm 1): after every critic
 * update each critic parameter is clamped to {@code [-clipValue, clipValue]}, which bounds the critic's Lipschitz
 * constant by a (network-dependent) multiple of the clip value.
 *
 * <p>The clamp runs in place over the critic's flattened parameter vector when every parameter is clipped; otherwise
 * over each clipped parameter block. Float parameters are clamped in one SIMD pass on two cores when the JVM has the
 * Vector API ({@code --add-modules jdk.incubator.vector}), others with ND4J's scalar max then min, with the same
 * result to the bit; the clamps are set up on first use and reused while the critic hands back the same arrays
 * (benchmarks/README.md has the figures). A NaN parameter becomes {@code -clipValue}. Parameters not trained by
 * gradient (batch-normalisation running statistics) are never clipped. The paper clips biases too; use
 * {@link #weightsOnly()} to leave them free.
 *
 * <p>Create with {@link LipschitzConstraints#weightClipping(double)}.
 */
public final class WeightClipping implements LipschitzConstraint {

    /** The paper's clip value. */
    public static final double DEFAULT_CLIP_VALUE = 0.01;

    /** Which parameters are clipped. */
    public enum Scope {
        /** Every trained parameter, biases included (the paper). */
        ALL_PARAMETERS,
        /** Weights of linear maps only; biases and other parameters are left free. */
        WEIGHTS_ONLY
    }

    private final double clipValue;
    private final Scope scope;
    /** The clamps of the arrays clipped last time, in order; rebuilt when the arrays are not the same objects. */
    private volatile InPlaceClamp[] clamps = new InPlaceClamp[0];

    WeightClipping(double clipValue, Scope scope) {
        Checks.positive("clipValue", clipValue);
        this.clipValue = clipValue;
        this.scope = java.util.Objects.requireNonNull(scope, "scope");
    }

    /** The clip value c: parameters are kept in {@code [-c, c]}. */
    public double clipValue() {
        return clipValue;
    }

    /** Which parameters are clipped. */
    public Scope scope() {
        return scope;
    }

    /** The same clip value, applied to weights only (biases left unclipped). */
    public WeightClipping weightsOnly() {
        return new WeightClipping(clipValue, Scope.WEIGHTS_ONLY);
    }

    @Override
    public void afterCriticUpdate(Critic critic) {
        List<INDArray> arrays = clippedArrays(critic);
        InPlaceClamp[] current = clamps;
        if (!clampsOf(current, arrays)) {
            current = new InPlaceClamp[arrays.size()];
            for (int i = 0; i < current.length; i++) {
                current[i] = InPlaceClamp.of(arrays.get(i), -clipValue, clipValue);
            }
            clamps = current;
        }
        for (InPlaceClamp clamp : current) {
            clamp.run();
        }
        critic.parametersChanged();
    }

    /** The flattened parameter vector when every parameter is clipped, else each clipped block's view. */
    private List<INDArray> clippedArrays(Critic critic) {
        List<ParameterBlock> blocks = critic.parameterBlocks();
        if (blocks.stream().allMatch(this::clips)) {
            return List.of(critic.parameters());
        }
        List<INDArray> views = new ArrayList<>();
        for (ParameterBlock block : blocks) {
            if (clips(block)) {
                views.add(block.view());
            }
        }
        return views;
    }

    private static boolean clampsOf(InPlaceClamp[] clamps, List<INDArray> arrays) {
        if (clamps.length != arrays.size()) {
            return false;
        }
        for (int i = 0; i < clamps.length; i++) {
            if (!clamps[i].clamps(arrays.get(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean clips(ParameterBlock block) {
        return switch (block.kind()) {
            case WEIGHT -> true;
            case BIAS, OTHER -> scope == Scope.ALL_PARAMETERS;
            case NOT_TRAINED -> false;
        };
    }

    @Override
    public String toString() {
        return "WeightClipping[clipValue=" + clipValue + ", scope=" + scope + "]";
    }
}
