package org.wgan.spark;

import java.io.Serializable;

/**
 * Makes one part of a training replica (a network, the objective, the constraint, the latent sampler) inside each
 * Spark task, since networks and their optimizers are not serialisable; the factory itself is shipped to the tasks,
 * so a lambda may capture only serialisable values.
 *
 * <p>Every call must make the same thing: networks initialised from the same seed, so that all replicas start
 * from identical parameters (for example {@code () -> MultiLayerCritic.of(Mlp.builder().sizes(2, 64, 1).seed(7)
 * .build())}).
 *
 * @param <T> what it makes
 */
@FunctionalInterface
public interface ReplicaFactory<T> extends Serializable {

    /** A new instance, identical to every other this factory makes. */
    T create();
}
