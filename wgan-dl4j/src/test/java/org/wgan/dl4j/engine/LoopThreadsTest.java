package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engine's loop splitting covers every unit once, in contiguous ranges, and reports a range's failure. */
class LoopThreadsTest {

    /** units, fewest units a range is given, threads asked for. */
    @ParameterizedTest
    @CsvSource({"0, 1, 4", "1, 1, 4", "7, 1, 4", "1000, 16, 4", "1000, 600, 4", "100003, 1, 3", "50, 10, 1"})
    void everyUnitRunsOnceInRangesOfAtLeastTheMinimum(int units, int minimum, int threads) {
        int[] runs = new int[units];
        AtomicInteger ranges = new AtomicInteger();
        Set<String> names = ConcurrentHashMap.newKeySet();
        LoopThreads.split(units, minimum, threads, (from, to) -> {
            ranges.incrementAndGet();
            names.add(Thread.currentThread().getName());
            if (units > 0) {
                assertThat(to - from).isGreaterThanOrEqualTo(Math.min(minimum, units));
            }
            for (int i = from; i < to; i++) {
                runs[i]++;
            }
        });

        for (int i = 0; i < units; i++) {
            assertThat(runs[i]).as("unit %d", i).isEqualTo(1);
        }
        int expected = Math.max(1, Math.min(Math.min(threads, LoopThreads.threads()), units / minimum));
        assertThat(ranges.get()).isEqualTo(expected);
        assertThat(names).contains(Thread.currentThread().getName());
    }

    @Test
    void theTestsRunTheLoopsOnSeveralThreads() {
        assertThat(LoopThreads.threads()).as("surefire's argLine sets wgan.loopThreads=3").isEqualTo(3);
    }

    @Test
    void aFailingRangeFailsTheCallAfterTheOthersFinish() {
        int units = 1000;
        int[] runs = new int[units];
        assertThatThrownBy(() -> LoopThreads.split(units, 1, 4, (from, to) -> {
            for (int i = from; i < to; i++) {
                runs[i]++;
            }
            if (to == units) {
                throw new IllegalStateException("the last range failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("the last range failed");
        // every range ran to its end before the call returned
        for (int i = 0; i < units; i++) {
            assertThat(runs[i]).isEqualTo(1);
        }
    }

    @Test
    void rejectsNegativeUnitsAndAMinimumBelowOne() {
        assertThatThrownBy(() -> LoopThreads.split(-1, 1, (from, to) -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("units must be >= 0 and minimumUnits >= 1, but were -1 and 1");
        assertThatThrownBy(() -> LoopThreads.split(5, 0, (from, to) -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("units must be >= 0 and minimumUnits >= 1, but were 5 and 0");
    }
}
