package org.wgan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.losses.Scores.column;
import static org.wgan.losses.Scores.values;

import org.junit.jupiter.api.Test;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;
import org.wgan.core.objective.Objective;

/** Literal golden values of {@link Objectives#minimax()} and the saturation of its generator. */
class MinimaxObjectiveTest {

    private static final double LN3 = Math.log(3);

    private final Objective minimax = Objectives.minimax();

    @Test
    void criticLossOnLogitsZeroAndLogThree() {
        // real s = (0, ln 3): softplus(-0) = ln 2, softplus(-ln 3) = ln(1 + 1/3) = ln(4/3)
        // fake s~ = (0, -ln 3): softplus(0) = ln 2, softplus(-ln 3) = ln(4/3)
        // L_D = (ln 2 + ln 4/3) / 2 + (ln 2 + ln 4/3) / 2 = ln(8/3) = 2.0794415417 - 1.0986122887 = 0.9808292530
        CriticLoss loss = minimax.criticLoss(column(0, LN3), column(0, -LN3));

        assertThat(loss.value()).isCloseTo(0.9808292530117262, within(1e-12));
    }

    @Test
    void criticGradientsAreSigmoidsOverBatch() {
        CriticLoss loss = minimax.criticLoss(column(0, LN3), column(0, -LN3));

        // real: -sigmoid(-s) / 2 = (-1/2, -1/(1+3)) / 2 = (-0.25, -0.125)
        assertThat(values(loss.realGradient())[0]).isCloseTo(-0.25, within(1e-15));
        assertThat(values(loss.realGradient())[1]).isCloseTo(-0.125, within(1e-15));
        // fake: sigmoid(s~) / 2 = (1/2, 1/(1+3)) / 2 = (0.25, 0.125)
        assertThat(values(loss.fakeGradient())[0]).isCloseTo(0.25, within(1e-15));
        assertThat(values(loss.fakeGradient())[1]).isCloseTo(0.125, within(1e-15));
    }

    @Test
    void generatorLossIsMinusMeanSoftplusOfFakeLogits() {
        // L_G = mean log(1 - sigmoid(s~)) = -(ln 2 + ln 4/3) / 2 = -ln(8/3) / 2 = -0.4904146265
        GeneratorLoss loss = minimax.generatorLoss(column(0, -LN3));

        assertThat(loss.value()).isCloseTo(-0.4904146265058631, within(1e-12));
        // -sigmoid(s~) / 2 = (-1/2, -1/4) / 2
        assertThat(values(loss.fakeGradient())[0]).isCloseTo(-0.25, within(1e-15));
        assertThat(values(loss.fakeGradient())[1]).isCloseTo(-0.125, within(1e-15));
    }

    @Test
    void generatorSaturatesWhenTheDiscriminatorRejectsFakesConfidently() {
        double[] confidentlyRejected = {-20, -20};

        double[] saturating = values(minimax.generatorLoss(column(confidentlyRejected)).fakeGradient());
        double[] nonSaturating = values(Objectives.nonSaturating().generatorLoss(column(confidentlyRejected))
                .fakeGradient());

        // minimax: -sigmoid(-20) / 2 = -1.03e-9; non-saturating: -sigmoid(20) / 2 = -0.49999999898
        for (int i = 0; i < 2; i++) {
            assertThat(saturating[i]).isNegative().isGreaterThan(-1e-8);
            assertThat(nonSaturating[i]).isCloseTo(-0.5, within(1e-8));
            assertThat(Math.abs(saturating[i])).isLessThan(1e-7 * Math.abs(nonSaturating[i]));
        }
    }

    @Test
    void extremeLogitsGiveExactStableValues() {
        // real (1000, -1000): softplus(-1000) = 0, softplus(1000) = 1000 -> mean 500
        // fake (-1000, 1000): softplus(-1000) = 0, softplus(1000) = 1000 -> mean 500
        CriticLoss loss = minimax.criticLoss(column(1000, -1000), column(-1000, 1000));

        assertThat(loss.value()).isCloseTo(1000.0, within(1e-9));
        // -sigmoid(-s) / 2 = (-0, -1/2); sigmoid(s~) / 2 = (0, 1/2)
        assertThat(values(loss.realGradient())).containsExactly(-0.0, -0.5);
        assertThat(values(loss.fakeGradient())).containsExactly(0.0, 0.5);
        assertThat(minimax.generatorLoss(column(1000)).value()).isCloseTo(-1000.0, within(1e-9));
    }
}
