package org.wgan.spark;

import java.io.Serializable;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.objective.Objective;
import org.wgan.core.training.CriticSchedule;

/**
 * What every task needs to build its replica, in serialisable form: the factories and the plain values of a
 * {@link SparkWganTrainer}'s settings.
 */
record TaskSettings(ReplicaFactory<? extends Critic> critic, ReplicaFactory<? extends Generator> generator,
        ReplicaFactory<? extends Objective> objective, ReplicaFactory<? extends LipschitzConstraint> constraint,
        ReplicaFactory<? extends LatentSampler> latentSampler, int criticSteps, int warmUpCriticSteps,
        long warmUpUntil, long warmUpEvery, int batchSize, long seed, long maxGeneratorSteps,
        boolean stopOnNonFinite, String checkpointDirectory, long checkpointEvery, int checkpointsKept,
        long[] sampleShape, long exchangeTimeoutMillis, boolean hadoopCheckpoints) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The checkpoints on a Hadoop file system, when {@link #hadoopCheckpoints()}. */
    HadoopCheckpoints hadoop() {
        return new HadoopCheckpoints(checkpointDirectory, checkpointsKept);
    }

    CriticSchedule criticSchedule() {
        return new CriticSchedule(criticSteps, warmUpCriticSteps, warmUpUntil, warmUpEvery);
    }
}
