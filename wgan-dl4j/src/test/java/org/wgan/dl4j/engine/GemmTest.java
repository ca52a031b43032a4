package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GemmTest {

    @Test
    void theCpuTestBackendTakesTheDirectPath() {
        assertThat(Gemm.direct()).as("ND4J's CPU backend with OpenBLAS").isTrue();
    }

    /** Every layout the passes hand over: plain, 'f' order, transposed views, blocks of a flat vector, slices. */
    private static List<Supplier<INDArray>> layouts(DataType type, long rows, long cols) {
        List<Supplier<INDArray>> layouts = new ArrayList<>();
        layouts.add(() -> Nd4j.rand(type, rows, cols).subi(0.5));
        layouts.add(() -> Nd4j.rand(type, 'f', rows, cols).subi(0.5));
        layouts.add(() -> Nd4j.rand(type, cols, rows).subi(0.5).transpose());
        layouts.add(() -> {
            // a block of a flat vector at an offset, 'f' order like DL4J's weight views
            INDArray flat = Nd4j.rand(type, 7 + rows * cols + 5).subi(0.5);
            return flat.get(NDArrayIndex.interval(7, 7 + rows * cols)).reshape('f', rows, cols);
        });
        layouts.add(() -> Nd4j.rand(type, rows + 3, cols + 2).subi(0.5)
                .get(NDArrayIndex.interval(2, 2 + rows), NDArrayIndex.interval(1, 1 + cols)));
        return layouts;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void directProductsEqualNd4jsForEveryLayoutTransposeAndBeta(DataType type) {
        long m = 5;
        long n = 3;
        long k = 4;
        int checked = 0;
        for (boolean transposeA : new boolean[] {false, true}) {
            for (boolean transposeB : new boolean[] {false, true}) {
                for (Supplier<INDArray> aLayout : layouts(type, transposeA ? k : m, transposeA ? m : k)) {
                    for (Supplier<INDArray> bLayout : layouts(type, transposeB ? n : k, transposeB ? k : n)) {
                        for (Supplier<INDArray> cLayout : layouts(type, m, n)) {
                            for (double beta : new double[] {0.0, 1.0}) {
                                INDArray a = aLayout.get();
                                INDArray b = bLayout.get();
                                INDArray c = cLayout.get();
                                INDArray expected = c.dup();
                                Nd4j.gemm(a, b, expected, transposeA, transposeB, 0.5, beta);
                                INDArray before = c.dup();

                                assertThat(Gemm.direct(a, b, c, transposeA, transposeB, 0.5, beta)).isTrue();

                                double tolerance = type == DataType.FLOAT ? 1e-6 : 1e-14;
                                assertThat(maxDifference(c, expected)).as("op(a) %s op(b) %s, c %s, beta %s",
                                        a.ordering(), b.ordering(), c.ordering(), beta).isLessThan(tolerance);
                                assertThat(before.equals(c)).isFalse();
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(4 * 5 * 5 * 5 * 2);
    }

    /**
     * Products large enough to be cut into blocks of rows (m >= n) or of columns (m < n) among the worker team (3
     * threads in the tests): the same bits as one BLAS call, for every layout, transpose and beta, with nothing
     * outside C written.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void splitProductsHaveTheBitsOfOneCall(DataType type) {
        assertThat(org.wgan.core.simd.WorkerTeam.threads()).as("surefire's -Dwgan.workerThreads").isGreaterThan(1);
        long[][] shapes = {{100, 80, 64}, {40, 115, 64}, {512, 512, 2}};
        int checked = 0;
        for (long[] shape : shapes) {
            long m = shape[0];
            long n = shape[1];
            long k = shape[2];
            assertThat(m * n * k).isGreaterThanOrEqualTo(Gemm.SPLIT_MINIMUM);
            for (boolean transposeA : new boolean[] {false, true}) {
                for (boolean transposeB : new boolean[] {false, true}) {
                    List<Supplier<INDArray>> aLayouts = layouts(type, transposeA ? k : m, transposeA ? m : k);
                    List<Supplier<INDArray>> bLayouts = layouts(type, transposeB ? n : k, transposeB ? k : n);
                    List<Supplier<INDArray>> cLayouts = layouts(type, m, n);
                    for (int layout = 0; layout < cLayouts.size(); layout++) {
                        for (double beta : new double[] {0.0, 1.0}) {
                            INDArray a = aLayouts.get(layout).get();
                            INDArray b = bLayouts.get((layout + 2) % bLayouts.size()).get();
                            INDArray c = cLayouts.get(layout).get();
                            INDArray whole = c.dup(c.ordering());
                            assertThat(Gemm.direct(a, b, whole, transposeA, transposeB, 0.5, beta, Long.MAX_VALUE,
                                    false)).isTrue();

                            assertThat(Gemm.direct(a, b, c, transposeA, transposeB, 0.5, beta, Long.MAX_VALUE,
                                    true)).isTrue();

                            assertThat(c).as("%s: op(a) %s op(b) %s, c %s, beta %s", java.util.Arrays.toString(shape),
                                    a.ordering(), b.ordering(), c.ordering(), beta).isEqualTo(whole);
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(3 * 4 * 5 * 2);
    }

    @Test
    void aSplitProductLeavesTheMemoryAroundItsViewAlone() {
        INDArray big = Nd4j.rand(DataType.FLOAT, 140, 130).subi(0.5);
        INDArray copy = big.dup();
        INDArray target = big.get(NDArrayIndex.interval(3, 131), NDArrayIndex.interval(5, 125));
        INDArray a = Nd4j.rand(DataType.FLOAT, 128, 64).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 64, 120).subi(0.5);

        Gemm.gemm(a, b, target, false, false, 1.0, 0.0, true);

        INDArray outside = big.sub(copy);
        outside.get(NDArrayIndex.interval(3, 131), NDArrayIndex.interval(5, 125)).assign(0);
        assertThat(outside.amaxNumber().doubleValue()).isZero();
        assertThat(maxDifference(target, a.mmul(b))).isLessThan(1e-5);
    }

    @Test
    void theMemoryAroundAViewIsLeftAlone() {
        INDArray flat = Nd4j.rand(DataType.FLOAT, 40);
        INDArray copy = flat.dup();
        INDArray target = flat.get(NDArrayIndex.interval(10, 16)).reshape('f', 2, 3);
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 4);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4, 3);

        Gemm.gemm(a, b, target, false, false, 1.0, 0.0);

        assertThat(flat.get(NDArrayIndex.interval(0, 10))).isEqualTo(copy.get(NDArrayIndex.interval(0, 10)));
        assertThat(flat.get(NDArrayIndex.interval(16, 40))).isEqualTo(copy.get(NDArrayIndex.interval(16, 40)));
        assertThat(maxDifference(target, a.mmul(b))).isLessThan(1e-6);
    }

    @Test
    void largeProductsMixedTypesAndShapeMismatchesAreLeftToNd4j() {
        INDArray big = Nd4j.rand(DataType.FLOAT, 256, 512);
        INDArray square = Nd4j.rand(DataType.FLOAT, 512, 512);
        assertThat(Gemm.direct(big, square, Nd4j.create(DataType.FLOAT, 256, 512), false, false, 1, 0)).isFalse();
        INDArray small = Nd4j.rand(DataType.FLOAT, 3, 3);
        assertThat(Gemm.direct(small, Nd4j.rand(DataType.DOUBLE, 3, 3), Nd4j.create(DataType.FLOAT, 3, 3), false,
                false, 1, 0)).isFalse();
        assertThat(Gemm.direct(small, Nd4j.rand(DataType.FLOAT, 4, 3), Nd4j.create(DataType.FLOAT, 3, 3), false,
                false, 1, 0)).isFalse();
    }

    private static double maxDifference(INDArray x, INDArray y) {
        return x.castTo(DataType.DOUBLE).sub(y.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
