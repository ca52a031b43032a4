package org.wgan.benchmarks;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.losses.Objectives;

/**
 * Per-step memory growth of the toy GP recipe (batch 256, 5 critic steps per iteration): the process's resident
 * memory and Java heap in use after a full GC, every {@code every} iterations. A flat series means no per-step
 * growth, heap or off-heap. Run: {@code java -cp benchmarks/target/benchmarks.jar org.wgan.benchmarks.MemoryProbe
 * [iterations] [every]}.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        WganTrainer trainer = WganTrainer.builder()
                .generator(MultiLayerGenerator.of(Mlp.builder().sizes(2, 512, 512, 512, 2).seed(1)
                        .updater(Optimizers.adam(1e-4, 0.5, 0.9)).build()))
                .critic(MultiLayerCritic.of(Mlp.builder().sizes(2, 512, 512, 512, 1).seed(2)
                        .updater(Optimizers.adam(1e-4, 0.5, 0.9)).build()))
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.gradientPenalty(0.1))
                .realSamples(ToyDatasets.eightGaussians())
                .batchSize(256)
                .build();
        System.out.println("iteration,rss_mb,heap_used_mb");
        for (int i = 1; i <= iterations; i++) {
            trainer.step();
            if (i % every == 0) {
                System.gc();
                Thread.sleep(200);
                Runtime runtime = Runtime.getRuntime();
                System.out.printf("%d,%.1f,%.1f%n", i, Pointer.physicalBytes() / 1048576.0,
                        (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0);
            }
        }
    }
}
