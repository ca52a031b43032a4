package org.wgan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.losses.Scores.column;
import static org.wgan.losses.Scores.list;
import static org.wgan.losses.Scores.values;

import org.junit.jupiter.api.Test;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;
import org.wgan.core.objective.Objective;

/** Literal golden values and sign conventions of {@link Objectives#wasserstein()}. */
class WassersteinObjectiveTest {

    private final Objective wasserstein = Objectives.wasserstein();

    @Test
    void criticLossIsMeanFakeMinusMeanReal() {
        // mean real = (-5.0 + 1.4 + 12.5 + 2.7) / 4 = 11.6 / 4 = 2.9
        // mean fake = (10.0 + 4.4 - 5.5 + 3.6) / 4 = 12.5 / 4 = 3.125
        // L_C = 3.125 - 2.9 = 0.225
        CriticLoss loss = wasserstein.criticLoss(column(-5.0, 1.4, 12.5, 2.7), column(10.0, 4.4, -5.5, 3.6));

        assertThat(loss.value()).isCloseTo(0.225, within(1e-12));
    }

    @Test
    void generatorLossIsMinusMeanFake() {
        // L_G = -(10.0 + 4.4 - 5.5 + 3.6) / 4 = -12.5 / 4 = -3.125
        GeneratorLoss loss = wasserstein.generatorLoss(column(10.0, 4.4, -5.5, 3.6));

        assertThat(loss.value()).isCloseTo(-3.125, within(1e-12));
    }

    @Test
    void criticGradientIsMinusOneOverBatchOnRealAndPlusOneOverBatchOnFake() {
        CriticLoss loss = wasserstein.criticLoss(column(-5.0, 1.4, 12.5, 2.7), column(10.0, 4.4, -5.5, 3.6));

        // d/ds_i (-mean s) = -1/4 whatever the scores; a flipped sign would make these +0.25
        assertThat(values(loss.realGradient())).containsExactly(-0.25, -0.25, -0.25, -0.25);
        assertThat(values(loss.fakeGradient())).containsExactly(0.25, 0.25, 0.25, 0.25);
    }

    @Test
    void generatorGradientIsMinusOneOverBatchSoDescentRaisesFakeScores() {
        GeneratorLoss loss = wasserstein.generatorLoss(column(10.0, 4.4, -5.5));

        assertThat(list(loss.fakeGradient())).allSatisfy(g -> assertThat(g).isCloseTo(-1.0 / 3, within(1e-15)));
    }

    @Test
    void criticLossOfASampleAgainstItselfIsZero() {
        CriticLoss loss = wasserstein.criticLoss(column(0.3, -2.0, 7.0), column(7.0, 0.3, -2.0));

        assertThat(loss.value()).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void criticLossIsUnboundedBelowWhichIsWhyItNeedsAConstraint() {
        // a critic free to scale its outputs drives L_C to minus infinity: 10x the scores, 10x the loss
        double small = wasserstein.criticLoss(column(1.0), column(-1.0)).value();
        double large = wasserstein.criticLoss(column(10.0), column(-10.0)).value();

        assertThat(small).isCloseTo(-2.0, within(1e-15));
        assertThat(large).isCloseTo(-20.0, within(1e-15));
        assertThat(wasserstein.requiresLipschitzConstraint()).isTrue();
    }

    @Test
    void extremeScoresGiveExactLinearValues() {
        // L_C = mean fake - mean real = mean(1000, 1000) - mean(1000, -1000) = 1000 - 0
        CriticLoss loss = wasserstein.criticLoss(column(1000, -1000), column(1000, 1000));

        assertThat(loss.value()).isEqualTo(1000.0);
        assertThat(values(loss.realGradient())).containsExactly(-0.5, -0.5);
    }
}
