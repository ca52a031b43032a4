package org.wgan.core.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether the SIMD loops of {@link VectorKernels} can run.
 *
 * <p>They run when the JVM was started with {@code --add-modules jdk.incubator.vector} (the examples, tests and
 * benchmarks are; the JVM then prints one warning that an incubator module is in use), unless the system property
 * {@code wgan.vectorKernels} is {@code false}. Without the module everything takes the scalar loops, with the same
 * results to the bit.
 */
public final class VectorSupport {

    /** The system property that turns the SIMD loops off ({@code -Dwgan.vectorKernels=false}). */
    public static final String PROPERTY = "wgan.vectorKernels";

    /**
     * Elements from which an optimizer step is shared among the {@link WorkerTeam}: a step over the toy critic's 527k
     * parameters is memory-bound at about 0.6-1 ms on one core, far above the microseconds of handing part of it
     * to a helper.
     */
    public static final int PARALLEL_MINIMUM = 1 << 16;

    private static final boolean AVAILABLE = detect();

    private VectorSupport() {
    }

    /** True when the SIMD loops are in use. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** True when the SIMD loops are on and every array (nulls skipped) is contiguous float data, in any order. */
    public static boolean contiguousFloats(INDArray... arrays) {
        return usable(false, arrays);
    }

    /** True when the SIMD loops are on and every array (nulls skipped) is contiguous float data laid out row-major. */
    public static boolean rowMajorFloats(INDArray... arrays) {
        return usable(true, arrays);
    }

    private static boolean usable(boolean rowMajor, INDArray... arrays) {
        if (!AVAILABLE) {
            return false;
        }
        for (INDArray array : arrays) {
            if (array == null) {
                continue;
            }
            boolean contiguous = array.dataType() == DataType.FLOAT
                    && (array.length() == 1 || array.elementWiseStride() == 1)
                    && array.offset() + array.length() <= Integer.MAX_VALUE / Float.BYTES;
            if (!contiguous || (rowMajor && array.ordering() != 'c' && !array.isVectorOrScalar())) {
                return false;
            }
        }
        return true;
    }

    /** Element ranges {@code [from, to)} of an elementwise loop, run by {@link #inParts}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Runs an elementwise loop over {@code [0, n)}: in {@link WorkerTeam#threads()} near-equal parts shared by the
     * {@link WorkerTeam} when {@code n} is at least {@link #PARALLEL_MINIMUM}; else on the calling thread. The parts
     * split at multiples of 64 elements, so every SIMD lane sees the same elements either way and the results are
     * the same bits.
     */
    public static void inParts(int n, Range loop) {
        int parts = n < PARALLEL_MINIMUM ? 1 : Math.min(WorkerTeam.threads(), n / 64);
        if (parts <= 1) {
            loop.run(0, n);
            return;
        }
        WorkerTeam.run(parts, part -> loop.run(WorkerTeam.partStart(n, parts, part, 64),
                WorkerTeam.partStart(n, parts, part + 1, 64)));
    }

    /** The array's whole native buffer, in native byte order (element {@code array.offset()} is its first). */
    public static ByteBuffer bytes(INDArray array) {
        return array.data().asNio().order(ByteOrder.nativeOrder());
    }

    private static boolean detect() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            ByteBuffer probe = ByteBuffer.allocateDirect(64 * Float.BYTES).order(ByteOrder.nativeOrder());
            VectorKernels.rmsProp(probe, 0, probe, 16, probe, 32, 16, 0.9f, 0.1f, 0.1f, 1f, true);
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }
}
