package org.wgan.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A critic whose input gradient can itself be differentiated with respect to the parameters ("double
 * backprop"), as the gradient penalty (Gulrajani et al. 2017), DRAGAN and R1 need: their penalties are functions
 * of {@code g_i = grad_x f(x_i)}, so their parameter gradient is second order.
 *
 * <p>{@code org.wgan.dl4j.MultiLayerCritic} (module wgan-dl4j) implements it for the layers it can differentiate twice
 * exactly; {@link #requireTwiceDifferentiable()} names any other layer.
 */
public interface TwiceDifferentiableCritic extends Critic {

    /**
     * Checks that every layer can be differentiated twice exactly.
     *
     * @throws IllegalArgumentException naming the first layer that cannot (index, type) and what to use instead
     */
    void requireTwiceDifferentiable();

    /**
     * The per-sample input gradients at {@code samples}, with what is needed to differentiate them once more.
     * Neither the parameters nor the optimizer state change.
     *
     * <p>Lifetime: the result may live in buffers the critic reuses (no activation-sized allocation per step), so it
     * is valid only until the next call of {@code inputGradient} or {@link #applyGradient()} on the same critic,
     * whatever the shapes. After that it is stale: each of its methods throws {@link IllegalStateException}
     * rather than read another call's data. Copy {@link InputGradient#value()} ({@code dup()}) to keep it longer.
     *
     * @param samples {@code [batch, ...]}
     * @return the gradients {@code g = d f(x_i) / d x_i} (shape of the samples) and their adjoint
     * @throws IllegalArgumentException if the samples' shape does not fit the critic
     */
    InputGradient inputGradient(INDArray samples);

    /**
     * Input gradients at a batch of points, and the map from a cotangent on them to parameter gradients; valid until
     * the next {@link TwiceDifferentiableCritic#inputGradient} or {@link TrainableNetwork#applyGradient()} on the
     * critic that made it.
     */
    interface InputGradient {

        /**
         * {@code g_i = d f(x_i) / d x_i}, shaped like the samples; the critic's buffer, not a copy.
         *
         * @throws IllegalStateException if this input gradient is stale
         */
        INDArray value();

        /**
         * Critic outputs at the samples, {@code [batch, 1]}; the critic's buffer, not a copy.
         *
         * @throws IllegalStateException if this input gradient is stale
         */
        INDArray scores();

        /**
         * Adds {@code d (sum_i <cotangent_i, g_i>) / d parameters} to {@code parameterGradient}: for a penalty
         * {@code P(g)}, pass {@code cotangent = dP/dg} to get {@code dP/dtheta}.
         *
         * @param cotangent         shaped like {@link #value()} (any floating-point type; it is cast)
         * @param parameterGradient shaped like the critic's {@link Critic#gradient()}, of the critic's
         *                          {@link TrainableNetwork#dataType()}; added to, not overwritten
         * @throws IllegalStateException    if this input gradient is stale
         * @throws IllegalArgumentException if the cotangent's shape differs from {@link #value()}'s, or
         *                                  parameterGradient's data type or length from the critic's
         */
        void addParameterGradient(INDArray cotangent, INDArray parameterGradient);
    }
}
