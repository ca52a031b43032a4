package org.wgan.dl4j;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.wgan.core.internal.Checks;

/**
 * DL4J updaters with validated settings, and the papers' presets. Put the result in the network's
 * {@code NeuralNetConfiguration.Builder().updater(...)}: each network keeps its own optimizer state.
 */
public final class Optimizers {

    /** WGAN (Arjovsky et al. 2017): RMSProp learning rate. */
    public static final double WGAN_LEARNING_RATE = 5e-5;
    /** WGAN-GP (Gulrajani et al. 2017): Adam learning rate. */
    public static final double WGAN_GP_LEARNING_RATE = 1e-4;
    /** WGAN-GP: Adam beta1. */
    public static final double WGAN_GP_BETA1 = 0.0;
    /** WGAN-GP: Adam beta2. */
    public static final double WGAN_GP_BETA2 = 0.9;
    /** RMSProp decay of the running mean of squares (PyTorch's default alpha, used by the WGAN authors). */
    public static final double RMSPROP_DECAY = 0.99;
    /** Numerical epsilon for RMSProp and Adam. */
    public static final double EPSILON = 1e-8;

    private Optimizers() {
    }

    /** The WGAN paper's optimizer for weight clipping: RMSProp, learning rate {@value #WGAN_LEARNING_RATE}. */
    public static IUpdater wgan() {
        return rmsProp(WGAN_LEARNING_RATE);
    }

    /**
     * The WGAN-GP paper's optimizer: Adam, learning rate {@value #WGAN_GP_LEARNING_RATE}, beta1
     * {@value #WGAN_GP_BETA1}, beta2 {@value #WGAN_GP_BETA2}.
     */
    public static IUpdater wganGp() {
        return adam(WGAN_GP_LEARNING_RATE, WGAN_GP_BETA1, WGAN_GP_BETA2);
    }

    /**
     * RMSProp without momentum, decay {@value #RMSPROP_DECAY}.
     *
     * @throws IllegalArgumentException if learningRate is NaN, infinite or not positive
     */
    public static IUpdater rmsProp(double learningRate) {
        Checks.positive("learningRate", learningRate);
        return new RmsProp(learningRate, RMSPROP_DECAY, EPSILON);
    }

    /**
     * Adam.
     *
     * @throws IllegalArgumentException if learningRate is not finite and positive, or a beta is outside [0, 1)
     */
    public static IUpdater adam(double learningRate, double beta1, double beta2) {
        Checks.positive("learningRate", learningRate);
        Checks.inHalfOpen("beta1", beta1, 0, 1);
        Checks.inHalfOpen("beta2", beta2, 0, 1);
        return new Adam(learningRate, beta1, beta2, EPSILON);
    }
}
