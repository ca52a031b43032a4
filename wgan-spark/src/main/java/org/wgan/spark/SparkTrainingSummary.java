package org.wgan.spark;

import org.wgan.core.training.TrainingSummary;

/**
 * How a {@link SparkWganTrainer#fit} run ended.
 *
 * @param training          the steps, last losses (means over the workers' shards), stop reason and wall time, as
 *                          a single-process run reports them
 * @param workers           the number of barrier tasks (the RDD's partitions)
 * @param rounds            the barrier stages that completed, one per checkpoint interval
 * @param failedAttempts    the stages that failed and were run again from the newest checkpoint
 * @param exchangeSeconds   the time task 0 spent exchanging gradients, summed over the completed rounds
 * @param trainSeconds      task 0's training time (exchange included), summed over the completed rounds
 * @param bytesSentPerTask  the encoded gradient bytes task 0 sent, summed over the completed rounds
 */
public record SparkTrainingSummary(TrainingSummary training, int workers, int rounds, int failedAttempts,
        double exchangeSeconds, double trainSeconds, long bytesSentPerTask) {
}
