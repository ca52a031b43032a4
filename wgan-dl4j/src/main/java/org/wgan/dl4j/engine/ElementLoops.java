package org.wgan.dl4j.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.simd.VectorKernels;
import org.wgan.core.simd.VectorSupport;

/**
 * The elementwise passes of convolution stages over whole activations: a piecewise-linear activation and its
 * derivative, a per-channel bias added to an NCHW array, and the per-channel sums of a bias gradient. Each method
 * returns false, having done nothing, when its arrays are not c-contiguous float data (or the Vector API is off), and
 * the caller then takes ND4J's ops.
 *
 * <p>On the benchmark machine (AMD EPYC family 25 model 17, Zen 4, AVX-512, one ND4J thread) libnd4j's plain build
 * took 7.5 ms for a LeakyReLU over the Fashion critic's first activation ({@code [128, 32, 14, 14]}, 0.8M floats;
 * its ReLU 0.3 ms), 1.3 ms for the derivative's scale and shift, 0.8 ms for the broadcast bias add and 1.4 ms for
 * {@code sum(0, 2, 3)}: about a quarter of a Fashion WGAN-GP iteration, where the passes below take a few tenths of a
 * millisecond each. The SIMD loops run in ranges of {@link #CHUNK} elements (or one channel plane), so they are
 * compiled after a few calls instead of running on as interpreted code.
 */
final class ElementLoops {

    /** Elements per call of a SIMD loop over a whole array (16 KB of floats). */
    static final int CHUNK = 4096;

    private ElementLoops() {
    }

    /**
     * {@code out = s(z)} for {@code s(z) = z < 0 ? slope z : z} (ND4J's ReLU at slope 0, its LeakyReLU otherwise),
     * the same bits as ND4J's ops, split over at most {@code threads} threads ({@link LoopThreads}; 1: on the caller).
     */
    static boolean activationInto(INDArray z, INDArray out, double slope, int threads) {
        if (!sameLayout(z, out)) {
            return false;
        }
        ByteBuffer zb = VectorSupport.bytes(z);
        ByteBuffer ob = VectorSupport.bytes(out);
        int zo = (int) z.offset();
        int oo = (int) out.offset();
        int n = (int) z.length();
        forChunks(n, threads, (from, count) -> VectorKernels.biasActivation(zb, zo + from, 1, count, null, 0, ob,
                oo + from, (float) slope));
        return true;
    }

    /**
     * {@code e = s'(z) * delta} with {@code s'(z)} as ND4J computes it ({@code step(z) * (1 - slope) + slope}) also
     * written into {@code first} when it is not null: the same bits as ND4J's step, scale, shift and product. With
     * {@code delta} and {@code e} null only {@code first} is written. Split over at most {@code threads} threads.
     */
    static boolean derivativeTimesInto(INDArray z, INDArray delta, INDArray e, INDArray first, double slope,
            int threads) {
        if (!sameLayout(z, delta, e, first)) {
            return false;
        }
        ByteBuffer zb = VectorSupport.bytes(z);
        ByteBuffer db = delta == null ? null : VectorSupport.bytes(delta);
        ByteBuffer eb = e == null ? null : VectorSupport.bytes(e);
        ByteBuffer fb = first == null ? null : VectorSupport.bytes(first);
        int zo = (int) z.offset();
        int dOff = delta == null ? 0 : (int) delta.offset();
        int eo = e == null ? 0 : (int) e.offset();
        int fo = first == null ? 0 : (int) first.offset();
        int n = (int) z.length();
        forChunks(n, threads, (from, count) -> VectorKernels.firstDerivativeTimes(zb, zo + from, db, dOff + from, eb,
                eo + from, fb, fo + from, count, (float) slope));
        return true;
    }

    /**
     * {@code a *= b} in place, elementwise, for two arrays of one shape: the bits of ND4J's {@code muli}, without
     * waking libnd4j's OpenMP threads, which on two cores then compete with OpenBLAS's threads spinning after the
     * products around it (a penalised toy critic step took twice as long so, issue #17). Split over at most
     * {@code threads} threads.
     */
    static boolean timesInPlace(INDArray a, INDArray b, int threads) {
        if (!sameLayout(a, b)) {
            return false;
        }
        ByteBuffer ab = VectorSupport.bytes(a);
        ByteBuffer bb = VectorSupport.bytes(b);
        int ao = (int) a.offset();
        int bo = (int) b.offset();
        forChunks((int) a.length(), threads,
                (from, count) -> VectorKernels.multiply(ab, ao + from, bb, bo + from, count));
        return true;
    }

    /** {@code a *= b} through {@link #timesInPlace} where it applies, else ND4J's {@code muli}; returns {@code a}. */
    static INDArray times(INDArray a, INDArray b, int threads) {
        return timesInPlace(a, b, threads) ? a : a.muli(b);
    }

    /** {@code z[n, c, h, w] += bias[c]} in place for an NCHW {@code z}, the same bits as ND4J's broadcast add. */
    static boolean addChannelBias(INDArray z, INDArray bias) {
        if (z.rank() != 4 || !floats(z) || !floats(bias) || bias.length() != z.size(1)) {
            return false;
        }
        ByteBuffer zb = VectorSupport.bytes(z);
        ByteBuffer bb = VectorSupport.bytes(bias);
        int bo = (int) bias.offset();
        int channels = (int) z.size(1);
        int plane = (int) (z.size(2) * z.size(3));
        int planes = (int) (z.size(0) * channels);
        int zo = (int) z.offset();
        LoopThreads.splitByElements(planes, plane, (begin, end) -> {
            for (int p = begin, at = zo + begin * plane; p < end; p++, at += plane) {
                // slope 1: the identity writes z back onto itself
                VectorKernels.channelBiasActivation(zb, at, plane, bb.getFloat((bo + p % channels) * Float.BYTES), zb,
                        at, 1f);
            }
        });
        return true;
    }

    /**
     * The bias gradient of an NCHW output gradient, {@code sum over n, h, w of g[n, c, h, w]} per channel, written
     * into {@code target} (any contiguous float vector of the channels) or, when {@code accumulate}, added to it.
     * The sums are taken in double in a fixed order, eight running sums per plane (in SIMD lanes with the Vector
     * API, in scalars without: the same bits), the planes of a channel added example by example on one thread: not
     * ND4J's float reduction, so the last bits can differ from {@code sum(0, 2, 3)}'s, and are closer to the exact
     * sum.
     */
    static boolean channelSumsInto(INDArray g, INDArray target, boolean accumulate) {
        if (g.rank() != 4 || !plainFloats(g) || !plainFloats(target) || !target.isVectorOrScalar()
                || target.length() != g.size(1)) {
            return false;
        }
        int channels = (int) g.size(1);
        int plane = (int) (g.size(2) * g.size(3));
        int batch = (int) g.size(0);
        int go = (int) g.offset();
        ByteBuffer gb = VectorSupport.bytes(g);
        double[] sums = new double[channels];
        // split by channel: each channel's planes are summed in the serial order (example 0, 1, ...) on one thread
        LoopThreads.splitByElements(channels, (long) batch * plane, (begin, end) -> {
            for (int n = 0; n < batch; n++) {
                for (int c = begin; c < end; c++) {
                    sums[c] += planeSum(gb, go + (n * channels + c) * plane, plane);
                }
            }
        });
        ByteBuffer tb = VectorSupport.bytes(target);
        int to = (int) target.offset();
        for (int c = 0; c < channels; c++) {
            int at = (to + c) * Float.BYTES;
            tb.putFloat(at, (float) (accumulate ? tb.getFloat(at) + sums[c] : sums[c]));
        }
        return true;
    }

    /** A SIMD loop over the {@code count} elements from element {@code from}. */
    @FunctionalInterface
    private interface Chunk {
        void run(int from, int count);
    }

    /**
     * {@code body} over {@code [0, n)} in {@link #CHUNK}s, the chunks split over up to {@code threads} of
     * {@link LoopThreads}, every range at least {@link LoopThreads#MINIMUM_ELEMENTS} elements: each chunk is the same
     * call as in a serial loop, whichever thread makes it.
     */
    private static void forChunks(int n, int threads, Chunk body) {
        int chunks = (int) ((n + (long) CHUNK - 1) / CHUNK);
        LoopThreads.splitByElements(chunks, CHUNK, threads, (begin, end) -> {
            for (int from = begin * CHUNK; from < Math.min(n, end * CHUNK); from += CHUNK) {
                body.run(from, Math.min(CHUNK, n - from));
            }
        });
    }

    /** The sum of {@code n} floats from element {@code from}, in eight interleaved running sums of doubles. */
    private static double planeSum(ByteBuffer b, int from, int n) {
        if (VectorSupport.available()) {
            return VectorKernels.sumAsDoubles(b, from, n); // the same sums in SIMD lanes
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = from * Float.BYTES;
        int end = (from + n) * Float.BYTES;
        for (; i + 8 * Float.BYTES <= end; i += 8 * Float.BYTES) {
            s0 += b.getFloat(i);
            s1 += b.getFloat(i + 4);
            s2 += b.getFloat(i + 8);
            s3 += b.getFloat(i + 12);
            s4 += b.getFloat(i + 16);
            s5 += b.getFloat(i + 20);
            s6 += b.getFloat(i + 24);
            s7 += b.getFloat(i + 28);
        }
        double tail = 0;
        for (; i < end; i += Float.BYTES) {
            tail += b.getFloat(i);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + tail;
    }

    /** Every array (nulls skipped) contiguous float data of z's shape, and the Vector API on. */
    private static boolean sameLayout(INDArray z, INDArray... others) {
        if (!floats(z)) {
            return false;
        }
        for (INDArray other : others) {
            if (other != null && (!floats(other) || !Arrays.equals(z.shape(), other.shape()))) {
                return false;
            }
        }
        return true;
    }

    /** Contiguous float data in c order (or a vector of stride 1), whether or not the Vector API is on. */
    private static boolean plainFloats(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.offset() + a.length() > Integer.MAX_VALUE / Float.BYTES) {
            return false;
        }
        return a.isVectorOrScalar() ? a.length() == 1 || a.elementWiseStride() == 1 : ReshapedMap.cContiguous(a);
    }

    /** {@link #plainFloats}, for the SIMD loops: the Vector API on. */
    private static boolean floats(INDArray a) {
        return VectorSupport.available() && plainFloats(a);
    }
}
