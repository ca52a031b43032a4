package org.wgan.core.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerTeamTest {

    @Test
    void runsEveryPartExactlyOnceOverManyJobs() {
        for (int job = 0; job < 2000; job++) {
            int parts = 1 + job % 7;
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            WorkerTeam.run(parts, runs::incrementAndGet);
            for (int p = 0; p < parts; p++) {
                assertThat(runs.get(p)).as("job %d part %d", job, p).isEqualTo(1);
            }
        }
    }

    @Test
    void sharesPartsWithAHelperWhenThereIsOne() {
        ConcurrentHashMap<String, Boolean> threads = new ConcurrentHashMap<>();
        for (int job = 0; job < 200 && threads.size() < WorkerTeam.threads(); job++) {
            WorkerTeam.run(64, p -> {
                threads.put(Thread.currentThread().getName(), true);
                busy(20_000);
            });
        }
        assertThat(WorkerTeam.threads()).as("surefire's -Dwgan.workerThreads").isGreaterThan(1);
        assertThat(threads.size()).isBetween(2, WorkerTeam.threads());
        assertThat(threads.keySet()).allMatch(name -> name.equals(Thread.currentThread().getName())
                || name.startsWith("wgan-worker-"));
    }

    @Test
    void rethrowsAPartsFailureAfterTheOtherPartsRan() {
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        assertThatThrownBy(() -> WorkerTeam.run(8, p -> {
            runs.incrementAndGet(p);
            if (p == 3) {
                throw new IllegalStateException("part 3 failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("part 3 failed");
        for (int p = 0; p < 8; p++) {
            assertThat(runs.get(p)).isEqualTo(1);
        }
        // the team still runs jobs afterwards
        AtomicIntegerArray again = new AtomicIntegerArray(4);
        WorkerTeam.run(4, again::incrementAndGet);
        assertThat(again.toString()).isEqualTo("[1, 1, 1, 1]");
    }

    @Test
    void aJobInsideAPartAndJobsFromTwoThreadsAllComplete() throws InterruptedException {
        AtomicIntegerArray inner = new AtomicIntegerArray(16);
        WorkerTeam.run(4, p -> WorkerTeam.run(4, q -> inner.incrementAndGet(4 * p + q)));
        for (int i = 0; i < 16; i++) {
            assertThat(inner.get(i)).isEqualTo(1);
        }
        AtomicIntegerArray counts = new AtomicIntegerArray(2);
        Thread[] callers = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int caller = t;
            callers[t] = new Thread(() -> {
                for (int job = 0; job < 500; job++) {
                    WorkerTeam.run(3, p -> counts.incrementAndGet(caller));
                }
            });
            callers[t].start();
        }
        for (Thread caller : callers) {
            caller.join(30_000);
        }
        assertThat(counts.toString()).isEqualTo("[1500, 1500]");
    }

    @Test
    void rejectsANegativePartCount() {
        assertThatThrownBy(() -> WorkerTeam.run(-1, p -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parts must be >= 0, but was -1");
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
