package org.wgan.core.data;


/** The batch-size check every sampler in this package applies. */
final class BatchSizes {

    private BatchSizes() {
    }

    /** @throws IllegalArgumentException if batchSize is below 1 */
    static int require(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, but was " + batchSize);
        }
        return batchSize;
    }
}
