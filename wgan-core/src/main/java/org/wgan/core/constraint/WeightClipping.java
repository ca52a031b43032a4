package org.wgan.core.constraint;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.wgan.core.Critic;
import org.wgan.core.ParameterBlock;

/**
 * Weight clipping (Arjovsky, Chintala and Bottou, "Wasserstein GAN", 2017, Algorithm 1): after every critic
 * update each critic parameter is clamped to {@code [-clipValue, clipValue]}, which bounds the critic's Lipschitz
 * constant by a (network-dependent) multiple of the clip value.
 *
 * <p>The clamp is one in-place pass over the critic's flattened parameter vector (two scalar ops, max then min)
 * when every parameter is clipped; otherwise one pass per clipped parameter block. (A single SIMD pass through the
 * JDK's Vector API measured slower than the two native ops at every size: benchmarks/README.md.) Parameters not
 * trained by gradient (batch-normalisation running statistics) are never clipped. The paper clips biases too; use
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

    WeightClipping(double clipValue, Scope scope) {
        if (Double.isNaN(clipValue) || Double.isInfinite(clipValue) || clipValue <= 0) {
            throw new IllegalArgumentException("clipValue must be finite and > 0, but was " + clipValue);
        }
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
        List<ParameterBlock> blocks = critic.parameterBlocks();
        if (blocks.stream().allMatch(this::clips)) {
            clamp(critic.parameters());
            return;
        }
        for (ParameterBlock block : blocks) {
            if (clips(block)) {
                clamp(block.view());
            }
        }
    }

    private boolean clips(ParameterBlock block) {
        return switch (block.kind()) {
            case WEIGHT -> true;
            case BIAS, OTHER -> scope == Scope.ALL_PARAMETERS;
            case NOT_TRAINED -> false;
        };
    }

    private void clamp(INDArray view) {
        Transforms.max(view, -clipValue, false);
        Transforms.min(view, clipValue, false);
    }

    @Override
    public String toString() {
        return "WeightClipping[clipValue=" + clipValue + ", scope=" + scope + "]";
    }
}
