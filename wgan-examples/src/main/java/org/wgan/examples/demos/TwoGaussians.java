package org.wgan.examples.demos;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.wgan.core.Critic;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.GaussianMixture;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.objective.Objective;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.Optimizers;
import org.wgan.examples.support.Charts;
import org.wgan.examples.support.CommonOptions;
import org.wgan.examples.support.Launcher;
import org.wgan.losses.Objectives;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Two 1-D Gaussians far apart (real N(0, 1), generated N(8, 1)): a GAN discriminator trained to optimum saturates,
 * {@code D(x) = sigmoid(s(x))} is 0 on the generated samples and its generator gradient vanishes, while a WGAN
 * critic trained to optimum stays close to linear between the two and gives the generator a gradient of about 1
 * everywhere (the picture of Arjovsky et al. 2017, Figure 2).
 */
@Command(name = "two-gaussians", mixinStandardHelpOptions = true,
        description = "Optimal discriminator against optimal critic on two Gaussians; writes PNG plots.")
public final class TwoGaussians implements Callable<Integer> {

    /** Mean of the generated Gaussian. */
    static final double FAKE_MEAN = 8.0;
    /** Discriminator / critic updates: trained to (near) optimum against the fixed generator. */
    static final int TRAINING_STEPS = 1_000;

    @Mixin
    private final CommonOptions common = new CommonOptions();

    /** Runs the demo; exit code 2 for a rejected command line. */
    public static void main(String[] args) {
        Launcher.exit(TwoGaussians::new, args);
    }

    @Override
    public Integer call() throws Exception {
        Path folder = common.writableFolder();
        common.applyThreads();
        Result result = run(common.seed());
        System.out.printf("mean |d L_G / d x| on generated samples: discriminator (minimax) %.3e, critic"
                + " (Wasserstein) %.3e, ratio %.1e%n", result.discriminatorGradient(), result.criticGradient(),
                result.discriminatorGradient() / result.criticGradient());
        new Charts("Two Gaussians: optimal discriminator against optimal critic", "x", "output")
                .line("D(x) = sigmoid(s(x)), discriminator", result.grid(), result.discriminatorOutput())
                .line("f(x), WGAN critic", result.grid(), result.criticOutput())
                .write(folder.resolve("outputs.png"));
        new Charts("Two Gaussians: gradient each gives the generator", "x", "|d L_G / d x|")
                .line("discriminator (minimax)", result.grid(), result.discriminatorGradientCurve())
                .line("critic (Wasserstein)", result.grid(), result.criticGradientCurve())
                .logY()
                .write(folder.resolve("gradients.png"));
        System.out.println("plots: " + folder.toAbsolutePath());
        return 0;
    }

    /**
     * Outputs and generator gradients over a grid, and the mean generator-gradient magnitude on 2,500 generated
     * samples, for both networks.
     */
    record Result(double[] grid, double[] discriminatorOutput, double[] criticOutput,
            double[] discriminatorGradientCurve, double[] criticGradientCurve, double discriminatorGradient,
            double criticGradient) {
    }

    static Result run(long seed) {
        MultiLayerCritic discriminator = trained(Objectives.minimax(), LipschitzConstraints.none(), seed);
        MultiLayerCritic critic = trained(Objectives.wasserstein(), LipschitzConstraints.gradientPenalty(), seed + 1);
        INDArray grid = Nd4j.linspace(org.nd4j.linalg.api.buffer.DataType.FLOAT, -4.0, 0.1, 161).reshape(161, 1);
        INDArray fake = fake().next(2_500, new java.util.Random(seed + 2));
        return new Result(grid.toDoubleVector(),
                Transforms.sigmoid(discriminator.score(grid), false).toDoubleVector(),
                critic.score(grid).toDoubleVector(),
                generatorGradient(discriminator, Objectives.minimax(), grid).toDoubleVector(),
                generatorGradient(critic, Objectives.wasserstein(), grid).toDoubleVector(),
                generatorGradient(discriminator, Objectives.minimax(), fake).meanNumber().doubleValue(),
                generatorGradient(critic, Objectives.wasserstein(), fake).meanNumber().doubleValue());
    }

    static GaussianMixture real() {
        return new GaussianMixture("N(0, 1)", new double[][] {{0.0}}, 1.0);
    }

    static GaussianMixture fake() {
        return new GaussianMixture("N(8, 1)", new double[][] {{FAKE_MEAN}}, 1.0);
    }

    /** Trains a 1-64-64-1 network against the fixed generated Gaussian for {@value #TRAINING_STEPS} updates. */
    static MultiLayerCritic trained(Objective objective, LipschitzConstraint constraint, long seed) {
        MultiLayerCritic network = MultiLayerCritic.of(Mlp.builder().sizes(1, 64, 64, 1)
                .updater(Optimizers.adam(1e-3, 0.5, 0.9)).seed(seed).build());
        OffsetGenerator fixed = new OffsetGenerator(1, z -> z, new double[] {FAKE_MEAN}, new double[] {0}, 0.0);
        CriticFitting.fit(network, fixed, LatentSamplers.gaussian(1), real(), objective, constraint, TRAINING_STEPS,
                seed);
        return network;
    }

    /**
     * Per-sample {@code |d l_G(x) / d x|}, the gradient the objective's generator loss sends back through the
     * network at each point (the batch-mean factor undone).
     */
    static INDArray generatorGradient(Critic network, Objective objective, INDArray points) {
        INDArray scores = network.forward(points);
        INDArray perSample = objective.generatorLoss(scores).fakeGradient().mul(points.size(0));
        return Transforms.abs(network.backward(perSample), false).reshape(points.size(0));
    }
}
