package org.wgan.dl4j.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.wgan.core.simd.WorkerTeam;

/**
 * Runs the engine's Java loops (the convolution stages' SIMD elementwise passes and bias-gradient sums, batch
 * normalisation's passes over examples) on as many threads as libnd4j's own ops use: on two threads they were about
 * a quarter of a Fashion-MNIST WGAN-GP iteration, all of it on one core while the convolutions used both.
 *
 * <p>A loop over {@code n} units is cut into at most {@link #threads()} contiguous ranges, the first run by the
 * calling thread and the others by daemon workers; the call returns when all are done. Ranges never change what is
 * computed for a unit, only which thread computes it: callers cut only where every unit is computed alone (one
 * element, one chunk, one channel with all its terms summed in their serial order), so a split run gives the same
 * bits as the serial one, on any number of threads, and bit-exact resume is not touched.
 *
 * <p>The thread count is {@code Nd4j.getEnvironment().maxThreads()} at first use (it follows
 * {@code OMP_NUM_THREADS}, by default the cores), or the system property {@code wgan.loopThreads}; {@code 1} keeps
 * every loop on the calling thread.
 */
final class LoopThreads {

    /** The system property that sets the loops' thread count ({@code -Dwgan.loopThreads=1}: no workers). */
    static final String PROPERTY = "wgan.loopThreads";

    /**
     * Fewest elements a thread is given (256 KB of floats): handing a range to a worker costs some tens of
     * microseconds, a SIMD pass over this many elements about as much.
     */
    static final int MINIMUM_ELEMENTS = 1 << 16;

    private static final int THREADS = WorkerTeam.configuredThreads(PROPERTY);

    private static final ExecutorService WORKERS = THREADS <= 1 ? null
            : Executors.newFixedThreadPool(THREADS - 1, Worker::new);

    /** Ranges handed to the workers since the class loaded (the tests' way to see where a loop ran). */
    private static final AtomicLong HANDED_TO_WORKERS = new AtomicLong();

    private LoopThreads() {
    }

    /** The number of ranges handed to a worker thread so far. */
    static long rangesHandedToWorkers() {
        return HANDED_TO_WORKERS.get();
    }

    /** A loop body over the units {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** A pool thread; a loop it runs is not split again. */
    private static final class Worker extends Thread {
        Worker(Runnable runnable) {
            super(runnable, "wgan-engine-loops");
            setDaemon(true);
        }
    }

    /** The number of threads a loop is split over (1: no split). */
    static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, units)}, split into ranges of at least {@code minimumUnits} units on up to
     * {@link #threads()} threads; in one call on this thread when there is no more than one such range.
     *
     * @throws IllegalArgumentException if {@code units < 0} or {@code minimumUnits < 1}
     */
    static void split(int units, int minimumUnits, Range body) {
        split(units, minimumUnits, THREADS, body);
    }

    /**
     * {@link #split(int, int, Range)} over units of {@code elementsPerUnit} elements each, every range at least
     * {@link #MINIMUM_ELEMENTS} elements (at least one unit).
     */
    static void splitByElements(int units, long elementsPerUnit, Range body) {
        splitByElements(units, elementsPerUnit, THREADS, body);
    }

    /** {@link #splitByElements(int, long, Range)} on at most {@code threads} threads (1: on the caller). */
    static void splitByElements(int units, long elementsPerUnit, int threads, Range body) {
        split(units, (int) Math.max(1, MINIMUM_ELEMENTS / Math.max(1, elementsPerUnit)), threads, body);
    }

    /** {@link #split(int, int, Range)} on at most {@code threads} threads (the tests' way to vary the count). */
    static void split(int units, int minimumUnits, int threads, Range body) {
        if (units < 0 || minimumUnits < 1) {
            throw new IllegalArgumentException("units must be >= 0 and minimumUnits >= 1, but were " + units + " and "
                    + minimumUnits);
        }
        int parts = (int) Math.min(Math.min(threads, THREADS), units / (long) minimumUnits);
        if (parts <= 1 || Thread.currentThread() instanceof Worker) {
            body.run(0, units);
            return;
        }
        Future<?>[] others = new Future<?>[parts - 1];
        for (int part = 1; part < parts; part++) {
            int from = bound(units, parts, part);
            int to = bound(units, parts, part + 1);
            others[part - 1] = WORKERS.submit(() -> body.run(from, to));
            HANDED_TO_WORKERS.incrementAndGet();
        }
        Throwable failure = null;
        try {
            body.run(0, bound(units, parts, 1));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> other : others) {
            while (true) {
                try {
                    other.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the ranges write into the caller's arrays: wait for them whatever happens
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : e.getCause();
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException("an engine loop failed", failure);
        }
    }

    /** The first unit of part {@code part} of {@code parts} near-equal ranges over {@code [0, units)}. */
    private static int bound(int units, int parts, int part) {
        return (int) ((long) units * part / parts);
    }
}
