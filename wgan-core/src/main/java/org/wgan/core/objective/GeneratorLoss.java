package org.wgan.core.objective;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generator's loss for one batch, with its gradient.
 *
 * @param value        the loss (to be minimised)
 * @param fakeGradient d value / d fake scores, {@code [batch, 1]}
 */
public record GeneratorLoss(double value, INDArray fakeGradient) {
    public GeneratorLoss {
        Objects.requireNonNull(fakeGradient, "fakeGradient");
    }
}
