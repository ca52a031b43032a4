package org.wgan.examples.demos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TwoGaussiansTest {

    @Test
    void optimalDiscriminatorSaturatesWhileTheCriticKeepsAUsefulGradient() {
        TwoGaussians.Result result = TwoGaussians.run(1);

        int atZero = 40;   // grid from -4 in steps of 0.1
        int atEight = 120;
        assertThat(result.grid()[atZero]).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(result.grid()[atEight]).isEqualTo(8.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(result.discriminatorOutput()[atZero]).isGreaterThan(0.99);
        assertThat(result.discriminatorOutput()[atEight]).isLessThan(0.01);
        // the critic is close to linear between the modes, with a slope magnitude near 1 (1.4 with penalty 10)
        double slope = (result.criticOutput()[atEight] - result.criticOutput()[atZero]) / 8.0;
        assertThat(slope).isBetween(-2.0, -1.0);
        assertThat(result.criticGradient()).isBetween(1.0, 2.0);
        assertThat(result.discriminatorGradient() / result.criticGradient())
                .as("discriminator's generator gradient relative to the critic's").isLessThan(1e-3);
    }
}
