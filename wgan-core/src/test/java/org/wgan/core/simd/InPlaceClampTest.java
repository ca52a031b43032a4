package org.wgan.core.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The SIMD clamp gives ND4J's two scalar ops' results to the bit (NaN, infinities, signed zeros, the bounds and their
 * neighbours; lengths around the chunk size and across the two-core split), touches nothing outside a view, and the
 * other arrays keep ND4J's ops.
 */
class InPlaceClampTest {

    private static final double LO = -0.01;
    private static final double HI = 0.02;

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 17, InPlaceClamp.CHUNK - 1, InPlaceClamp.CHUNK, InPlaceClamp.CHUNK + 1, 65535,
        VectorSupport.PARALLEL_MINIMUM + 4099, 527361})
    void theSimdPassGivesNd4jsTwoOpsBitForBit(int n) {
        INDArray values = edgesThenRandom(n, new Random(n));
        INDArray expected = values.dup();
        Nd4j.getExecutioner().exec(new ScalarMax(expected, LO));
        Nd4j.getExecutioner().exec(new ScalarMin(expected, HI));
        InPlaceClamp clamp = InPlaceClamp.of(values, LO, HI);

        clamp.run();

        assertThat(clamp.simd()).isTrue();
        assertThat(rawBits(values)).isEqualTo(rawBits(expected));
        if (n > 10) {
            assertThat(values.getFloat(10)).as("NaN becomes the lower bound").isEqualTo((float) LO);
        }
    }

    @Test
    void aViewAtAnOffsetIsClampedAndNothingAroundIt() {
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 7, 300).subi(0.5);
        INDArray before = matrix.dup();
        INDArray rows = matrix.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
        assertThat(rows.offset()).isPositive();
        InPlaceClamp clamp = InPlaceClamp.of(rows, LO, HI);

        clamp.run();

        assertThat(clamp.simd()).isTrue();
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 300; c++) {
                float was = before.getFloat(r, c);
                float expected = r >= 2 && r < 5 ? Math.min(Math.max(was, (float) LO), (float) HI) : was;
                assertThat(matrix.getFloat(r, c)).as("(%d, %d)", r, c).isEqualTo(expected);
            }
        }
    }

    @Test
    void doubleAndStridedArraysKeepNd4jsOps() {
        INDArray doubles = Nd4j.create(new double[] {-1, 0.005, Double.NaN, 1});
        INDArray matrix = Nd4j.create(new float[][] {{-1, 1}, {0.015f, -0.5f}});
        INDArray column = matrix.getColumn(1);
        InPlaceClamp doubleClamp = InPlaceClamp.of(doubles, LO, HI);
        InPlaceClamp columnClamp = InPlaceClamp.of(column, LO, HI);

        doubleClamp.run();
        columnClamp.run();

        assertThat(doubleClamp.simd()).isFalse();
        assertThat(columnClamp.simd()).isFalse();
        assertThat(doubles.toDoubleVector()).containsExactly(LO, 0.005, LO, HI);
        assertThat(matrix.toFloatMatrix()).isDeepEqualTo(new float[][] {{-1, (float) HI}, {0.015f, (float) LO}});
    }

    @Test
    void runsAgainOnTheSameArrayAndKnowsWhichArrayItClamps() {
        INDArray values = Nd4j.rand(DataType.FLOAT, 1000);
        InPlaceClamp clamp = InPlaceClamp.of(values, LO, HI);
        clamp.run();
        values.assign(-5);

        clamp.run();

        assertThat(values.maxNumber().floatValue()).isEqualTo((float) LO);
        assertThat(clamp.clamps(values)).isTrue();
        assertThat(clamp.clamps(values.dup())).isFalse();
    }

    @Test
    void rejectsEmptyOrNaNBoundsNamingThem() {
        INDArray values = Nd4j.rand(DataType.FLOAT, 4);
        assertThatThrownBy(() -> InPlaceClamp.of(values, 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1.0, -1.0]");
        assertThatThrownBy(() -> InPlaceClamp.of(values, Double.NaN, 1)).hasMessageContaining("NaN");
    }

    /** Special values first, then uniform values on three times the bounds' range. */
    private static INDArray edgesThenRandom(int n, Random random) {
        float lo = (float) LO;
        float hi = (float) HI;
        float[] edges = {lo, hi, Math.nextUp(lo), Math.nextDown(lo), Math.nextUp(hi), Math.nextDown(hi), 0f, -0f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MAX_VALUE, 1e30f};
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i < edges.length ? edges[i] : (float) (3 * (HI - LO) * (random.nextDouble() - 0.5));
        }
        return Nd4j.createFromArray(values);
    }

    private static int[] rawBits(INDArray floats) {
        float[] values = floats.toFloatVector();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
