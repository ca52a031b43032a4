package org.wgan.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.examples.fashion.FashionModels;
import org.wgan.losses.Objectives;

/**
 * One iteration of the Fashion-MNIST WGAN-GP example (`FashionGan --objective WGAN_GP`): five gradient-penalised
 * critic steps (penalty weight 10) and one generator step, batch 64, the {@link FashionModels} critic and generator
 * at width {@code width}, Adam (1e-4, 0, 0.9) for both, latent N(0, I) of 64, {@code threads} ND4J threads. Real
 * batches are blocks of a fixed pool of random images in [-1, 1] (the data's values do not change the work). The
 * peer is {@code fashion_wgangp_iteration_w<width>_b64} of benchmarks/pytorch/peer.py.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=2g",
    "-Dorg.bytedeco.javacpp.platform.extension=-onednn"}, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class FashionIterationBenchmark {

    private static final int BATCH_SIZE = 64;

    @Param({"32", "64"})
    public int width;

    @Param({"1"})
    public int threads;

    private WganTrainer trainer;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        INDArray pool = Nd4j.rand(DataType.FLOAT, 8L * BATCH_SIZE, 1, 28, 28).muli(2).subi(1);
        trainer = WganTrainer.builder()
                .generator(MultiLayerGenerator.of(FashionModels.generator(1, FashionModels.LATENT_SIZE, width,
                        Optimizers.wganGp())))
                .critic(MultiLayerCritic.of(FashionModels.critic(2, width, Optimizers.wganGp())))
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.gradientPenalty(10.0))
                .criticStepsPerGeneratorStep(5)
                .latentSampler(LatentSamplers.gaussian(FashionModels.LATENT_SIZE))
                .realSamples((batch, random) -> {
                    long from = (long) random.nextInt(8) * batch;
                    return pool.get(NDArrayIndex.interval(from, from + batch), NDArrayIndex.all(),
                            NDArrayIndex.all(), NDArrayIndex.all());
                })
                .batchSize(BATCH_SIZE)
                .seed(1)
                .build();
    }

    @Benchmark
    public Object iteration() {
        return trainer.step();
    }
}
