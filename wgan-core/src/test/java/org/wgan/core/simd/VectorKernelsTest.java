package org.wgan.core.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SIMD loops give the scalar loops' results to the bit (lengths that are not a multiple of the lane count,
 * non-zero offsets), the activation passes give ND4J's ops' bits on NaN, infinities and signed zeros (the ops the
 * DL4J engine runs with the loops off), and the build runs the tests with them on.
 */
class VectorKernelsTest {

    private static final int OFFSET = 3;
    /**
     * NaN (quiet, with a payload, negative), infinities, signed zeros, signed subnormals, the extremes and three
     * ordinary values.
     */
    private static final float[] EDGES = {Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000),
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
        -Float.MAX_VALUE, 1.5f, -2.5f, 0.3f};

    /** The scalar loop that {@link VectorKernels#sumAsDoubles} runs in lanes (the DL4J engine's bias-gradient sums). */
    private static double eightRunningSums(ByteBuffer b, int from, int n) {
        double[] s = new double[8];
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            for (int lane = 0; lane < 8; lane++) {
                s[lane] += b.getFloat((from + i + lane) * Float.BYTES);
            }
        }
        double tail = 0;
        for (; i < n; i++) {
            tail += b.getFloat((from + i) * Float.BYTES);
        }
        return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])) + tail;
    }

    @Test
    void sumsAsDoublesGiveTheScalarSumsBits() {
        Random random = new Random(11);
        ByteBuffer b = ByteBuffer.allocateDirect(400 * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 400; i++) {
            // magnitudes over 40 binades, so that the order of the additions shows in the last bits
            b.putFloat(i * Float.BYTES, (float) (random.nextGaussian() * Math.pow(2, random.nextInt(40) - 20)));
        }
        for (int n = 0; n <= 61; n++) {
            double expected = eightRunningSums(b, OFFSET, n);
            assertThat(Double.doubleToRawLongBits(VectorKernels.sumAsDoubles(b, OFFSET, n))).as("n = %d", n)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
        }
        b.putFloat((OFFSET + 5) * Float.BYTES, Float.NaN);
        assertThat(VectorKernels.sumAsDoubles(b, OFFSET, 16)).isNaN();
        b.putFloat((OFFSET + 5) * Float.BYTES, Float.POSITIVE_INFINITY);
        assertThat(VectorKernels.sumAsDoubles(b, OFFSET, 16)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void theTestJvmHasTheVectorApi() {
        assertThat(VectorSupport.available()).as("surefire's argLine adds jdk.incubator.vector").isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 527361})
    void inPartsCoversEveryElementOnceSplittingAtMultiplesOf64(int n) {
        List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());

        VectorSupport.inParts(n, (from, to) -> ranges.add(new int[] {from, to}));

        ranges.sort(Comparator.comparingInt(r -> r[0]));
        int expected = n >= VectorSupport.PARALLEL_MINIMUM ? WorkerTeam.threads() : 1;
        assertThat(ranges).hasSize(expected);
        assertThat(ranges.get(0)[0]).isZero();
        assertThat(ranges.get(ranges.size() - 1)[1]).isEqualTo(n);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).isEqualTo(ranges.get(i - 1)[1]);
            assertThat(ranges.get(i)[0] % 64).isZero();
            assertThat(ranges.get(i)[0]).isBetween((int) ((long) n * i / expected) - 64,
                    (int) ((long) n * i / expected));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 1000, 4099})
    void adamMatchesTheScalarLoopBitForBit(int n) {
        Random random = new Random(n);
        assertAdamIsTheScalarLoop(values(random, n, 0.1f), values(random, n, 1f), values(random, n, 0.01f),
                squares(values(random, n, 0.01f)), 0.5f, 0.9f, false);
    }

    /**
     * Moments around the bottom of the normal range and gradients that are zero or tiny: flushed, the kernel gives
     * the scalar loop with {@link Subnormals#flushed(float)} at the same three points (new moments, then the update);
     * kept, the plain scalar loop (subnormals and all). Both ways the case has subnormals to flush.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void adamFlushesSubnormalMomentsAndUpdatesAsTheScalarLoop(boolean flush) {
        int n = 4099;
        Random random = new Random(41);
        int subnormal = assertAdamIsTheScalarLoop(values(random, n, 0.1f), tinyGradients(random, n),
                nearSubnormal(random, n, true), nearSubnormal(random, n, false), 0.9f, 0.99f, flush);
        assertThat(subnormal).isGreaterThan(n / 10);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void rmsPropFlushesSubnormalMomentsAndUpdatesAsTheScalarLoop(boolean flush) {
        int n = 4099;
        Random random = new Random(43);
        int subnormal = assertRmsPropIsTheScalarLoop(values(random, n, 0.1f), tinyGradients(random, n),
                nearSubnormal(random, n, false), flush);
        assertThat(subnormal).isGreaterThan(n / 10);
    }

    /**
     * Runs {@link VectorKernels#adam} (alpha 3.2e-4, eps 1e-8) and asserts the bits of the scalar loop, flushing
     * with {@link Subnormals#flushed(float)} at the same points when {@code flush}; returns how many new first
     * moments were subnormal before any flush. With {@code flush} no stored moment is subnormal.
     */
    private static int assertAdamIsTheScalarLoop(float[] p, float[] g, float[] m, float[] v, float b1, float b2,
            boolean flush) {
        int n = p.length;
        float alpha = 3.2e-4f;
        float eps = 1e-8f;
        ByteBuffer pb = buffer(p);
        ByteBuffer gb = buffer(g);
        ByteBuffer mb = buffer(m);
        ByteBuffer vb = buffer(v);

        VectorKernels.adam(pb, OFFSET, gb, OFFSET, mb, OFFSET, vb, OFFSET, n, b1, b2, 1 - b1, 1 - b2, alpha, eps,
                flush);

        int subnormal = 0;
        for (int i = 0; i < n; i++) {
            float mi = b1 * m[i] + g[i] * (1 - b1);
            float vi = b2 * v[i] + g[i] * g[i] * (1 - b2);
            subnormal += isSubnormal(mi) ? 1 : 0;
            m[i] = Subnormals.flushedIf(flush, mi);
            v[i] = Subnormals.flushedIf(flush, vi);
            float update = Subnormals.flushedIf(flush, m[i] * alpha / ((float) Math.sqrt(v[i]) + eps));
            p[i] -= update;
            g[i] = update;
            assertThat(flush && (isSubnormal(m[i]) || isSubnormal(v[i]))).isFalse();
        }
        assertBits(pb, p);
        assertBits(gb, g);
        assertBits(mb, m);
        assertBits(vb, v);
        return subnormal;
    }

    /** {@link #assertAdamIsTheScalarLoop} for {@link VectorKernels#rmsProp} (decay 0.95, lr 5e-5, eps 1e-8). */
    private static int assertRmsPropIsTheScalarLoop(float[] p, float[] g, float[] s, boolean flush) {
        int n = p.length;
        float decay = 0.95f;
        float lr = 5e-5f;
        float eps = 1e-8f;
        ByteBuffer pb = buffer(p);
        ByteBuffer gb = buffer(g);
        ByteBuffer sb = buffer(s);

        VectorKernels.rmsProp(pb, OFFSET, gb, OFFSET, sb, OFFSET, n, decay, 1 - decay, lr, eps, flush);

        int subnormal = 0;
        for (int i = 0; i < n; i++) {
            float si = s[i] * decay + g[i] * g[i] * (1 - decay);
            subnormal += isSubnormal(si) ? 1 : 0;
            s[i] = Subnormals.flushedIf(flush, si);
            float update = Subnormals.flushedIf(flush, g[i] * lr / ((float) Math.sqrt(s[i]) + eps));
            p[i] -= update;
            g[i] = update;
        }
        assertBits(pb, p);
        assertBits(gb, g);
        assertBits(sb, s);
        return subnormal;
    }

    /** Half zeros (signed: units with no gradient), a quarter around 1e-20 (their squares underflow), the rest ~1. */
    private static float[] tinyGradients(Random random, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            g[i] = u < 0.25 ? 0f : u < 0.5 ? -0f : u < 0.75 ? (float) (random.nextGaussian() * 1e-20)
                    : (float) random.nextGaussian();
        }
        return g;
    }

    /** Magnitudes from 2^-149 to 2^-120 (subnormal and just normal), log-uniform, signed when {@code signed}. */
    private static float[] nearSubnormal(Random random, int n, boolean signed) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float magnitude = (float) Math.scalb(1.0 + random.nextDouble(), -149 + random.nextInt(29));
            x[i] = signed && random.nextBoolean() ? -magnitude : magnitude;
        }
        return x;
    }

    private static boolean isSubnormal(float x) {
        return x != 0 && Math.abs(x) < Float.MIN_NORMAL;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 4099})
    void rmsPropMatchesTheScalarLoopBitForBit(int n) {
        Random random = new Random(n);
        assertRmsPropIsTheScalarLoop(values(random, n, 0.1f), values(random, n, 1f),
                squares(values(random, n, 0.1f)), false);
    }

    /**
     * Slope 0 is ReLU, 1 the identity, the others LeakyReLU, passed to ND4J's op as the engine passes them. Row r
     * holds {@code EDGES[(r + c) % 14]} at column c, so every value meets every column, in the SIMD lanes and in the
     * scalar tail, for every column count up to 40.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.01, 0.2, 1.0})
    void biasActivationGivesNd4jsOpsBitsOnNanInfinitiesAndSignedZeros(double slope) {
        int rows = EDGES.length;
        for (int cols = 1; cols <= 40; cols++) {
            float[] z = new float[rows * cols];
            for (int i = 0; i < z.length; i++) {
                z[i] = EDGES[(i / cols + i % cols) % EDGES.length];
            }
            // no NaN in the bias: NaN + NaN keeps one of the two payloads, and which one is the compiler's choice
            float[] b = new float[cols];
            for (int c = 0; c < cols; c++) {
                b[c] = EDGES[3 + (c * 5) % (EDGES.length - 3)];
            }
            for (boolean withBias : new boolean[] {false, true}) {
                INDArray expectedZ = Nd4j.createFromArray(z).reshape('c', rows, cols);
                if (withBias) {
                    expectedZ.addiRowVector(Nd4j.createFromArray(b));
                }
                // the engine's other path: ActivationDerivatives.valueInto
                INDArray expectedA = expectedZ.ulike();
                if (slope == 1.0) {
                    expectedA.assign(expectedZ);
                } else if (slope == 0.0) {
                    Nd4j.exec(new RectifiedLinear(expectedZ, expectedA, 0.0));
                } else {
                    Nd4j.exec(new LeakyReLU(expectedZ, expectedA, slope));
                }
                ByteBuffer zb = buffer(z);
                ByteBuffer ab = buffer(new float[z.length]);

                VectorKernels.biasActivation(zb, OFFSET, rows, cols, withBias ? buffer(b) : null, OFFSET, ab, OFFSET,
                        (float) slope);

                assertBits(zb, expectedZ.reshape(z.length).toFloatVector());
                assertBits(ab, expectedA.reshape(z.length).toFloatVector());
            }
        }
    }

    /** {@code EDGES} in turn, shifted with the length, so every value meets the scalar tail of some length. */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.01, 0.2, 1.0})
    void firstDerivativeTimesGivesNd4jsStepBitsOnNanInfinitiesAndSignedZeros(double slope) {
        for (int n = 1; n <= 40; n++) {
            float[] z = new float[n];
            float[] delta = new float[n];
            for (int i = 0; i < n; i++) {
                z[i] = EDGES[(i + n) % EDGES.length];
                delta[i] = EDGES[(5 * i + n) % EDGES.length];
            }
            // the engine's other path: ActivationDerivatives.firstInto (ND4J's step is z > 0), then e.muli(delta)
            INDArray expectedFirst = Nd4j.createFromArray(z).ulike();
            Nd4j.exec(new Step(Nd4j.createFromArray(z), expectedFirst, 0.0));
            if (slope != 0.0) {
                expectedFirst.muli(1.0 - slope).addi(slope);
            }
            INDArray expectedE = expectedFirst.mul(Nd4j.createFromArray(delta));
            ByteBuffer eb = buffer(new float[n]);
            ByteBuffer fb = buffer(new float[n]);

            VectorKernels.firstDerivativeTimes(buffer(z), OFFSET, buffer(delta), OFFSET, eb, OFFSET, fb, OFFSET, n,
                    (float) slope);

            assertBits(fb, expectedFirst.toFloatVector());
            assertBits(eb, expectedE.toFloatVector());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 33, 4099})
    void allFiniteFindsOneNanOrInfinityAnywhereAndIgnoresHugeFiniteValues(int n) {
        float[] values = values(new Random(n), n, 1f);
        values[n / 2] = Float.MAX_VALUE;
        values[0] = -Float.MAX_VALUE;
        ByteBuffer finite = buffer(values);
        assertThat(VectorKernels.allFinite(finite, OFFSET, OFFSET + n)).isTrue();
        for (int position : new int[] {0, n / 2, n - 1}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] copy = values.clone();
                copy[position] = bad;
                assertThat(VectorKernels.allFinite(buffer(copy), OFFSET, OFFSET + n))
                        .as("%s at %d of %d", bad, position, n).isFalse();
            }
        }
    }

    private static float[] values(Random random, int n, float scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return values;
    }

    private static float[] squares(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= values[i];
        }
        return values;
    }

    /** A direct buffer holding {@code values} from element {@link #OFFSET}, with sentinels around them. */
    private static ByteBuffer buffer(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect((values.length + 2 * OFFSET) * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        for (int i = 0; i < values.length + 2 * OFFSET; i++) {
            buffer.putFloat(i * Float.BYTES, i < OFFSET || i >= OFFSET + values.length ? 42f : values[i - OFFSET]);
        }
        return buffer;
    }

    private static void assertBits(ByteBuffer buffer, float[] expected) {
        for (int i = 0; i < expected.length + 2 * OFFSET; i++) {
            float actual = buffer.getFloat(i * Float.BYTES);
            float wanted = i < OFFSET || i >= OFFSET + expected.length ? 42f : expected[i - OFFSET];
            assertThat(Float.floatToRawIntBits(actual)).as("element %d: %s against %s", i, actual, wanted)
                    .isEqualTo(Float.floatToRawIntBits(wanted));
        }
    }
}
