package org.wgan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.losses.Scores.column;
import static org.wgan.losses.Scores.values;

import org.junit.jupiter.api.Test;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;
import org.wgan.core.objective.Objective;

/** Literal golden values of {@link Objectives#leastSquares()} (targets a = 0, b = 1, c = 1). */
class LeastSquaresObjectiveTest {

    private final Objective leastSquares = Objectives.leastSquares();

    @Test
    void criticLossIsHalfMeanSquaredDistanceToTheTargets() {
        // real (1, 3): 1/2 mean((1-1)^2, (3-1)^2) = 1/2 * (0 + 4) / 2 = 1
        // fake (0, -2): 1/2 mean(0^2, (-2)^2) = 1/2 * (0 + 4) / 2 = 1
        // L_C = 2
        CriticLoss loss = leastSquares.criticLoss(column(1, 3), column(0, -2));

        assertThat(loss.value()).isCloseTo(2.0, within(1e-15));
        // (s - 1) / 2 = (0, 1); s~ / 2 = (0, -1)
        assertThat(values(loss.realGradient())).containsExactly(0.0, 1.0);
        assertThat(values(loss.fakeGradient())).containsExactly(0.0, -1.0);
    }

    @Test
    void generatorLossPullsFakeScoresToOne() {
        // fake (0, -2): 1/2 mean((0-1)^2, (-2-1)^2) = 1/2 * (1 + 9) / 2 = 2.5
        GeneratorLoss loss = leastSquares.generatorLoss(column(0, -2));

        assertThat(loss.value()).isCloseTo(2.5, within(1e-15));
        // (s~ - 1) / 2 = (-0.5, -1.5)
        assertThat(values(loss.fakeGradient())).containsExactly(-0.5, -1.5);
    }

    @Test
    void lossesAndGradientsVanishAtTheTargets() {
        CriticLoss critic = leastSquares.criticLoss(column(1, 1), column(0, 0));
        GeneratorLoss generator = leastSquares.generatorLoss(column(1, 1));

        assertThat(critic.value()).isZero();
        assertThat(values(critic.realGradient())).containsOnly(0.0);
        assertThat(values(critic.fakeGradient())).containsOnly(0.0);
        assertThat(generator.value()).isZero();
        assertThat(values(generator.fakeGradient())).containsOnly(0.0);
    }

    @Test
    void generatorGradientPushesFakeScoresAboveTheTargetBackDown() {
        // (3 - 1) / 1 = 2 > 0: descent lowers a fake score already above c = 1
        assertThat(values(leastSquares.generatorLoss(column(3)).fakeGradient())).containsExactly(2.0);
    }
}
