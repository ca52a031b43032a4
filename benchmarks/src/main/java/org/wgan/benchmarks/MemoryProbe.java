package org.wgan.benchmarks;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.models.ResNetSpec;
import org.wgan.examples.fashion.FashionModels;

/**
 * Per-step memory growth of a recipe ({@link Recipes}: {@code toy}, the toy GP recipe at batch 256, {@code fashion},
 * the Fashion-MNIST WGAN-GP example at width 32, {@code resnet}, the WGAN-GP paper's CIFAR-10 ResNet at width
 * {@code dim}, default {@value #DEFAULT_RESNET_DIM}, or {@code fashion-resnet}, the same networks at 28x28x1 as
 * {@code FashionGan --model RESNET} trains them, width {@code dim}): the process's resident memory and Java heap in
 * use after a full GC, every {@code every} iterations. A flat series means no per-step growth, heap or off-heap.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.wgan.benchmarks.MemoryProbe
 * [toy|fashion|resnet|fashion-resnet] [iterations] [every] [dim]} (without
 * {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes}, so that growth shows; for the image recipes with
 * {@code -Dorg.bytedeco.javacpp.platform.extension=-onednn}, the convolutions' build the benchmarks and examples run:
 * the ResNet's iteration takes tens of seconds even so).
 */
public final class MemoryProbe {

    /** The ResNet's default width: half the paper's DIM, a quarter of its convolutions' work. */
    static final int DEFAULT_RESNET_DIM = 64;

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        String recipe = args.length > 0 ? args[0] : "toy";
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int dim = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_RESNET_DIM;
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        WganTrainer trainer = switch (recipe) {
            case "toy" -> Recipes.toyWganGp(256);
            case "fashion" -> Recipes.fashionWganGp(FashionModels.DEFAULT_WIDTH);
            case "resnet" -> Recipes.resnetWganGp(dim);
            case "fashion-resnet" -> Recipes.resnetWganGp(ResNetSpec.fashionMnist().withWidth(dim));
            default -> throw new IllegalArgumentException(
                    "recipe must be toy, fashion, resnet or fashion-resnet, but was " + recipe);
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
