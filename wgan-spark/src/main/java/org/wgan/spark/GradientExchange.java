package org.wgan.spark;

import org.nd4j.linalg.api.ndarray.INDArray;

/** How the tasks of a barrier stage agree on one gradient: every task passes its own and gets the mean back. */
interface GradientExchange {

    /** The exchange of a task alone: its gradient is the mean already, nothing is sent. */
    GradientExchange ALONE = new GradientExchange() {
        @Override
        public void average(INDArray gradient) {
        }

        @Override
        public long nanos() {
            return 0;
        }

        @Override
        public long bytesSent() {
            return 0;
        }
    };

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
