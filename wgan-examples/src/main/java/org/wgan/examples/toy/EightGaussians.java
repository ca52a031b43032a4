package org.wgan.examples.toy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.wgan.core.training.CriticSchedule;
import org.wgan.dl4j.Optimizers;
import org.wgan.examples.support.CommonOptions;
import org.wgan.examples.support.EvalEveryOption;
import org.wgan.examples.support.Launcher;
import org.wgan.examples.support.OptionChecks;
import org.wgan.examples.support.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main example: a WGAN with weight clipping on the 8-Gaussians toy data ({@link EightGaussiansTraining}: 2-512x3
 * ReLU MLPs, RMSProp 5e-5, clip value 0.01, 5 critic steps per generator step). Prints a progress bar, the final
 * metrics (modes covered, good-sample share, sliced W1) and writes a PNG scatter of real against generated samples.
 */
@Command(name = "eight-gaussians", mixinStandardHelpOptions = true,
        description = "Trains a weight-clipped WGAN on 8 Gaussians and reports mode coverage.")
public final class EightGaussians implements Callable<Integer> {

    @Mixin
    private final TrainingOptions training = new TrainingOptions(10_000, CriticSchedule.DEFAULT_CRITIC_STEPS, 64);

    @Option(names = "--clip-value", description = "weight clipping bound (default: ${DEFAULT-VALUE})")
    private double clipValue = 0.01;

    @Option(names = "--learning-rate", description = "RMSProp learning rate of both networks"
            + " (default: ${DEFAULT-VALUE})")
    private double learningRate = Optimizers.WGAN_LEARNING_RATE;

    @Mixin
    private final EvalEveryOption evalEvery = new EvalEveryOption();

    @Mixin
    private final CommonOptions common = new CommonOptions();

    /** Runs the example; exit code 2 for a rejected command line. */
    public static void main(String[] args) {
        Launcher.exit(EightGaussians::new, args);
    }

    @Override
    public Integer call() throws Exception {
        EightGaussiansTraining.Settings settings = settings();
        Path png = common.writableFolder().resolve("samples.png");
        common.applyThreads();
        EightGaussiansTraining.Result result = new EightGaussiansTraining(settings)
                .train(training.progress("WGAN", 100));
        System.out.printf("8 Gaussians, WGAN weight clipping, %d generator steps, seed %d: %s (%.1f s)%n",
                settings.steps(), settings.seed(), result.evaluation(), result.summary().seconds());
        ScatterPlot.write(png, "8 Gaussians: WGAN (weight clipping), " + settings.steps() + " generator steps",
                result.evaluation().real(), result.evaluation().generated());
        System.out.println("scatter plot: " + png.toAbsolutePath());
        return 0;
    }

    /**
     * The parsed options as the training's settings.
     *
     * @throws org.wgan.examples.support.InvalidOptionException naming the first option with a value it rejects
     */
    EightGaussiansTraining.Settings settings() {
        return new EightGaussiansTraining.Settings(training.steps(), training.criticSteps(), training.batchSize(),
                OptionChecks.positive("--clip-value", clipValue), OptionChecks.positive("--learning-rate",
                        learningRate), common.seed(), evalEvery.evalEvery());
    }
}
