package org.wgan.examples.demos;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.SampleSource;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.objective.Objective;
import org.wgan.core.training.CriticSchedule;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.Optimizers;
import org.wgan.examples.support.Charts;
import org.wgan.examples.support.CommonOptions;
import org.wgan.examples.support.Launcher;
import org.wgan.examples.support.OptionChecks;
import org.wgan.examples.support.StepsOption;
import org.wgan.losses.Objectives;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The parallel lines of Arjovsky, Chintala and Bottou (2017, Example 1): real points {@code (0, z)}, generated
 * points {@code (theta, z)}, {@code z ~ U(0, 1)}. For {@code theta != 0} the supports are disjoint, so
 * {@code JS = log 2} whatever theta is (no gradient), while {@code W = |theta|} (a gradient pointing home).
 *
 * <p>Part 1 sweeps theta over [-1, 1]: JS, the exact W and the W estimate of a critic trained (gradient penalty)
 * for each theta. Part 2 trains theta from 1 with the Wasserstein objective and with the minimax (JS) objective
 * against a well-trained discriminator, and plots theta over the generator steps.
 */
@Command(name = "parallel-lines", mixinStandardHelpOptions = true,
        description = "JS against Wasserstein on the parallel-lines example; writes two PNG plots.")
public final class ParallelLines implements Callable<Integer> {

    /** Learning rate of theta (plain gradient descent). */
    static final double THETA_LEARNING_RATE = 0.01;
    /** Discriminator/critic updates before the first generator step: trained to (near) optimum. */
    static final int PRETRAINING_STEPS = 500;
    /** Most sweep points and generator steps: the demo keeps every point's and every step's figures in arrays. */
    static final int MAX_RECORDED = 1_000_000;

    @Option(names = "--sweep-points", description = "theta values in [-1, 1], at most " + MAX_RECORDED
            + " (default: ${DEFAULT-VALUE})")
    private int sweepPoints = 21;

    /** Generator steps of part 2, from theta = 1; at most {@value #MAX_RECORDED}. */
    @Mixin
    private final StepsOption steps = new StepsOption(200);

    @Mixin
    private final CommonOptions common = new CommonOptions();

    /** Runs the demo; exit code 2 for a rejected command line. */
    public static void main(String[] args) {
        Launcher.exit(ParallelLines::new, args);
    }

    @Override
    public Integer call() throws Exception {
        int points = (int) OptionChecks.between("--sweep-points", sweepPoints, 1, MAX_RECORDED);
        int generatorSteps = (int) OptionChecks.between("--steps", steps.steps(), 1, MAX_RECORDED);
        Path folder = common.writableFolder();
        common.applyThreads();
        Sweep sweep = sweep(points, common.seed());
        System.out.println("theta      JS      W exact  W critic");
        for (int i = 0; i < sweep.thetas().length; i++) {
            System.out.printf("%6.2f  %7.4f  %7.4f  %7.4f%n", sweep.thetas()[i], sweep.js()[i], sweep.exactW()[i],
                    sweep.criticW()[i]);
        }
        new Charts("Parallel lines: divergences against theta", "theta", "distance")
                .line("JS divergence", sweep.thetas(), sweep.js())
                .line("W (exact) = |theta|", sweep.thetas(), sweep.exactW())
                .line("W (critic estimate)", sweep.thetas(), sweep.criticW())
                .write(folder.resolve("distances.png"));

        Trajectory wasserstein = train(Objectives.wasserstein(), LipschitzConstraints.gradientPenalty(),
                generatorSteps, common.seed());
        Trajectory minimax = train(Objectives.minimax(), LipschitzConstraints.none(), generatorSteps, common.seed());
        System.out.printf("theta after %d generator steps: Wasserstein %.4f, minimax (JS) %.4f%n", generatorSteps,
                wasserstein.finalTheta(), minimax.finalTheta());
        System.out.printf("|d loss / d theta| at the first generator step: Wasserstein %.3e, minimax (JS) %.3e%n",
                Math.abs(wasserstein.gradients()[0]), Math.abs(minimax.gradients()[0]));
        new Charts("Parallel lines: theta while training from theta = 1", "generator step", "theta")
                .line("Wasserstein (gradient penalty)", wasserstein.steps(), wasserstein.thetas())
                .line("minimax / JS (trained discriminator)", minimax.steps(), minimax.thetas())
                .write(folder.resolve("theta.png"));
        System.out.println("plots: " + folder.toAbsolutePath());
        return 0;
    }

    /** The real line {@code (0, z)}, z ~ U(0, 1). */
    static SampleSource realLine() {
        return (batchSize, random) -> {
            double[][] points = new double[batchSize][];
            for (int i = 0; i < batchSize; i++) {
                points[i] = new double[] {0, random.nextDouble()};
            }
            return Nd4j.create(points);
        };
    }

    /** The generated line {@code (theta, z)}: latent U[-1, 1) mapped to U[0, 1); only theta learns. */
    static OffsetGenerator lineGenerator(double theta, double learningRate) {
        return new OffsetGenerator(1, z -> Nd4j.hstack(Nd4j.zerosLike(z), z.add(1.0).divi(2.0)),
                new double[] {theta, 0}, new double[] {1, 0}, learningRate);
    }

    static MultiLayerCritic critic(long seed) {
        return MultiLayerCritic.of(Mlp.builder().sizes(2, 64, 64, 1).updater(Optimizers.adam(1e-3, 0.5, 0.9))
                .seed(seed).build());
    }

    /** JS, exact W and a critic's W estimate per theta. */
    record Sweep(double[] thetas, double[] js, double[] exactW, double[] criticW) {
    }

    static Sweep sweep(int points, long seed) {
        double[] thetas = new double[points];
        double[] js = new double[points];
        double[] exact = new double[points];
        double[] estimate = new double[points];
        for (int i = 0; i < points; i++) {
            double theta = points == 1 ? 0 : -1 + 2.0 * i / (points - 1);
            thetas[i] = theta;
            js[i] = Math.abs(theta) < 1e-12 ? 0 : Math.log(2);
            exact[i] = Math.abs(theta);
            estimate[i] = criticEstimate(theta, seed + i);
        }
        return new Sweep(thetas, js, exact, estimate);
    }

    /** Trains a gradient-penalty critic between the lines at 0 and theta; its {@code mean f(real) - mean f(fake)}. */
    static double criticEstimate(double theta, long seed) {
        OffsetGenerator generator = lineGenerator(theta, 0.0);
        MultiLayerCritic critic = critic(seed);
        CriticFitting.fit(critic, generator, LatentSamplers.uniform(1), realLine(), Objectives.wasserstein(),
                LipschitzConstraints.gradientPenalty(), PRETRAINING_STEPS, seed);
        Random random = new Random(seed + 1_000);
        INDArray real = realLine().next(4_096, random);
        INDArray fake = generator.generate(LatentSamplers.uniform(1).sample(4_096, random));
        return CriticFitting.estimate(critic, real, fake);
    }

    /** Theta and its gradient after each generator step. */
    record Trajectory(double[] steps, double[] thetas, double[] gradients) {
        double finalTheta() {
            return thetas[thetas.length - 1];
        }
    }

    /**
     * Trains theta from 1: the critic (or discriminator) first gets {@value #PRETRAINING_STEPS} updates, then 5
     * per generator step.
     */
    static Trajectory train(Objective objective, LipschitzConstraint constraint, int generatorSteps, long seed) {
        OffsetGenerator generator = lineGenerator(1.0, THETA_LEARNING_RATE);
        double[] steps = new double[generatorSteps + 1];
        double[] thetas = new double[generatorSteps + 1];
        double[] gradients = new double[generatorSteps];
        thetas[0] = 1.0;
        TrainerListener recorder = new TrainerListener() {
            @Override
            public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                int g = (int) event.generatorStep();
                steps[g + 1] = g + 1;
                thetas[g + 1] = generator.offset()[0];
                gradients[g] = generator.gradient().getDouble(0);
            }
        };
        WganTrainer.builder()
                .generator(generator).critic(critic(seed))
                .objective(objective)
                .constraint(constraint)
                .latentSampler(LatentSamplers.uniform(1))
                .realSamples(realLine())
                .criticSchedule(new CriticSchedule(CriticSchedule.DEFAULT_CRITIC_STEPS, PRETRAINING_STEPS, 1, 0))
                .batchSize(CriticFitting.BATCH_SIZE)
                .seed(seed)
                .maxGeneratorSteps(generatorSteps)
                .listener(recorder)
                .build()
                .fit();
        return new Trajectory(steps, thetas, gradients);
    }
}
