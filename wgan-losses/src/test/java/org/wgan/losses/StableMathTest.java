package org.wgan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The overflow-free logistic functions behind the cross-entropy objectives. */
class StableMathTest {

    @Test
    void softplusMatchesTheNaiveFormForModerateArguments() {
        for (double x = -12; x <= 12; x += 0.75) {
            assertThat(StableMath.softplus(x)).as("softplus(%s)", x)
                    .isCloseTo(Math.log(1 + Math.exp(x)), within(1e-13));
        }
        // log(1 + e^0) = ln 2
        assertThat(StableMath.softplus(0)).isCloseTo(0.6931471805599453, within(1e-16));
    }

    @Test
    void softplusDoesNotOverflowOrUnderflowAtExtremes() {
        // log(1 + e^1000) = 1000 + log(1 + e^-1000) = 1000; the naive form gives infinity
        assertThat(StableMath.softplus(1000)).isEqualTo(1000.0);
        assertThat(StableMath.softplus(-1000)).isEqualTo(0.0);
        assertThat(Math.log(1 + Math.exp(1000))).isInfinite();
    }

    @Test
    void softplusKeepsRelativePrecisionForLargeNegativeArguments() {
        // log(1 + y) = y - y^2 / 2 + y^3 / 3 - ... with y = e^-30 = 9.36e-14, so two terms give double precision;
        // the naive log(1 + e^-30) is off in the fourth digit from the rounding of 1 + e^-30
        double y = Math.exp(-30);
        double exact = y - y * y / 2;
        assertThat(StableMath.softplus(-30)).isCloseTo(exact, within(1e-15 * exact));
        assertThat(Math.abs(Math.log(1 + y) - exact)).isGreaterThan(1e-5 * exact);
    }

    @Test
    void softplusSatisfiesItsReflectionIdentity() {
        // softplus(x) - softplus(-x) = x
        for (double x : new double[] {-700, -35.5, -1, 0.25, 3, 88, 700}) {
            assertThat(StableMath.softplus(x) - StableMath.softplus(-x))
                    .isCloseTo(x, within(1e-12 * Math.max(1, Math.abs(x))));
        }
    }

    @Test
    void sigmoidIsFiniteAndSymmetricEverywhere() {
        assertThat(StableMath.sigmoid(0)).isEqualTo(0.5);
        assertThat(StableMath.sigmoid(1000)).isEqualTo(1.0);
        assertThat(StableMath.sigmoid(-1000)).isEqualTo(0.0);
        // 1 / (1 + 3) and 3 / (3 + 1)
        assertThat(StableMath.sigmoid(-Math.log(3))).isCloseTo(0.25, within(1e-16));
        assertThat(StableMath.sigmoid(Math.log(3))).isCloseTo(0.75, within(1e-16));
        for (double x = -40; x <= 40; x += 2.5) {
            assertThat(StableMath.sigmoid(x) + StableMath.sigmoid(-x)).as("x = %s", x).isCloseTo(1.0, within(1e-15));
        }
    }

    @Test
    void sigmoidIsTheDerivativeOfSoftplus() {
        double h = 1e-5;
        for (double x = -8; x <= 8; x += 0.5) {
            double difference = (StableMath.softplus(x + h) - StableMath.softplus(x - h)) / (2 * h);
            assertThat(StableMath.sigmoid(x)).as("x = %s", x).isCloseTo(difference, within(1e-9));
        }
    }
}
