package org.wgan.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksTest {

    @Test
    void atLeastNamesTheFieldTheRuleAndTheValue() {
        assertThat(Checks.atLeast("batchSize", 1, 1)).isEqualTo(1);
        assertThat(Checks.atLeast("steps", 7L, 0L)).isEqualTo(7L);
        assertThatThrownBy(() -> Checks.atLeast("batchSize", 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be >= 1, but was 0");
        assertThatThrownBy(() -> Checks.atLeast("warmUpUntil", -1L, 0L))
                .hasMessage("warmUpUntil must be >= 0, but was -1");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1e-4, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void positiveRejectsZeroNegativesNanAndInfinities(double value) {
        assertThatThrownBy(() -> Checks.positive("clipValue", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clipValue must be finite and > 0, but was " + value);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1e-300, Double.NaN, Double.POSITIVE_INFINITY})
    void nonNegativeRejectsNegativesNanAndInfinity(double value) {
        assertThatThrownBy(() -> Checks.nonNegative("gamma", value))
                .hasMessage("gamma must be finite and >= 0, but was " + value);
    }

    @Test
    void acceptedValuesComeBackUnchanged() {
        assertThat(Checks.positive("clipValue", 0.01)).isEqualTo(0.01);
        assertThat(Checks.nonNegative("gamma", 0.0)).isEqualTo(0.0);
        assertThat(Checks.finiteAtLeast("factor", 1.0, 1)).isEqualTo(1.0);
        assertThat(Checks.inHalfOpen("beta1", 0.0, 0, 1)).isEqualTo(0.0);
        assertThat(Checks.inHalfOpen("label", 9, 0, 10)).isEqualTo(9);
        assertThat(Checks.finite("x", -3.5)).isEqualTo(-3.5);
    }

    @Test
    void boundsAreWrittenAsPeopleWriteThem() {
        assertThatThrownBy(() -> Checks.finiteAtLeast("factor", 0.5, 1))
                .hasMessage("factor must be finite and >= 1, but was 0.5");
        assertThatThrownBy(() -> Checks.inHalfOpen("beta2", Double.NaN, 0, 1))
                .hasMessage("beta2 must be in [0, 1), but was NaN");
        assertThatThrownBy(() -> Checks.inHalfOpen("beta2", 1.0, 0, 1))
                .hasMessage("beta2 must be in [0, 1), but was 1.0");
        assertThatThrownBy(() -> Checks.inHalfOpen("p", 0.75, 0.25, 0.5))
                .hasMessage("p must be in [0.25, 0.5), but was 0.75");
        assertThatThrownBy(() -> Checks.inHalfOpen("predicted[3]", 10, 0, 10))
                .hasMessage("predicted[3] must be in [0, 10), but was 10");
        assertThatThrownBy(() -> Checks.finite("x", Double.NaN)).hasMessage("x must be finite, but was NaN");
        assertThatThrownBy(() -> Checks.inRange("--steps", 0L, 1, 1_000_000))
                .hasMessage("--steps must be in [1, 1000000], but was 0");
        assertThat(Checks.inRange("count", 2_147_483_647L, 0, Integer.MAX_VALUE)).isEqualTo(2_147_483_647L);
    }
}
