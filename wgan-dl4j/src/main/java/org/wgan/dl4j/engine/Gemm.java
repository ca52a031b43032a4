package org.wgan.dl4j.engine;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.simd.WorkerTeam;

/**
 * Matrix products {@code C = alpha op(A) op(B) + beta C} into existing arrays, as {@link Nd4j#gemm} computes them.
 *
 * <p>Small products (at most {@link #DIRECT_MAXIMUM} multiply-adds) go straight to OpenBLAS's {@code cblas_sgemm}
 * or {@code cblas_dgemm}, the BLAS under ND4J's CPU backend, in one JNI call: about 4 us for a 64 x 2 by 2 x 512
 * product on the benchmark machine, against 35-75 us through {@code Nd4j.gemm} (libnd4j's matmul op: the op, its
 * context and shape checks cost the same whatever the size). The toy critic's first and last layers, its bias
 * gradients ({@code 1^T e}) and every product of a small batch are such products. Larger ones keep
 * {@code Nd4j.gemm}, which runs them on libnd4j's OpenMP threads, the convolutions' pool, unless the caller asks
 * for {@code anySize}: a network of dense layers only sends all its products straight to OpenBLAS, because nothing
 * else in its step runs on the OpenMP pool, and two pools on two cores compete (issue #17: 64 x 512 x 512 took 190 us
 * straight against 450 us through {@code Nd4j.gemm} on two threads of an Intel Xeon, with the same bits). A straight
 * product of at least {@link #SPLIT_MINIMUM} multiply-adds is shared among the {@link WorkerTeam} in blocks, each
 * a single-threaded OpenBLAS call (OpenBLAS is then set to one thread for the rest of the process).
 *
 * <p>The direct path is used only on ND4J's CPU backend with OpenBLAS loadable, for float or double operands of
 * one type whose layout BLAS can read (row- or column-major with a leading dimension); anything else, and every
 * product when the system property {@code wgan.directBlas} is {@code false}, goes through {@code Nd4j.gemm}.
 *
 * <p>Not API: public only so that the benchmarks' floors ({@code org.wgan.benchmarks}) run their products through
 * the same calls as the engine's passes (Java has no friend packages); it may change without notice.
 */
public final class Gemm {

    /** The system property that sends every product through {@code Nd4j.gemm} ({@code -Dwgan.directBlas=false}). */
    static final String PROPERTY = "wgan.directBlas";

    /**
     * Largest product, in multiply-adds, sent straight to BLAS: OpenBLAS 0.3.19 runs products up to 65536 x 4
     * multiply-adds on the calling thread. Above that it wakes its own threads, which then compete with libnd4j's
     * on a 2-core machine: the toy step at batch 256 had outliers of several times its median with a limit of 2M.
     */
    static final long DIRECT_MAXIMUM = 1L << 18;

    /**
     * Multiply-adds from which a product is shared among the worker team: OpenBLAS's own threshold for waking its
     * threads (65536 x 4), where one call takes some 15 us on one core against about a microsecond to hand a part
     * to a spinning helper.
     */
    static final long SPLIT_MINIMUM = DIRECT_MAXIMUM;

    /** Rows or columns per block boundary: a multiple of every OpenBLAS micro-kernel's tile side. */
    static final int SPLIT_GRAIN = 16;

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /**
     * The system property that overrides each network's choice of path for products above {@link #DIRECT_MAXIMUM}:
     * {@code network} (the default: the network's choice), {@code direct} (all straight to OpenBLAS) or {@code nd4j}
     * (all through {@code Nd4j.gemm}, as before the choice existed).
     */
    static final String PRODUCTS_PROPERTY = "wgan.products";

    private static final boolean DIRECT = detect();

    private static final String PRODUCTS = products();

    private Gemm() {
    }

    /** True when small products go straight to OpenBLAS. */
    static boolean direct() {
        return DIRECT;
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c} into {@code c}, with {@code op} a transpose where asked; shapes as
     * {@link Nd4j#gemm} takes them (rank 2, {@code op(a) [m, k]}, {@code op(b) [k, n]}, {@code c [m, n]}).
     */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
            double beta) {
        gemm(a, b, c, transposeA, transposeB, alpha, beta, false);
    }

    /**
     * {@link #gemm(INDArray, INDArray, INDArray, boolean, boolean, double, double)}, with {@code anySize} sending
     * products of every size straight to OpenBLAS (on OpenBLAS's own threads above its threading threshold) instead
     * of the larger ones through {@code Nd4j.gemm}, whose threads are libnd4j's OpenMP pool: the choice of a
     * network whose other work does not run on that pool ({@link LayerStack#straightProducts}). The system property
     * {@code wgan.products} overrides it: {@code direct} sends every product straight, {@code nd4j} none above
     * {@link #DIRECT_MAXIMUM}.
     */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
            double beta, boolean anySize) {
        long maximum = PRODUCTS.equals("direct") || (anySize && PRODUCTS.equals("network")) ? Long.MAX_VALUE
                : DIRECT_MAXIMUM;
        if (!DIRECT || !direct(a, b, c, transposeA, transposeB, alpha, beta, maximum)) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
        }
    }

    /** Runs the product through cblas when it is small and BLAS can read the layouts; false when it did not. */
    static boolean direct(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
            double beta) {
        return direct(a, b, c, transposeA, transposeB, alpha, beta, DIRECT_MAXIMUM);
    }

    /** Runs the product through cblas when it has at most {@code maximum} multiply-adds and BLAS can read it. */
    static boolean direct(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
            double beta, long maximum) {
        return direct(a, b, c, transposeA, transposeB, alpha, beta, maximum, true);
    }

    /** The same product, in one BLAS call unless {@code split} (the tests' reference). */
    static boolean direct(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
            double beta, long maximum, boolean split) {
        DataType type = c.dataType();
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2 || a.dataType() != type || b.dataType() != type
                || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
            return false;
        }
        long m = c.size(0);
        long n = c.size(1);
        long k = transposeA ? a.size(0) : a.size(1);
        if ((transposeA ? a.size(1) : a.size(0)) != m || (transposeB ? b.size(1) : b.size(0)) != k
                || (transposeB ? b.size(0) : b.size(1)) != n || m * n * k > maximum || m * n * k == 0
                || Math.max(m, Math.max(n, k)) > Integer.MAX_VALUE) {
            return false; // Nd4j.gemm reports a shape mismatch in its own words
        }
        long ldc = leading(c, true);
        boolean rowMajor = ldc > 0;
        if (!rowMajor && (ldc = leading(c, false)) <= 0) {
            return false;
        }
        // an operand stored in the other layout is its transpose in this one
        long lda = leading(a, rowMajor);
        boolean flipA = lda <= 0;
        if (flipA && (lda = leading(a, !rowMajor)) <= 0) {
            return false;
        }
        long ldb = leading(b, rowMajor);
        boolean flipB = ldb <= 0;
        if (flipB && (ldb = leading(b, !rowMajor)) <= 0) {
            return false;
        }
        int opA = transposeA != flipA ? TRANS : NO_TRANS;
        int opB = transposeB != flipB ? TRANS : NO_TRANS;
        Pointer pa = type == DataType.FLOAT ? floats(a) : doubles(a);
        Pointer pb = type == DataType.FLOAT ? floats(b) : doubles(b);
        Pointer pc = type == DataType.FLOAT ? floats(c) : doubles(c);
        if (rowMajor) {
            product(opA, opB, (int) m, (int) n, (int) k, alpha, pa, (int) lda, pb, (int) ldb, beta, pc, (int) ldc,
                    split);
        } else { // column-major C is row-major C^T = op(B)^T op(A)^T
            product(opB, opA, (int) n, (int) m, (int) k, alpha, pb, (int) ldb, pa, (int) lda, beta, pc, (int) ldc,
                    split);
        }
        return true;
    }

    /**
     * Row-major {@code C[m x n] = alpha op(A) op(B) + beta C}: in one BLAS call, or, from {@link #SPLIT_MINIMUM}
     * multiply-adds with a worker team of more than one thread, cut into {@link WorkerTeam#threads()} blocks of
     * C's rows or columns (the longer side, at multiples of 16), each one single-threaded BLAS call on a team
     * thread. Every element of C is then computed by the same kernel over the same k in the same order as in one
     * call, so the bits do not depend on the thread count (GemmTest); and no thread waits on OpenBLAS's own
     * workers, which spin in {@code sched_yield} and, on a 2-vCPU VM, made half of the JVMs run the toy MLP's
     * two-thread step at its one-thread speed or worse (benchmarks/JOURNAL.md, 2026-12-04, night).
     */
    private static void product(int opA, int opB, int m, int n, int k, double alpha, Pointer a, int lda, Pointer b,
            int ldb, double beta, Pointer c, int ldc, boolean split) {
        int side = Math.max(m, n);
        int parts = !split || (long) m * n * k < SPLIT_MINIMUM ? 1 : Math.min(WorkerTeam.threads(), side / SPLIT_GRAIN);
        if (parts <= 1) {
            call(opA, opB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
            return;
        }
        boolean rows = m >= n;
        OneThreadBlas.ensure();
        WorkerTeam.run(parts, part -> {
            int from = WorkerTeam.partStart(side, parts, part, SPLIT_GRAIN);
            int to = WorkerTeam.partStart(side, parts, part + 1, SPLIT_GRAIN);
            if (rows) { // rows [from, to) of op(A) and of C
                call(opA, opB, to - from, n, k, alpha, a, opA == NO_TRANS ? (long) from * lda : from, lda, b, 0, ldb,
                        beta, c, (long) from * ldc, ldc);
            } else { // columns [from, to) of op(B) and of C
                call(opA, opB, m, to - from, k, alpha, a, 0, lda, b, opB == NO_TRANS ? from : (long) from * ldb, ldb,
                        beta, c, from, ldc);
            }
        });
    }

    /**
     * Sets OpenBLAS to one thread, once, before the first split product: its calls then run on the thread that
     * makes them (the team's). Setting it costs some 300 us (OpenBLAS resizes its buffers), far too much to do
     * around every product.
     */
    private static final class OneThreadBlas {
        static {
            openblas_nolapack.blas_set_num_threads(1);
        }

        static void ensure() {
            // the class initialiser ran
        }
    }

    /** One row-major BLAS call on the operands from the given element offsets. */
    private static void call(int opA, int opB, int m, int n, int k, double alpha, Pointer a, long aOffset, int lda,
            Pointer b, long bOffset, int ldb, double beta, Pointer c, long cOffset, int ldc) {
        if (c instanceof FloatPointer fc) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, opA, opB, m, n, k, (float) alpha,
                    at((FloatPointer) a, aOffset), lda, at((FloatPointer) b, bOffset), ldb, (float) beta,
                    at(fc, cOffset), ldc);
        } else {
            openblas_nolapack.cblas_dgemm(ROW_MAJOR, opA, opB, m, n, k, alpha, at((DoublePointer) a, aOffset), lda,
                    at((DoublePointer) b, bOffset), ldb, beta, at((DoublePointer) c, cOffset), ldc);
        }
    }

    private static FloatPointer at(FloatPointer p, long offset) {
        return offset == 0 ? p : new FloatPointer(p).position(p.position() + offset);
    }

    private static DoublePointer at(DoublePointer p, long offset) {
        return offset == 0 ? p : new DoublePointer(p).position(p.position() + offset);
    }

    /**
     * {@code c = sum over i of a_i b_i^T} for c-contiguous {@code a [N, m, k]}, {@code b [N, n, k]} and
     * {@code c [m, n]} of one float or double type: one BLAS call per {@code i}, in order, so the same bits every
     * time. False, having done nothing, when the direct path is off or an operand is not such an array.
     */
    static boolean sumOfProducts(INDArray a, INDArray b, INDArray c) {
        DataType type = c.dataType();
        if (!DIRECT || a.rank() != 3 || b.rank() != 3 || c.rank() != 2 || a.dataType() != type
                || b.dataType() != type || (type != DataType.FLOAT && type != DataType.DOUBLE)
                || !ReshapedMap.cContiguous(a) || !ReshapedMap.cContiguous(b) || !ReshapedMap.cContiguous(c)) {
            return false;
        }
        long count = a.size(0);
        long m = a.size(1);
        long k = a.size(2);
        long n = b.size(1);
        if (b.size(0) != count || b.size(2) != k || c.size(0) != m || c.size(1) != n || count == 0
                || Math.max(m, Math.max(n, k)) > Integer.MAX_VALUE) {
            return false;
        }
        for (long i = 0; i < count; i++) {
            if (type == DataType.FLOAT) {
                openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, (int) m, (int) n, (int) k, 1f,
                        floats(a).position(i * m * k), (int) k, floats(b).position(i * n * k), (int) k,
                        i == 0 ? 0f : 1f, floats(c), (int) n);
            } else {
                openblas_nolapack.cblas_dgemm(ROW_MAJOR, NO_TRANS, TRANS, (int) m, (int) n, (int) k, 1.0,
                        doubles(a).position(i * m * k), (int) k, doubles(b).position(i * n * k), (int) k,
                        i == 0 ? 0.0 : 1.0, doubles(c), (int) n);
            }
        }
        return true;
    }

    /**
     * {@code c_i = w^T x_i} for each {@code i}, for c-contiguous {@code w [k, m]}, {@code x [N, k, n]} and
     * {@code c [N, m, n]} of one float or double type: one BLAS call per {@code i}. False, having done nothing,
     * when the direct path is off or an operand is not such an array.
     */
    static boolean productPerExample(INDArray w, INDArray x, INDArray c) {
        DataType type = c.dataType();
        if (!DIRECT || w.rank() != 2 || x.rank() != 3 || c.rank() != 3 || w.dataType() != type
                || x.dataType() != type || (type != DataType.FLOAT && type != DataType.DOUBLE)
                || !ReshapedMap.cContiguous(w) || !ReshapedMap.cContiguous(x) || !ReshapedMap.cContiguous(c)) {
            return false;
        }
        long count = x.size(0);
        long k = w.size(0);
        long m = w.size(1);
        long n = x.size(2);
        if (x.size(1) != k || c.size(0) != count || c.size(1) != m || c.size(2) != n || count == 0
                || Math.max(m, Math.max(n, k)) > Integer.MAX_VALUE) {
            return false;
        }
        for (long i = 0; i < count; i++) {
            if (type == DataType.FLOAT) {
                openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, (int) m, (int) n, (int) k, 1f, floats(w),
                        (int) m, floats(x).position(i * k * n), (int) n, 0f, floats(c).position(i * m * n), (int) n);
            } else {
                openblas_nolapack.cblas_dgemm(ROW_MAJOR, TRANS, NO_TRANS, (int) m, (int) n, (int) k, 1.0, doubles(w),
                        (int) m, doubles(x).position(i * k * n), (int) n, 0.0, doubles(c).position(i * m * n),
                        (int) n);
            }
        }
        return true;
    }

    /**
     * The leading dimension of {@code x} read in the given layout, or -1 when its strides do not fit that layout
     * (strides of dimensions of size 1 do not matter).
     */
    private static long leading(INDArray x, boolean rowMajor) {
        long rows = x.size(0);
        long cols = x.size(1);
        long rowStride = x.stride(0);
        long colStride = x.stride(1);
        if (rowMajor) {
            if (cols > 1 && colStride != 1) {
                return -1;
            }
            long ld = rows > 1 ? rowStride : Math.max(cols, 1);
            return ld >= Math.max(cols, 1) && ld <= Integer.MAX_VALUE ? ld : -1;
        }
        if (rows > 1 && rowStride != 1) {
            return -1;
        }
        long ld = cols > 1 ? colStride : Math.max(rows, 1);
        return ld >= Math.max(rows, 1) && ld <= Integer.MAX_VALUE ? ld : -1;
    }

    private static FloatPointer floats(INDArray x) {
        return new FloatPointer(x.data().addressPointer()); // the address of element x.offset()
    }

    private static DoublePointer doubles(INDArray x) {
        return new DoublePointer(x.data().addressPointer());
    }

    private static String products() {
        String value = System.getProperty(PRODUCTS_PROPERTY, "network").trim();
        if (!value.equals("network") && !value.equals("direct") && !value.equals("nd4j")) {
            throw new IllegalArgumentException(PRODUCTS_PROPERTY + " must be network, direct or nd4j, but was '"
                    + value + "'");
        }
        return value;
    }

    private static boolean detect() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
                || !Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.")) {
            return false;
        }
        try {
            INDArray one = Nd4j.ones(DataType.FLOAT, 1, 1);
            INDArray product = Nd4j.zeros(DataType.FLOAT, 1, 1);
            return direct(one, one, product, false, false, 2.0, 0.0) && product.getFloat(0) == 2f;
        } catch (LinkageError e) {
            return false;
        }
    }
}
