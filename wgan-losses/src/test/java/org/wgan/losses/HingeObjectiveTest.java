package org.wgan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.losses.Scores.column;
import static org.wgan.losses.Scores.values;

import org.junit.jupiter.api.Test;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;
import org.wgan.core.objective.Objective;

/** Literal golden values of {@link Objectives#hinge()}, including its kinks. */
class HingeObjectiveTest {

    private static final double THIRD = 1.0 / 3;

    private final Objective hinge = Objectives.hinge();

    @Test
    void criticLossSumsBothHinges() {
        // real (0.5, 2, -1.5): max(0, 1 - s) = (0.5, 0, 2.5) -> mean 3 / 3 = 1
        // fake (-2, 0.25, 3): max(0, 1 + s~) = (0, 1.25, 4) -> mean 5.25 / 3 = 1.75
        // L_C = 2.75
        CriticLoss loss = hinge.criticLoss(column(0.5, 2, -1.5), column(-2, 0.25, 3));

        assertThat(loss.value()).isCloseTo(2.75, within(1e-15));
        // -1/3 where s < 1, else 0; +1/3 where s~ > -1, else 0
        assertThat(values(loss.realGradient())).containsExactly(-THIRD, 0.0, -THIRD);
        assertThat(values(loss.fakeGradient())).containsExactly(0.0, THIRD, THIRD);
    }

    @Test
    void generatorLossIsMinusMeanFake() {
        // -(-2 + 0.25 + 3) / 3 = -1.25 / 3 = -0.41666...
        GeneratorLoss loss = hinge.generatorLoss(column(-2, 0.25, 3));

        assertThat(loss.value()).isCloseTo(-0.4166666666666667, within(1e-15));
        assertThat(values(loss.fakeGradient())).containsExactly(-THIRD, -THIRD, -THIRD);
    }

    @Test
    void criticLossAndGradientsVanishOnceTheMarginIsMet() {
        CriticLoss loss = hinge.criticLoss(column(1.5, 40), column(-1.5, -40));

        assertThat(loss.value()).isZero();
        assertThat(values(loss.realGradient())).containsOnly(0.0);
        assertThat(values(loss.fakeGradient())).containsOnly(0.0);
    }

    @Test
    void derivativeTakenAtTheKinksIsZero() {
        // the documented subgradient choice at s = 1 (real) and s~ = -1 (fake)
        CriticLoss loss = hinge.criticLoss(column(1.0), column(-1.0));

        assertThat(loss.value()).isZero();
        assertThat(values(loss.realGradient())).containsExactly(0.0);
        assertThat(values(loss.fakeGradient())).containsExactly(0.0);
    }
}
