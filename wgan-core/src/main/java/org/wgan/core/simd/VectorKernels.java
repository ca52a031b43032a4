package org.wgan.core.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise loops of the optimizer steps, of dense layers, of weight clipping and of the trainer's finiteness
 * check over float buffers, in SIMD lanes through the JDK's incubating Vector API. Only loaded when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (see {@link VectorSupport}); the scalar loops are used otherwise.
 *
 * <p>Each lane computes exactly the scalar loop's IEEE operations in the scalar loop's order (no fused
 * multiply-add), so both paths give the same bits: a resumed run stays bit-for-bit equal whichever path it took.
 * Offsets and counts are in elements; the buffers are the arrays' whole native data buffers.
 */
public final class VectorKernels {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VectorSpecies<Float> EIGHT_FLOATS = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> FOUR_DOUBLES = DoubleVector.SPECIES_256;

    private VectorKernels() {
    }

    /**
     * Adam, parameters updated and the update left in {@code g} (the DL4J engine's fused optimizer step). With
     * {@code flush}, the new moments and then the update are flushed to zero when subnormal
     * ({@link Subnormals#flushed(float)}) before they are used and stored, so the stored moments are never
     * subnormal: on Intel cores a vector operation that takes or makes a subnormal float costs a microcode assist,
     * and the moments of units that get no gradient decay geometrically through the subnormal range (5-7% of the
     * toy critic's moments after about 1,000 steps, which made its step 20-30% slower).
     */
    public static void adam(ByteBuffer p, int po, ByteBuffer g, int go, ByteBuffer m, int mo, ByteBuffer v, int vo,
            int n, float b1, float b2, float c1, float c2, float alpha, float eps, boolean flush) {
        // the Vector API's own loads and stores (force-inlined), not load()/store(): calls to those are subject to
        // the inlining budget, and past it their vectors are boxed (measured: Adam 5x slower)
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += FLOATS.length()) {
            FloatVector gi = FloatVector.fromByteBuffer(FLOATS, g, (go + i) * Float.BYTES, ORDER);
            FloatVector mi = FloatVector.fromByteBuffer(FLOATS, m, (mo + i) * Float.BYTES, ORDER).mul(b1)
                    .add(gi.mul(c1));
            FloatVector vi = FloatVector.fromByteBuffer(FLOATS, v, (vo + i) * Float.BYTES, ORDER).mul(b2)
                    .add(gi.mul(gi).mul(c2));
            if (flush) {
                mi = flushed(mi);
                vi = flushed(vi);
            }
            FloatVector update = mi.mul(alpha).div(vi.sqrt().add(eps));
            if (flush) {
                update = flushed(update);
            }
            mi.intoByteBuffer(m, (mo + i) * Float.BYTES, ORDER);
            vi.intoByteBuffer(v, (vo + i) * Float.BYTES, ORDER);
            update.intoByteBuffer(g, (go + i) * Float.BYTES, ORDER);
            FloatVector.fromByteBuffer(FLOATS, p, (po + i) * Float.BYTES, ORDER).sub(update)
                    .intoByteBuffer(p, (po + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            float gi = get(g, go + i);
            float mi = get(m, mo + i) * b1 + gi * c1;
            float vi = get(v, vo + i) * b2 + gi * gi * c2;
            mi = Subnormals.flushedIf(flush, mi);
            vi = Subnormals.flushedIf(flush, vi);
            float update = mi * alpha / ((float) Math.sqrt(vi) + eps);
            update = Subnormals.flushedIf(flush, update);
            put(m, mo + i, mi);
            put(v, vo + i, vi);
            put(g, go + i, update);
            put(p, po + i, get(p, po + i) - update);
        }
    }

    /** RMSProp, parameters updated and the update left in {@code g}; {@code flush} as in {@link #adam}. */
    public static void rmsProp(ByteBuffer p, int po, ByteBuffer g, int go, ByteBuffer s, int so, int n, float decay,
            float oneMinusDecay, float lr, float eps, boolean flush) {
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += FLOATS.length()) {
            FloatVector gi = FloatVector.fromByteBuffer(FLOATS, g, (go + i) * Float.BYTES, ORDER);
            FloatVector si = FloatVector.fromByteBuffer(FLOATS, s, (so + i) * Float.BYTES, ORDER).mul(decay)
                    .add(gi.mul(gi).mul(oneMinusDecay));
            if (flush) {
                si = flushed(si);
            }
            FloatVector update = gi.mul(lr).div(si.sqrt().add(eps));
            if (flush) {
                update = flushed(update);
            }
            si.intoByteBuffer(s, (so + i) * Float.BYTES, ORDER);
            update.intoByteBuffer(g, (go + i) * Float.BYTES, ORDER);
            FloatVector.fromByteBuffer(FLOATS, p, (po + i) * Float.BYTES, ORDER).sub(update)
                    .intoByteBuffer(p, (po + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            float gi = get(g, go + i);
            float si = get(s, so + i) * decay + gi * gi * oneMinusDecay;
            si = Subnormals.flushedIf(flush, si);
            float update = gi * lr / ((float) Math.sqrt(si) + eps);
            update = Subnormals.flushedIf(flush, update);
            put(s, so + i, si);
            put(g, go + i, update);
            put(p, po + i, get(p, po + i) - update);
        }
    }

    /** {@link Subnormals#flushed(float)} lane by lane, on the bits only (no floating-point operation sees one). */
    private static FloatVector flushed(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        VectorMask<Integer> subnormal = bits.and(Subnormals.FLOAT_EXPONENT).compare(VectorOperators.EQ, 0);
        return bits.blend(bits.and(Integer.MIN_VALUE), subnormal).reinterpretAsFloats();
    }

    /**
     * A dense layer's bias and piecewise-linear activation in one pass over {@code rows x cols} row-major floats:
     * {@code z += b} (row broadcast; no bias when {@code b} is null) and {@code a = s(z)}, where s is ND4J's ReLU
     * ({@code z < 0 ? 0 : z}) for slope 0, the identity for slope 1 and its LeakyReLU ({@code z < 0 ? slope z : z})
     * otherwise. As in ND4J, NaN and {@code -0.0} pass through unchanged (NaN compares false), {@code -Infinity}
     * becomes 0 (ReLU) or stays (LeakyReLU): the same bits as ND4J's ops for every input.
     */
    public static void biasActivation(ByteBuffer z, int zo, int rows, int cols, ByteBuffer b, int bo, ByteBuffer a,
            int ao, float slope) {
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * cols;
            int ar = ao + r * cols;
            int c = 0;
            for (int bound = FLOATS.loopBound(cols); c < bound; c += FLOATS.length()) {
                FloatVector zi = load(z, zr + c);
                if (b != null) {
                    zi = zi.add(load(b, bo + c));
                    store(zi, z, zr + c);
                }
                store(activate(zi, slope), a, ar + c);
            }
            for (; c < cols; c++) {
                float zi = get(z, zr + c);
                if (b != null) {
                    zi += get(b, bo + c);
                    put(z, zr + c, zi);
                }
                put(a, ar + c, activate(zi, slope));
            }
        }
    }

    /**
     * One channel plane of a convolution's output: {@code z += bias} over {@code n} floats and {@code a = s(z)} as
     * {@link #biasActivation} computes it (ND4J's broadcast add, then its ReLU, identity or LeakyReLU), the same
     * bits as ND4J's ops. {@code a} may be {@code z} itself.
     */
    public static void channelBiasActivation(ByteBuffer z, int zo, int n, float bias, ByteBuffer a, int ao,
            float slope) {
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += FLOATS.length()) {
            FloatVector zi = load(z, zo + i).add(bias);
            store(zi, z, zo + i);
            store(activate(zi, slope), a, ao + i);
        }
        for (; i < n; i++) {
            float zi = get(z, zo + i) + bias;
            put(z, zo + i, zi);
            put(a, ao + i, activate(zi, slope));
        }
    }

    /**
     * {@code e = s'(z) * delta} over {@code n} floats for a piecewise-linear s, with {@code s'(z)} as ND4J computes
     * it ({@code step(z) * (1 - slope) + slope}, just the step for ReLU) also written to {@code first} when it is not
     * null. ND4J's step is {@code z > 0 ? 1 : 0}, so NaN and {@code -0.0} take the slope there too; a NaN or infinite
     * {@code delta} carries into {@code e} ({@code 0 * NaN} and {@code 0 * Infinity} are NaN). With {@code delta} and
     * {@code e} null only {@code first} is written.
     */
    public static void firstDerivativeTimes(ByteBuffer z, int zo, ByteBuffer delta, int dOff, ByteBuffer e, int eo,
            ByteBuffer first, int fo, int n, float slope) {
        float oneMinusSlope = 1f - slope;
        FloatVector zero = FloatVector.zero(FLOATS);
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += FLOATS.length()) {
            VectorMask<Float> positive = load(z, zo + i).compare(VectorOperators.GT, 0f);
            FloatVector derivative = zero.blend(one, positive);
            if (slope != 0f) {
                derivative = derivative.mul(oneMinusSlope).add(slope);
            }
            if (first != null) {
                store(derivative, first, fo + i);
            }
            if (delta != null) {
                store(derivative.mul(load(delta, dOff + i)), e, eo + i);
            }
        }
        for (; i < n; i++) {
            float derivative = get(z, zo + i) > 0f ? 1f : 0f;
            if (slope != 0f) {
                derivative = derivative * oneMinusSlope + slope;
            }
            if (first != null) {
                put(first, fo + i, derivative);
            }
            if (delta != null) {
                put(e, eo + i, derivative * get(delta, dOff + i));
            }
        }
    }

    /**
     * {@code a[i] *= b[i]} over {@code n} floats: one IEEE product per element, the bits of ND4J's {@code muli}
     * (NaN and infinities propagate as there).
     */
    public static void multiply(ByteBuffer a, int ao, ByteBuffer b, int bo, int n) {
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += FLOATS.length()) {
            store(load(a, ao + i).mul(load(b, bo + i)), a, ao + i);
        }
        for (; i < n; i++) {
            put(a, ao + i, get(a, ao + i) * get(b, bo + i));
        }
    }

    /**
     * Clamps {@code [from, to)} to {@code [lo, hi]} in place as ND4J's scalar max then min compute it:
     * {@code y = x > lo ? x : lo}, then {@code y < hi ? y : hi} (so NaN becomes {@code lo}, as it does there).
     * Callers run a long array as a sequence of short ranges ({@link InPlaceClamp}): a method called once per
     * critic update over a million elements would run for hundreds of calls as interpreted or on-stack-replaced
     * code, where the Vector API's loads and operations are not compiled to vector instructions.
     */
    public static void clamp(ByteBuffer b, int from, int to, float lo, float hi) {
        FloatVector low = FloatVector.broadcast(FLOATS, lo);
        FloatVector high = FloatVector.broadcast(FLOATS, hi);
        int i = from;
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += FLOATS.length()) {
            FloatVector x = load(b, i);
            FloatVector y = low.blend(x, x.compare(VectorOperators.GT, low));
            store(high.blend(y, y.compare(VectorOperators.LT, high)), b, i);
        }
        for (; i < to; i++) {
            float x = get(b, i);
            float y = x > lo ? x : lo;
            put(b, i, y < hi ? y : hi);
        }
    }

    /**
     * True when every float of {@code [from, to)} is finite: the lanes sum {@code x - x}, which is 0 for a finite x
     * and NaN for NaN or an infinity, so the sum stays 0 exactly until one element is not finite, whatever the
     * magnitudes (a plain sum would overflow on large finite values). Callers run long arrays in short ranges, as
     * {@link #clamp}'s do.
     */
    public static boolean allFinite(ByteBuffer b, int from, int to) {
        // two sums, so consecutive adds do not wait on each other's latency
        FloatVector sum = FloatVector.zero(FLOATS);
        FloatVector other = FloatVector.zero(FLOATS);
        int lanes = FLOATS.length();
        int i = from;
        for (int bound = from + (to - from) / (2 * lanes) * (2 * lanes); i < bound; i += 2 * lanes) {
            FloatVector x = load(b, i);
            FloatVector y = load(b, i + lanes);
            sum = sum.add(x.sub(x));
            other = other.add(y.sub(y));
        }
        sum = sum.add(other);
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += lanes) {
            FloatVector x = load(b, i);
            sum = sum.add(x.sub(x));
        }
        float tail = 0f;
        for (; i < to; i++) {
            float x = get(b, i);
            tail += x - x;
        }
        return sum.reduceLanes(VectorOperators.ADD) + tail == 0f;
    }

    private static FloatVector activate(FloatVector z, float slope) {
        if (slope == 1f) {
            return z;
        }
        if (slope == 0f) {
            // ND4J's ReLU keeps z unless z < 0: NaN compares false and passes (a GT mask would map it to 0)
            return z.blend(FloatVector.zero(FLOATS), z.compare(VectorOperators.LT, 0f));
        }
        return z.blend(z.mul(slope), z.compare(VectorOperators.LT, 0f));
    }

    /**
     * The sum of {@code n} floats from element {@code from}, in double: eight running sums, element {@code i} into
     * sum {@code i % 8} (two lanes of four doubles), combined as {@code ((s0 + s1) + (s2 + s3)) + ((s4 + s5) +
     * (s6 + s7))}, then the last {@code n % 8} elements' sum added: the bits of the same loop over scalars.
     */
    public static double sumAsDoubles(ByteBuffer b, int from, int n) {
        DoubleVector low = DoubleVector.zero(FOUR_DOUBLES);
        DoubleVector high = DoubleVector.zero(FOUR_DOUBLES);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            FloatVector f = FloatVector.fromByteBuffer(EIGHT_FLOATS, b, (from + i) * Float.BYTES, ORDER);
            low = low.add((DoubleVector) f.convertShape(VectorOperators.F2D, FOUR_DOUBLES, 0));
            high = high.add((DoubleVector) f.convertShape(VectorOperators.F2D, FOUR_DOUBLES, 1));
        }
        double tail = 0;
        for (; i < n; i++) {
            tail += get(b, from + i);
        }
        return ((low.lane(0) + low.lane(1)) + (low.lane(2) + low.lane(3)))
                + ((high.lane(0) + high.lane(1)) + (high.lane(2) + high.lane(3))) + tail;
    }

    private static float activate(float z, float slope) {
        if (slope == 1f) {
            return z;
        }
        if (slope == 0f) {
            return z < 0f ? 0f : z;
        }
        return z < 0f ? slope * z : z;
    }

    private static FloatVector load(ByteBuffer b, int element) {
        return FloatVector.fromByteBuffer(FLOATS, b, element * Float.BYTES, ORDER);
    }

    private static void store(FloatVector value, ByteBuffer b, int element) {
        value.intoByteBuffer(b, element * Float.BYTES, ORDER);
    }

    private static float get(ByteBuffer b, int element) {
        return b.getFloat(element * Float.BYTES);
    }

    private static void put(ByteBuffer b, int element, float value) {
        b.putFloat(element * Float.BYTES, value);
    }
}
