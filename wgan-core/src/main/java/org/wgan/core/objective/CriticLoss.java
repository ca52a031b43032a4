package org.wgan.core.objective;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The critic's loss for one batch, with its gradients.
 *
 * @param value        the loss (to be minimised), without any Lipschitz penalty
 * @param realGradient d value / d real scores, {@code [batch, 1]}
 * @param fakeGradient d value / d fake scores, {@code [batch, 1]}
 */
public record CriticLoss(double value, INDArray realGradient, INDArray fakeGradient) {
    public CriticLoss {
        Objects.requireNonNull(realGradient, "realGradient");
        Objects.requireNonNull(fakeGradient, "fakeGradient");
    }
}
