package org.wgan.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
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
import org.wgan.core.training.WganTrainer;

/**
 * One iteration of the Fashion-MNIST WGAN-GP example ({@link Recipes#fashionWganGp}: five gradient-penalised
 * critic steps and one generator step, batch 64) at width {@code width} on {@code threads} ND4J threads. The
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

    @Param({"32", "64"})
    public int width;

    @Param({"1"})
    public int threads;

    private WganTrainer trainer;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        trainer = Recipes.fashionWganGp(width);
    }

    @Benchmark
    public Object iteration() {
        return trainer.step();
    }
}
