package org.wgan.examples.support;

import org.nd4j.linalg.factory.Nd4j;

/** Sets ND4J's thread count for this process (its native ops and its BLAS calls). */
public final class Nd4jThreads {

    private Nd4jThreads() {
    }

    /**
     * @param threads {@code >= 1}; on 2 cores, 1 thread ran the toy MLPs about twice as fast as ND4J's default
     * @throws IllegalArgumentException if threads is below 1
     */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
    }
}
