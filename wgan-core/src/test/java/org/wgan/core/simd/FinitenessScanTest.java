package org.wgan.core.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The scan reports one NaN or infinity wherever it sits (chunk edges, the SIMD lanes' tail), never a finite value
 * however large, reads only its view, and answers the same on the scalar loop, for doubles, strided views and empty
 * arrays.
 */
class FinitenessScanTest {

    private static final float[] NOT_FINITE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @ParameterizedTest
    @ValueSource(ints = {1, 17, FinitenessScan.CHUNK - 1, FinitenessScan.CHUNK, FinitenessScan.CHUNK + 1, 527361})
    void findsOneNanOrInfinityAnywhereAndNoFiniteValueHoweverLarge(int n) {
        INDArray values = Nd4j.createFromArray(hugeFinite(n, new Random(n)));
        FinitenessScan simd = FinitenessScan.of(values);
        FinitenessScan scalar = FinitenessScan.scalar(values);
        assertThat(simd.simd()).isTrue();
        assertThat(scalar.simd()).isFalse();
        for (FinitenessScan scan : new FinitenessScan[] {simd, scalar}) {
            assertThat(scan.allFinite()).isTrue();
            for (long position : new long[] {0, 1, FinitenessScan.CHUNK - 1, FinitenessScan.CHUNK, n / 2, n - 1}) {
                if (position >= n) {
                    continue;
                }
                for (float bad : NOT_FINITE) {
                    float was = values.getFloat(position);
                    values.putScalar(position, bad);
                    assertThat(scan.allFinite()).as("%s at %d of %d, simd %s", bad, position, n, scan.simd())
                            .isFalse();
                    values.putScalar(position, was);
                }
            }
            assertThat(scan.allFinite()).isTrue();
        }
    }

    @Test
    void aViewAtAnOffsetIsScannedAndNothingAroundIt() {
        // an odd offset (301): the scalar loop reads floats in pairs
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 7, 301);
        matrix.putScalar(0, 300, Float.NaN);
        matrix.putScalar(4, 0, Float.POSITIVE_INFINITY);
        INDArray rows = matrix.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all());
        FinitenessScan simd = FinitenessScan.of(rows);
        FinitenessScan scalar = FinitenessScan.scalar(rows);

        assertThat(simd.simd()).isTrue();
        assertThat(simd.allFinite()).isTrue();
        assertThat(scalar.allFinite()).isTrue();
        rows.putScalar(2, 300, Float.NEGATIVE_INFINITY);
        assertThat(simd.allFinite()).isFalse();
        assertThat(scalar.allFinite()).isFalse();
    }

    @Test
    void doublesStridedViewsAndEmptyArraysAnswerTheSame() {
        INDArray doubles = Nd4j.create(new double[] {-Double.MAX_VALUE, 1, Double.MAX_VALUE});
        INDArray matrix = Nd4j.create(new float[][] {{Float.NaN, Float.MAX_VALUE}, {1, -Float.MAX_VALUE}});
        INDArray column = matrix.getColumn(1);
        FinitenessScan doubleScan = FinitenessScan.of(doubles);
        FinitenessScan columnScan = FinitenessScan.of(column);

        assertThat(doubleScan.simd()).isFalse();
        assertThat(columnScan.simd()).isFalse();
        assertThat(doubleScan.allFinite()).isTrue();
        assertThat(columnScan.allFinite()).isTrue();
        assertThat(FinitenessScan.of(Nd4j.empty(DataType.FLOAT)).allFinite()).isTrue();
        for (float bad : NOT_FINITE) {
            doubles.putScalar(1, bad);
            column.putScalar(0, bad);
            assertThat(doubleScan.allFinite()).as("double %s", bad).isFalse();
            assertThat(columnScan.allFinite()).as("strided %s", bad).isFalse();
        }
    }

    @Test
    void knowsWhichArrayItScans() {
        INDArray values = Nd4j.rand(DataType.FLOAT, 10);
        FinitenessScan scan = FinitenessScan.of(values);

        assertThat(scan.scans(values)).isTrue();
        assertThat(scan.scans(values.dup())).isFalse();
    }

    /** Gaussian values with the largest finite floats (both signs) every 1000 elements. */
    private static float[] hugeFinite(int n, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 1000 == 0 ? (i % 2000 == 0 ? Float.MAX_VALUE : -Float.MAX_VALUE)
                    : (float) random.nextGaussian();
        }
        return values;
    }
}
