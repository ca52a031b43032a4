package org.wgan.spark;

import org.nd4j.linalg.api.ndarray.INDArray;

/** How the tasks of a barrier stage agree on one gradient: every task passes its own and gets the mean back. */
interface GradientExchange {

    /**
     * Replaces {@code gradient} (flattened, {@code [numParameters]}) with the mean over every task's, summed in task
     * order on every task so that all replicas hold the same bits. Blocks until every task has called it.
     */
    void average(INDArray gradient);

    /** Nanoseconds spent in {@link #average} so far. */
    long nanos();

    /** Bytes this task has sent so far (its encoded gradients). */
    long bytesSent();
}
