package org.wgan.core.simd;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The threads that share a training step's hot loops (the optimizer updates and clamps of {@link VectorSupport},
 * the engine's matrix products): the calling thread and {@code threads() - 1} daemon helpers.
 *
 * <p>A job of {@code parts} parts is posted to the helpers; the caller and every helper then claim parts one at a
 * time from a shared counter until none is left, and the call returns when all claimed parts are done. A part
 * no helper has claimed yet is run by the caller, so a helper that is slow to wake (another process on its core)
 * delays a step by at most the part it has already begun, never by a part it has not: on a 2-vCPU machine with one
 * background process, waiting for a worker that first had to be scheduled made the toy MLP's two-thread step up to
 * three times slower than its one-thread step (benchmarks/JOURNAL.md, 2026-12-04, night).
 *
 * <p>An idle helper spins ({@link Thread#onSpinWait()}, not {@code sched_yield}, which hands the core to any other
 * runnable process) for {@link #SPIN_NANOS} after its last part, then parks until the next job: within a training
 * step jobs come every few tens of microseconds and find it awake; between steps it costs no CPU.
 *
 * <p>Which thread runs a part never changes what the part computes; callers cut their work into parts that are
 * computed alone, so results are the same bits on any number of threads. One job runs at a time: a call made while
 * another thread's job runs (two trainers on two threads) runs all its parts on its caller.
 *
 * <p>The thread count is {@code Nd4j.getEnvironment().maxThreads()} (it follows {@code OMP_NUM_THREADS}, by
 * default the cores) at first use, at most the available processors, or the system property {@value #PROPERTY};
 * {@code 1} runs everything on the caller.
 */
public final class WorkerTeam {

    /** The system property that sets the team's size ({@code -Dwgan.workerThreads=1}: the caller alone). */
    public static final String PROPERTY = "wgan.workerThreads";

    /** How long an idle helper spins before it parks (50 us: longer than the gaps between a dense step's products). */
    static final long SPIN_NANOS = 50_000L;

    private static final int THREADS = configuredThreads(PROPERTY);

    private static final ReentrantLock ONE_JOB = new ReentrantLock();

    private static final Helper[] HELPERS = startHelpers();

    /** The job being run, or the last one; helpers watch {@link #generation} to see a new one. */
    private static volatile Job job;

    private static volatile long generation;

    private WorkerTeam() {
    }

    /** The number of threads a job's parts are shared among (1: the caller alone). */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code part.accept(p)} for every {@code p} in {@code [0, parts)}, shared among the team; returns when all
     * are done. A part's exception is rethrown here after every other part has run too (the parts write into the
     * caller's arrays: none is left running); with several failures, the first one caught.
     *
     * @throws IllegalArgumentException if {@code parts < 0}
     */
    public static void run(int parts, IntConsumer part) {
        if (parts < 0) {
            throw new IllegalArgumentException("parts must be >= 0, but was " + parts);
        }
        Job posted = new Job(parts, part);
        if (parts <= 1 || THREADS <= 1 || Thread.currentThread() instanceof Helper || !ONE_JOB.tryLock()) {
            posted.work();
            posted.rethrow();
            return;
        }
        try {
            job = posted;
            generation++; // only the lock holder writes it
            for (Helper helper : HELPERS) {
                if (helper.parked) {
                    LockSupport.unpark(helper);
                }
            }
            posted.work();
            posted.awaitDone();
            posted.rethrow();
        } finally {
            ONE_JOB.unlock();
        }
    }

    /**
     * The first unit of part {@code part} of {@code parts} near-equal parts over {@code [0, n)}: rounded down to a
     * multiple of {@code grain} (a power of two), and {@code n} for {@code part == parts}.
     */
    public static int partStart(int n, int parts, int part, int grain) {
        return part == parts ? n : (int) ((long) n * part / parts) & -grain;
    }

    /** One posted job: its parts, the next unclaimed one, the number finished and the first failure. */
    private static final class Job {
        final int parts;
        final IntConsumer part;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        volatile Throwable failure;

        Job(int parts, IntConsumer part) {
            this.parts = parts;
            this.part = part;
        }

        void work() {
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                try {
                    part.accept(p);
                } catch (RuntimeException | Error e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    finished.incrementAndGet();
                }
            }
        }

        void awaitDone() {
            int spins = 0;
            while (finished.get() < parts) {
                if (++spins < 1 << 16) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // a helper was descheduled inside its part: let it have the core
                }
            }
        }

        void rethrow() {
            Throwable thrown = failure;
            if (thrown instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (thrown instanceof Error error) {
                throw error;
            }
        }
    }

    /** A helper: takes part in every job it sees, spins a while after each, then parks. */
    private static final class Helper extends Thread {
        volatile boolean parked;

        Helper(int index) {
            super("wgan-worker-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = generation;
            while (true) {
                long idleSince = System.nanoTime();
                int spins = 0;
                while (generation == seen) {
                    if ((++spins & 63) != 0 || System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked = true;
                    if (generation == seen) { // the caller reads parked after it bumps generation: no lost wake-up
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
                seen = generation;
                Job current = job;
                if (current != null) {
                    current.work();
                }
            }
        }
    }

    private static Helper[] startHelpers() {
        Helper[] helpers = new Helper[Math.max(0, THREADS - 1)];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper(i + 1);
            helpers[i].start();
        }
        return helpers;
    }

    /**
     * A thread count: the integer system property {@code property} when it is set, else ND4J's
     * {@code maxThreads()} (which follows {@code OMP_NUM_THREADS}), at most the available processors.
     *
     * @throws IllegalArgumentException if the property is set but not an integer >= 1
     */
    public static int configuredThreads(String property) {
        String value = System.getProperty(property);
        if (value != null) {
            try {
                int threads = Integer.parseInt(value.trim());
                if (threads >= 1) {
                    return threads;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(property + " must be an integer >= 1, but was '" + value + "'");
        }
        return Math.max(1, Math.min(Nd4j.getEnvironment().maxThreads(), Runtime.getRuntime().availableProcessors()));
    }
}
