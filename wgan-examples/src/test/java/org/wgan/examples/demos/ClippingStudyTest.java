package org.wgan.examples.demos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wgan.examples.support.CommandOutcome;

class ClippingStudyTest {

    private static double firstOverLast(double[] norms) {
        return norms[0] / norms[norms.length - 1];
    }

    @Test
    void smallClipValuesMakeTheDeepCriticsGradientsVanishButThePenaltyDoesNot() {
        Map<String, ClippingStudy.Result> results = ClippingStudy.run(100, 1);

        double[] tiny = results.get("weight clipping c = 0.001").finalNorms();
        double[] small = results.get("weight clipping c = 0.01").finalNorms();
        double[] penalty = results.get("gradient penalty 10").finalNorms();
        assertThat(penalty).hasSize(ClippingStudy.HIDDEN_LAYERS + 1);
        assertThat(firstOverLast(tiny)).as("c = 0.001, input-side norm over output-side norm").isLessThan(1e-6);
        assertThat(firstOverLast(small)).as("c = 0.01, input-side norm over output-side norm").isLessThan(1e-3);
        assertThat(firstOverLast(penalty)).as("gradient penalty, input side over output side").isBetween(0.1, 10.0);
        assertThat(penalty[0]).isGreaterThan(1e3 * small[0]);
        // the input layer's norm was measured every 25 critic steps; with c = 0.01 it stays vanishingly small
        ClippingStudy.Result clipped = results.get("weight clipping c = 0.01");
        assertThat(clipped.steps()).containsExactly(25, 50, 75, 100);
        assertThat(java.util.Arrays.stream(clipped.firstLayerOverTraining()).max().getAsDouble()).isLessThan(1e-9);
        assertThat(clipped.firstLayerOverTraining()[3]).isEqualTo(small[0]);
    }

    @Test
    void totalCriticUpdatesAreCalledCriticUpdatesAndValidated() {
        CommandOutcome.of(new ClippingStudy(), "--critic-updates", "0")
                .assertRejectedWith("--critic-updates must be >= 1, but was 0");
        assertThat(CommandOutcome.of(new ClippingStudy(), "--help").out().replaceAll("\\s+", " "))
                .contains("--critic-updates=<criticUpdates>")
                .contains("critic updates in total per setting (default: 500)").doesNotContain("--critic-steps");
    }
}
