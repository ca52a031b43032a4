package org.wgan.examples.demos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.examples.support.CommandOutcome;
import org.wgan.losses.Objectives;

class ParallelLinesTest {

    @Test
    void sweepGivesLogTwoForJsAndACriticEstimateNearAbsTheta() {
        ParallelLines.Sweep sweep = ParallelLines.sweep(3, 1);

        assertThat(sweep.thetas()).containsExactly(-1.0, 0.0, 1.0);
        assertThat(sweep.js()).containsExactly(new double[] {Math.log(2), 0.0, Math.log(2)}, within(1e-12));
        assertThat(sweep.exactW()).containsExactly(1.0, 0.0, 1.0);
        // a gradient-penalty critic slightly overshoots |theta| (its slope settles a little above 1)
        assertThat(sweep.criticW()[0]).isCloseTo(1.0, within(0.1));
        assertThat(sweep.criticW()[1]).isCloseTo(0.0, within(0.05));
        assertThat(sweep.criticW()[2]).isCloseTo(1.0, within(0.1));
    }

    @Test
    void rejectsOptionValuesNamingTheOptionBeforeTraining() {
        CommandOutcome.of(new ParallelLines(), "--steps", "0").assertRejectedWith("--steps must be >= 1, but was 0");
        CommandOutcome.of(new ParallelLines(), "--sweep-points", "0")
                .assertRejectedWith("--sweep-points must be in [1, 1000000], but was 0");
        assertThat(CommandOutcome.of(new ParallelLines(), "--help").out().replaceAll("\\s+", " "))
                .contains("generator steps (default: 200)")
                .doesNotContain("--generator-steps");
    }

    @Test
    void wassersteinDrivesThetaToZeroWhileTheJsGeneratorGetsNoGradient() {
        ParallelLines.Trajectory wasserstein = ParallelLines.train(Objectives.wasserstein(),
                LipschitzConstraints.gradientPenalty(), 200, 1);
        ParallelLines.Trajectory minimax = ParallelLines.train(Objectives.minimax(), LipschitzConstraints.none(),
                200, 1);

        assertThat(Math.abs(wasserstein.gradients()[0])).as("Wasserstein |dL/dtheta| at theta = 1").isGreaterThan(0.5);
        assertThat(Math.abs(wasserstein.finalTheta())).as("theta after 200 Wasserstein steps").isLessThan(0.05);
        assertThat(Math.abs(minimax.gradients()[0])).as("JS |dL/dtheta| with disjoint supports").isLessThan(1e-4);
        assertThat(minimax.finalTheta()).as("theta after 200 JS steps").isGreaterThan(0.99);
    }
}
