package org.wgan.benchmarks;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.training.WganTrainer;
import org.wgan.examples.fashion.FashionModels;

/**
 * Per-step memory growth of a recipe ({@link Recipes}: {@code toy}, the toy GP recipe at batch 256, or
 * {@code fashion}, the Fashion-MNIST WGAN-GP example at width 32): the process's resident memory and Java heap in
 * use after a full GC, every {@code every} iterations. A flat series means no per-step growth, heap or off-heap.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.wgan.benchmarks.MemoryProbe [toy|fashion] [iterations]
 * [every]} (without {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes}, so that growth shows).
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        String recipe = args.length > 0 ? args[0] : "toy";
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        WganTrainer trainer = switch (recipe) {
            case "toy" -> Recipes.toyWganGp(256);
            case "fashion" -> Recipes.fashionWganGp(FashionModels.DEFAULT_WIDTH);
            default -> throw new IllegalArgumentException("recipe must be toy or fashion, but was " + recipe);
        };
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
