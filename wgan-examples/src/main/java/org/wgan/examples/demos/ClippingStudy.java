package org.wgan.examples.demos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wgan.core.Critic;
import org.wgan.core.ParameterBlock;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.SampleSource;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.Objective;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.Optimizers;
import org.wgan.examples.support.Charts;
import org.wgan.examples.support.CommonOptions;
import org.wgan.examples.support.Launcher;
import org.wgan.examples.support.OptionChecks;
import org.wgan.losses.Objectives;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the clip value shapes a deep critic's gradients (the observation of Gulrajani et al. 2017, Figure 1b): a
 * 12-hidden-layer ReLU critic is trained on the Swiss roll against fixed Gaussian noise with weight clipping at
 * c in {0.001, 0.01, 0.1}, and with the gradient penalty instead; then the norm of the critic loss's gradient
 * with respect to each layer's weights is measured. Small clip values make gradients vanish toward the input,
 * large ones make them explode; the penalty keeps them in one range.
 */
@Command(name = "clipping-study", mixinStandardHelpOptions = true,
        description = "Per-layer gradient norms of a deep critic under weight clipping and the gradient penalty.")
public final class ClippingStudy implements Callable<Integer> {

    /** Hidden layers of the deep critic. */
    static final int HIDDEN_LAYERS = 12;
    /** Where the log-scale plot draws a norm that underflowed to 0. */
    static final double PLOT_FLOOR = 1e-30;
    /** Width of each hidden layer. */
    static final int WIDTH = 64;

    @Option(names = "--critic-updates", description = "critic updates in total per setting (default:"
            + " ${DEFAULT-VALUE})")
    private int criticUpdates = 500;

    @Mixin
    private final CommonOptions common = new CommonOptions();

    /** Runs the demo; exit code 2 for a rejected command line. */
    public static void main(String[] args) {
        Launcher.exit(ClippingStudy::new, args);
    }

    @Override
    public Integer call() throws Exception {
        int updates = OptionChecks.atLeast("--critic-updates", criticUpdates, 1);
        Path folder = common.writableFolder();
        common.applyThreads();
        Map<String, Result> results = run(updates, common.seed());
        Map<String, double[]> norms = new LinkedHashMap<>();
        results.forEach((name, result) -> norms.put(name, result.finalNorms()));
        Charts chart = new Charts("Deep critic on the Swiss roll: gradient norm per layer after " + updates
                + " critic updates", "layer (1 = input side)", "||d L_C / d W_layer||").logY();
        double[] layers = new double[HIDDEN_LAYERS + 1];
        for (int k = 0; k < layers.length; k++) {
            layers[k] = k + 1;
        }
        for (Map.Entry<String, double[]> entry : norms.entrySet()) {
            // a norm that underflowed to 0 is drawn at the floor of the log axis
            chart.line(entry.getKey(), layers,
                    java.util.Arrays.stream(entry.getValue()).map(n -> Math.max(n, PLOT_FLOOR)).toArray());
            double[] n = entry.getValue();
            System.out.printf("%-22s first layer %.2e, last layer %.2e, first / last %.1e%n", entry.getKey(), n[0],
                    n[n.length - 1], n[0] / n[n.length - 1]);
        }
        chart.write(folder.resolve("gradient-norms.png"));
        Charts overTraining = new Charts("Deep critic on the Swiss roll: input-layer gradient norm over training",
                "critic step", "||d L_C / d W_1||").logY();
        results.forEach((name, result) -> overTraining.line(name, result.steps(),
                java.util.Arrays.stream(result.firstLayerOverTraining()).map(n -> Math.max(n, PLOT_FLOOR)).toArray()));
        overTraining.write(folder.resolve("gradient-norms-over-training.png"));
        System.out.println("plot: " + folder.toAbsolutePath());
        return 0;
    }

    /**
     * One setting's measurements.
     *
     * @param finalNorms             per-layer weight-gradient norms after training, input side first
     * @param steps                  the critic steps at which the input layer's norm was measured
     * @param firstLayerOverTraining the input layer's weight-gradient norm at those steps
     */
    record Result(double[] finalNorms, double[] steps, double[] firstLayerOverTraining) {
    }

    /** Measurements every {@value #MEASURE_EVERY} critic steps. */
    static final int MEASURE_EVERY = 25;

    /** Per-layer weight-gradient norms for each setting, during and after {@code criticUpdates} updates. */
    static Map<String, Result> run(int criticUpdates, long seed) {
        Map<String, Result> out = new LinkedHashMap<>();
        for (double clipValue : new double[] {0.001, 0.01, 0.1}) {
            out.put("weight clipping c = " + clipValue, normsAfterTraining(
                    LipschitzConstraints.weightClipping(clipValue), Optimizers.wgan(), criticUpdates, seed));
        }
        out.put("gradient penalty 10", normsAfterTraining(LipschitzConstraints.gradientPenalty(),
                Optimizers.adam(1e-4, 0.5, 0.9), criticUpdates, seed));
        return out;
    }

    static Result normsAfterTraining(LipschitzConstraint constraint, IUpdater updater, int criticUpdates,
            long seed) {
        int[] sizes = new int[HIDDEN_LAYERS + 2];
        sizes[0] = 2;
        for (int k = 1; k <= HIDDEN_LAYERS; k++) {
            sizes[k] = WIDTH;
        }
        sizes[HIDDEN_LAYERS + 1] = 1;
        MultiLayerCritic critic = MultiLayerCritic.of(Mlp.builder().sizes(sizes).updater(updater).seed(seed).build());
        OffsetGenerator noise = new OffsetGenerator(2, z -> z.mul(0.5), new double[] {0, 0}, new double[] {0, 0}, 0.0);
        SampleSource data = ToyDatasets.swissRoll();
        Objective objective = Objectives.wasserstein();
        Random random = new Random(seed + 1);
        INDArray real = data.next(1_024, random);
        INDArray fake = noise.generate(LatentSamplers.gaussian(2).sample(1_024, random));
        List<double[]> during = new ArrayList<>();
        TrainerListener probe = new TrainerListener() {
            @Override
            public void onCriticStep(CriticStepEvent event, StopHandle stop) {
                if (event.totalCriticUpdates() % MEASURE_EVERY == 0) {
                    during.add(new double[] {event.totalCriticUpdates(),
                            weightGradientNorms(critic, objective, real, fake)[0]});
                }
            }
        };
        CriticFitting.fit(critic, noise, LatentSamplers.gaussian(2), data, objective, constraint, criticUpdates,
                seed, probe);
        return new Result(weightGradientNorms(critic, objective, real, fake),
                during.stream().mapToDouble(p -> p[0]).toArray(), during.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** Norms of d L_C / d W for each weight block of the critic, input side first (objective only, no penalty). */
    static double[] weightGradientNorms(Critic critic, Objective objective, INDArray real, INDArray fake) {
        INDArray both = Nd4j.concat(0, real.castTo(critic.dataType()), fake.castTo(critic.dataType()));
        INDArray scores = critic.forward(both);
        long batch = real.size(0);
        CriticLoss loss = objective.criticLoss(scores.get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()),
                scores.get(NDArrayIndex.interval(batch, 2 * batch), NDArrayIndex.all()));
        critic.backward(Nd4j.concat(0, loss.realGradient(), loss.fakeGradient()));
        return critic.parameterBlocks().stream()
                .filter(block -> block.kind() == ParameterBlock.Kind.WEIGHT)
                .mapToDouble(block -> block.sliceOf(critic.gradient()).norm2Number().doubleValue())
                .toArray();
    }
}
