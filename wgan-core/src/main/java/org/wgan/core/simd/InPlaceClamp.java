package org.wgan.core.simd;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Clamps one array to {@code [min, max]} in place, as ND4J's two scalar ops {@code max(x, min)} then
 * {@code min(x, max)} compute it, to the bit.
 *
 * <p>Contiguous float arrays are clamped in one SIMD pass ({@link VectorKernels#clamp}), shared among the
 * {@link WorkerTeam} from {@link VectorSupport#PARALLEL_MINIMUM} elements, when the JVM has the Vector API.
 * ND4J's scalar ops in libnd4j's plain x86-64 build are SSE loops, two passes over the array: on the AVX-512
 * benchmark machine they took 1.7-2.2x a copy of the same bytes at 0.5M floats and, at 4.3M, iterations of 3 to
 * 165 ms where the copy took 0.5 ms (benchmarks/README.md). The pass runs in ranges of {@link #CHUNK} elements, so
 * the loop is compiled after a few critic updates instead of running for hundreds of them as interpreted code.
 *
 * <p>Other arrays (double, strided, or no Vector API) take ND4J's two ops, built once and run again on every call:
 * constructing an ND4J scalar op allocates its scalar as a fresh off-heap array (even the no-argument constructor
 * does), about 15-20 us on the 2-core benchmark machine, while running a built op costs about 1 us before its pass.
 * Either way a clamp stays valid for as long as its array object is the one being clamped.
 */
public final class InPlaceClamp {

    /** Elements per call of the SIMD loop (16 KB of floats): 129 calls for the toy critic's 527k parameters. */
    static final int CHUNK = 4096;

    private final INDArray array;
    private final float lo;
    private final float hi;
    /** The array's native buffer when the SIMD loop clamps it, else null. */
    private final ByteBuffer bytes;
    private final int offset;
    private final VectorSupport.Range range = this::clampRange;
    private final ScalarMax lower;
    private final ScalarMin upper;

    private InPlaceClamp(INDArray array, double min, double max) {
        this.array = array;
        this.lo = (float) min;
        this.hi = (float) max;
        boolean simd = VectorSupport.contiguousFloats(array);
        this.bytes = simd ? VectorSupport.bytes(array) : null;
        this.offset = simd ? (int) array.offset() : 0;
        this.lower = simd ? null : new ScalarMax(array, min);
        this.upper = simd ? null : new ScalarMin(array, max);
    }

    /**
     * A clamp of {@code array} (any data type and layout ND4J's scalar ops take) to {@code [min, max]}.
     *
     * @throws IllegalArgumentException if {@code min > max} or either bound is NaN
     */
    public static InPlaceClamp of(INDArray array, double min, double max) {
        Objects.requireNonNull(array, "array");
        if (!(min <= max)) {
            throw new IllegalArgumentException("min must be <= max, but was [" + min + ", " + max + "]");
        }
        return new InPlaceClamp(array, min, max);
    }

    /** True when this clamp was built for this very array object. */
    public boolean clamps(INDArray candidate) {
        return candidate == array;
    }

    /** True when the SIMD loop clamps the array (contiguous floats, Vector API present), false for ND4J's ops. */
    boolean simd() {
        return bytes != null;
    }

    /**
     * Clamps the array in place: values beyond a bound become that bound (rounded to the array's data type), the
     * others are left as they are, and NaN becomes {@code min} (ND4J's max of NaN and a number is the number).
     */
    public void run() {
        if (bytes != null) {
            VectorSupport.inParts(Math.toIntExact(array.length()), range);
        } else {
            Nd4j.getExecutioner().exec(lower);
            Nd4j.getExecutioner().exec(upper);
        }
    }

    private void clampRange(int from, int to) {
        for (int start = from; start < to; start += CHUNK) {
            VectorKernels.clamp(bytes, offset + start, offset + Math.min(start + CHUNK, to), lo, hi);
        }
    }
}
