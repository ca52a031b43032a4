package org.wgan.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CriticScheduleTest {

    @Test
    void constantScheduleGivesTheSameStepsEverywhere() {
        CriticSchedule schedule = CriticSchedule.constant(5);

        assertThat(LongStream.of(0, 1, 24, 25, 500, 1000).map(schedule::criticStepsAt).toArray()).containsOnly(5L);
        assertThat(schedule.hasWarmUp()).isFalse();
    }

    @Test
    void paperWarmUpGivesHundredStepsBelowTwentyFiveAndAtMultiplesOfFiveHundred() {
        CriticSchedule schedule = CriticSchedule.withPaperWarmUp(5);

        assertThat(schedule.criticStepsAt(0)).isEqualTo(100);
        assertThat(schedule.criticStepsAt(24)).isEqualTo(100);
        assertThat(schedule.criticStepsAt(25)).isEqualTo(5);
        assertThat(schedule.criticStepsAt(499)).isEqualTo(5);
        assertThat(schedule.criticStepsAt(500)).isEqualTo(100);
        assertThat(schedule.criticStepsAt(501)).isEqualTo(5);
        assertThat(schedule.criticStepsAt(1000)).isEqualTo(100);
        // the first 1,001 generator steps: 25 + 2 warm-up steps
        long total = LongStream.rangeClosed(0, 1000).map(schedule::criticStepsAt).sum();
        assertThat(total).isEqualTo(27 * 100 + (1001 - 27) * 5);
    }
}
