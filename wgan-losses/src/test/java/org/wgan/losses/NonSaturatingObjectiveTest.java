package org.wgan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.losses.Scores.column;
import static org.wgan.losses.Scores.values;

import org.junit.jupiter.api.Test;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;
import org.wgan.core.objective.Objective;

/** Literal golden values of {@link Objectives#nonSaturating()}. */
class NonSaturatingObjectiveTest {

    private static final double LN3 = Math.log(3);

    private final Objective nonSaturating = Objectives.nonSaturating();

    @Test
    void criticLossIsTheMinimaxDiscriminatorLoss() {
        // same discriminator as minimax: ln(8/3) = 0.9808292530 on real (0, ln 3), fake (0, -ln 3)
        CriticLoss loss = nonSaturating.criticLoss(column(0, LN3), column(0, -LN3));

        assertThat(loss.value()).isCloseTo(0.9808292530117262, within(1e-12));
        double[] real = {-5.0, 1.4, 12.5, 2.7};
        double[] fake = {10.0, 4.4, -5.5, 3.6};
        CriticLoss minimax = Objectives.minimax().criticLoss(column(real), column(fake));
        CriticLoss ours = nonSaturating.criticLoss(column(real), column(fake));
        assertThat(ours.value()).isEqualTo(minimax.value());
        assertThat(values(ours.realGradient())).containsExactly(values(minimax.realGradient()));
        assertThat(values(ours.fakeGradient())).containsExactly(values(minimax.fakeGradient()));
    }

    @Test
    void generatorLossIsMeanSoftplusOfMinusFakeLogits() {
        // fake (0, -ln 3): softplus(-0) = ln 2, softplus(ln 3) = ln(1 + 3) = ln 4 = 2 ln 2
        // L_G = (ln 2 + 2 ln 2) / 2 = 1.5 ln 2 = 1.5 * 0.6931471806 = 1.0397207708
        GeneratorLoss loss = nonSaturating.generatorLoss(column(0, -LN3));

        assertThat(loss.value()).isCloseTo(1.0397207708399179, within(1e-12));
        // -sigmoid(-s~) / 2 = (-1/2, -3/4) / 2 = (-0.25, -0.375)
        assertThat(values(loss.fakeGradient())[0]).isCloseTo(-0.25, within(1e-15));
        assertThat(values(loss.fakeGradient())[1]).isCloseTo(-0.375, within(1e-15));
    }

    @Test
    void generatorGradientStaysStrongWhenFakesAreConfidentlyRejected() {
        // -sigmoid(1000) = -1 exactly in double; the loss softplus(1000) = 1000
        GeneratorLoss loss = nonSaturating.generatorLoss(column(-1000));

        assertThat(loss.value()).isCloseTo(1000.0, within(1e-9));
        assertThat(values(loss.fakeGradient())).containsExactly(-1.0);
    }

    @Test
    void generatorLossVanishesWhenFakesFoolTheDiscriminator() {
        // softplus(-1000) = log1p(e^-1000) = 0 in double; gradient -sigmoid(-1000) = -0
        GeneratorLoss loss = nonSaturating.generatorLoss(column(1000));

        assertThat(loss.value()).isEqualTo(0.0);
        assertThat(values(loss.fakeGradient())[0]).isCloseTo(0.0, within(1e-300));
    }
}
