package org.wgan.examples.toy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.wgan.core.training.CriticSchedule;
import org.wgan.examples.support.CommonOptions;
import org.wgan.examples.support.EmaDecayOption;
import org.wgan.examples.support.EvalEveryOption;
import org.wgan.examples.support.Launcher;
import org.wgan.examples.support.PenaltyWeightOption;
import org.wgan.examples.support.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The WGAN-GP authors' toy recipe ({@link ToyTraining}): batch 256, 5 critic steps, Adam(1e-4, 0.5, 0.9) and penalty
 * weight 0.1 (their toy setting; {@code --penalty-weight 10} for the paper's), or weight clipping for comparison, on
 * 8 Gaussians, 25 Gaussians or the Swiss roll. Every {@code --eval-every} iterations it prints the figures and writes
 * the samples as CSV and the critic's value surface as PNG.
 */
@Command(name = "toy-gan", mixinStandardHelpOptions = true,
        description = "WGAN-GP (or weight clipping) on 8 Gaussians, 25 Gaussians or the Swiss roll.")
public final class ToyGan implements Callable<Integer> {

    @Option(names = "--dataset", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private ToyTraining.Dataset dataset = ToyTraining.Dataset.EIGHT_GAUSSIANS;

    @Option(names = "--constraint", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private ToyTraining.Constraint constraint = ToyTraining.Constraint.GRADIENT_PENALTY;

    @Mixin
    private final PenaltyWeightOption penaltyWeight = new PenaltyWeightOption(0.1);

    @Mixin
    private final TrainingOptions training = new TrainingOptions(9_000, CriticSchedule.DEFAULT_CRITIC_STEPS, 256);

    @Mixin
    private final EvalEveryOption evalEvery = new EvalEveryOption();

    @Mixin
    private final EmaDecayOption emaDecay = new EmaDecayOption();

    @Mixin
    private final CommonOptions common = new CommonOptions();

    /** Runs the example; exit code 2 for a rejected command line. */
    public static void main(String[] args) {
        Launcher.exit(ToyGan::new, args);
    }

    @Override
    public Integer call() throws IOException {
        ToyTraining.Settings settings = settings();
        common.writableFolder(); // now, not at the first evaluation
        common.applyThreads();
        List<ToyTraining.Evaluation> evaluations = new ToyTraining(settings)
                .train(training.progress(dataset.name(), 100));
        System.out.printf("%d evaluations; CSVs and value surfaces in %s%n", evaluations.size(),
                settings.output().toAbsolutePath());
        return 0;
    }

    /**
     * The parsed options as the training's settings.
     *
     * @throws org.wgan.examples.support.InvalidOptionException naming the first option with a value it rejects
     */
    ToyTraining.Settings settings() {
        return new ToyTraining.Settings(dataset, constraint, penaltyWeight.penaltyWeight(), training.steps(),
                training.criticSteps(), training.batchSize(), evalEvery.evalEvery(), emaDecay.emaDecay(),
                common.seed(), common.folder());
    }
}
