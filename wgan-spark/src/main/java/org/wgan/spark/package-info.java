/**
 * Synchronous data-parallel training on Apache Spark. Start with {@link org.wgan.spark.SparkWganTrainer}: it runs
 * one replica of the critic and the generator per partition of a {@code JavaRDD} in a barrier stage, averages
 * their gradients before every update, and continues from its newest checkpoint after a failed task.
 * {@link org.wgan.spark.ShardedSampleSource} is how each replica draws its share of a batch, and how a single
 * process reproduces the same batches. The package-private classes (the synchronised network decorators, the
 * gradient exchange, the task body) are not API.
 */
package org.wgan.spark;
