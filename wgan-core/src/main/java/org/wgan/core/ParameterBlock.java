package org.wgan.core;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.internal.Checks;

/**
 * One named parameter array of a network: a view into its flattened parameter vector.
 *
 * @param layerIndex index of the layer that owns it
 * @param name       the parameter's key within the layer ("W", "b", ...)
 * @param kind       what the parameter is, which decides whether constraints touch it
 * @param offset     where the block starts in the flattened parameter (and gradient) vector
 * @param view       the live view into the flattened parameters
 */
public record ParameterBlock(int layerIndex, String name, Kind kind, long offset, INDArray view) {

    /** What a parameter is. */
    public enum Kind {
        /** A weight of a linear map (dense or convolution kernel). */
        WEIGHT,
        /** An additive bias. */
        BIAS,
        /** Any other trained parameter (e.g. a normalisation scale). */
        OTHER,
        /** A parameter not trained by gradient, such as batch-normalisation running statistics. */
        NOT_TRAINED
    }

    public ParameterBlock {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(view, "view");
        Checks.atLeast("offset", offset, 0);
    }

    /** This block's slice of a flattened vector laid out like the parameters (e.g. the gradient), flat. */
    public INDArray sliceOf(INDArray flat) {
        return flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + view.length()));
    }
}
