package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionChecksTest {

    @Test
    void acceptedValuesAreReturned() {
        assertThat(OptionChecks.atLeast("--steps", 1L, 1)).isEqualTo(1L);
        assertThat(OptionChecks.atLeast("--width", 8, 1)).isEqualTo(8);
        assertThat(OptionChecks.nonNegative("--penalty-weight", 0.0)).isZero();
        assertThat(OptionChecks.positive("--clip-value", 0.01)).isEqualTo(0.01);
        assertThat(OptionChecks.fraction("--ema-decay", 0.999)).isEqualTo(0.999);
        assertThat(OptionChecks.between("--steps", 1_000_000, 1, 1_000_000)).isEqualTo(1_000_000);
    }

    @Test
    void rejectionsNameTheOptionTheRuleAndTheValue() {
        assertThatThrownBy(() -> OptionChecks.atLeast("--eval-every", -1L, 0))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("--eval-every must be >= 0, but was -1");
        assertThatThrownBy(() -> OptionChecks.atLeast("--width", 0, 1)).hasMessage("--width must be >= 1, but was 0");
        assertThatThrownBy(() -> OptionChecks.nonNegative("--penalty-weight", -0.5))
                .hasMessage("--penalty-weight must be finite and >= 0, but was -0.5");
        assertThatThrownBy(() -> OptionChecks.positive("--learning-rate", 0))
                .hasMessage("--learning-rate must be finite and > 0, but was 0.0");
        assertThatThrownBy(() -> OptionChecks.fraction("--ema-decay", 1))
                .hasMessage("--ema-decay must be in [0, 1), but was 1.0");
        assertThatThrownBy(() -> OptionChecks.between("--sweep-points", 0, 1, 1_000_000))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("--sweep-points must be in [1, 1000000], but was 0");
        assertThatThrownBy(() -> OptionChecks.between("--steps", 3_000_000_000L, 1, 1_000_000))
                .hasMessage("--steps must be in [1, 1000000], but was 3000000000");
    }

    @Test
    void rejectsNaNAndInfinity() {
        assertThatThrownBy(() -> OptionChecks.nonNegative("--penalty-weight", Double.NaN))
                .hasMessage("--penalty-weight must be finite and >= 0, but was NaN");
        assertThatThrownBy(() -> OptionChecks.nonNegative("--penalty-weight", Double.POSITIVE_INFINITY))
                .hasMessage("--penalty-weight must be finite and >= 0, but was Infinity");
        assertThatThrownBy(() -> OptionChecks.positive("--clip-value", Double.NaN))
                .hasMessage("--clip-value must be finite and > 0, but was NaN");
        assertThatThrownBy(() -> OptionChecks.fraction("--ema-decay", Double.NaN))
                .hasMessage("--ema-decay must be in [0, 1), but was NaN");
    }

    @Test
    void anInvalidOptionIsAnIllegalArgument() {
        assertThat(new InvalidOptionException("--steps must be >= 1, but was 0"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
